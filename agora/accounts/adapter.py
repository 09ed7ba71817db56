"""django-allauth glue: wiki usernames (normalised, unique after folding, no look-alikes) at sign-up,
mail that names the site, in its recipient's language, wrong-password limits keyed by address and
account, and the sign-up address."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from agora.core.interface_language import member_language
from agora.core.rate_limits import client_ip

from .standing import suspension_notice
from .usernames import check_username_available, normalize_username


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

    def send_mail(self, template_prefix, email, context):
        request = getattr(self, "request", None)
        domain = request.get_host() if request is not None else urlsplit(settings.SITE_URL).netloc
        context = {"current_site": SiteInfo(name=settings.SITE_NAME, domain=domain), **context}
        # A mail to a known member goes out in their interface language; to anyone else (a sign-up not yet
        # set, an unknown address) in the language of the page that sent it.
        language = member_language(context.get("user")) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
