"""django-allauth glue: wiki usernames (normalised, unique after folding, no look-alikes) at sign-up,
and mail that names the site."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from .standing import suspension_notice
from .usernames import check_username_available, normalize_username


@dataclass(frozen=True)
class SiteInfo:
    """What allauth's mail templates read from django.contrib.sites, which Agora does not use."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
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
        super().send_mail(template_prefix, email, context)
