"""django-allauth glue: wiki usernames (normalised, unique after folding, no look-alikes) at sign-up,
mail that names the site, in its recipient's language, wrong-password limits keyed by address and
account, and the sign-up address; for logins with a Wikimedia account (SocialAccountAdapter): the local
name and display name, a blocked wiki account refused, existing accounts linked by verified addresses
only, clear words when the wiki says no, and a User-Agent on every call to the wiki."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from requests import RequestException

from agora.core.interface_language import member_language
from agora.core.rate_limits import client_ip

from . import hooks
from .standing import suspension_notice
from .usernames import check_username_available, normalize_username
from .wikimedia import is_wikimedia_login, username_derives_cleanly, username_suggestion


@dataclass(frozen=True)
class SiteInfo:
    """What allauth's mail templates read from django.contrib.sites, which Agora does not use."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            # Say how long: the limit is per connection, so the owner elsewhere is never stopped.
            message = _(
                "Too many wrong passwords from your connection. Wait %(minutes)d minutes and try again, "
                "or reset your password by mail."
            ) % {"minutes": settings.AGORA_LOGIN_FAILED_MINUTES}
            return ValidationError(message, code=code)
        return super().validation_error(code, *args)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys its "login_failed" limit per key (the account's name) and per IP. A key of the
        # name alone lets anyone lock the owner out by typing wrong passwords for them, so the key
        # holds the address too: an attacker is stopped, the owner signs in from anywhere else.
        # tests/accounts/test_rate_limits.py fails if an allauth upgrade stops calling this.
        return f"{client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def save_user(self, request, user, form, commit=True):
        # The sign-up address, for the per-address sign-up limit (accounts/forms.py) and for staff.
        user.registration_ip = client_ip(request) or None
        user.last_ip = user.registration_ip
        return super().save_user(request, user, form, commit=commit)

    def clean_username(self, username, shallow=False):
        # "Jane_Doe" and " Jane  Doe " are typed forms of "Jane Doe", as on a wiki.
        username = super().clean_username(normalize_username(username), shallow=shallow)
        if not shallow:
            check_username_available(username)
        return username

    def authenticate(self, request, **credentials):
        # The backends refuse a suspended person (accounts.backends); allauth still hands back the account
        # whose password was right, so the form can say why. Only the password's holder learns of it.
        user = super().authenticate(request, **credentials)
        notice = suspension_notice(user)
        if notice:
            raise ValidationError(notice, code="suspended")
        return user

    def confirm_email(self, request, email_address):
        # The one place every confirmation (link or code) passes: what an address proves is named here,
        # not in a signal receiver (an archive's posts from this address become theirs, importers.claims).
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            hooks.email_verified.send(user=email_address.user, email=email_address.email)
        return confirmed

    def send_mail(self, template_prefix, email, context):
        request = getattr(self, "request", None)
        domain = request.get_host() if request is not None else urlsplit(settings.SITE_URL).netloc
        context = {"current_site": SiteInfo(name=settings.SITE_NAME, domain=domain), **context}
        # A mail to a known member goes out in their interface language; to anyone else (a sign-up not yet
        # set, an unknown address) in the language of the page that sent it.
        language = member_language(context.get("user")) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self):
        # Every call allauth makes to a provider (Wikimedia's policy asks for a descriptive User-Agent;
        # the MediaWiki adapter sends the same one from SOCIALACCOUNT_PROVIDERS' USER_AGENT).
        session = super().get_requests_session()
        session.headers["User-Agent"] = settings.AGORA_OAUTH_USER_AGENT
        return session

    def get_app(self, request, provider, client_id=None):
        # A provider with no consumer configured has no button; its addresses answer 404, not a 500.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404(_("This way of logging in is not set up here.")) from None

    def save_user(self, request, sociallogin, form=None):
        # The sign-up address, as for a password sign-up (AccountAdapter.save_user runs only with a form).
        sociallogin.user.registration_ip = client_ip(request) or None
        sociallogin.user.last_ip = sociallogin.user.registration_ip
        return super().save_user(request, sociallogin, form=form)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if is_wikimedia_login(sociallogin):
            wiki_name = sociallogin.account.extra_data.get("username") or ""
            # Shown as the wiki writes it; the local name follows our rules (spaces, scripts, look-alikes).
            user.display_name = normalize_username(wiki_name)[:100]
            user.username = username_suggestion(wiki_name)
        return user

    def is_auto_signup_allowed(self, request, sociallogin):
        if not super().is_auto_signup_allowed(request, sociallogin):
            return False
        if is_wikimedia_login(sociallogin):
            # The account is made at once when the wiki name is free and valid here; otherwise the
            # sign-up form offers our suggestion, so nobody is renamed without seeing it.
            return username_derives_cleanly(sociallogin.account.extra_data.get("username") or "")
        return True

    def authenticate_by_email(self, sociallogin):
        # allauth would also match an account whose address was never verified (and wipe its password):
        # here only an address verified on both sides links a wiki account to an existing one.
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(sociallogin, address.email):
                continue
            match = (
                EmailAddress.objects.filter(email__iexact=address.email, verified=True, user__is_active=True)
                .select_related("user")
                .first()
            )
            if match is not None:
                return match.user, address.email
        return None

    def pre_social_login(self, request, sociallogin):
        if is_wikimedia_login(sociallogin) and sociallogin.account.extra_data.get("blocked"):
            raise ImmediateHttpResponse(
                render_authentication_error(
                    request,
                    sociallogin.provider,
                    error=AuthError.DENIED,
                    exception=PermissionDenied(
                        _("Your Wikimedia account is blocked, so it cannot be used to log in here.")
                    ),
                )
            )
        notice = suspension_notice(sociallogin.user) if sociallogin.is_existing else ""
        if notice:
            raise ImmediateHttpResponse(
                render_authentication_error(
                    request, sociallogin.provider, error=AuthError.DENIED, exception=PermissionDenied(notice)
                )
            )

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # allauth says "an error occurred" whatever happened; say what did, and what to do.
        if extra_context is None:
            return
        if isinstance(exception, PermissionDenied) and exception.args:
            reason = str(exception.args[0])
        elif isinstance(exception, OAuth2Error) and "invalid_grant" in str(exception):
            reason = _(
                "The wiki did not accept this sign-in: its code had expired or was already used. Please start again."
            )
        elif isinstance(exception, OAuth2Error):
            reason = _("The wiki refused this site's request to sign you in. Please tell the site's staff.")
        elif isinstance(exception, RequestException):
            reason = _("The wiki could not be reached. Please try again in a moment.")
        elif "state_id" in extra_context:
            reason = _(
                "This sign-in did not start here, or it started too long ago, so it was refused. "
                "Please start again from the log-in page."
            )
        else:
            reason = _("The wiki did not let you sign in. Please try again.")
        extra_context["agora_reason"] = reason
