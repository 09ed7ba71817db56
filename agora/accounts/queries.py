"""Account reads: people by the name in their profile address; how many accounts an address made."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from .models import User
from .usernames import canonical_username


def get_active_user_by_url_name(name: str) -> User:
    """The active user a /u/<name> address means, in any spelling of the name; 404 otherwise."""
    user = User.objects.filter(username_canonical=canonical_username(name), is_active=True).first()
    if user is None:
        raise Http404
    return user


def active_users_by_names(names: list[str]) -> dict[str, User]:
    """The active users the names mean (any spelling: spaces or underscores, any case), by canonical name,
    in one query. Names that match nobody are simply absent."""
    wanted = {canonical_username(n): n for n in names if n.strip()}
    users = User.objects.filter(username_canonical__in=list(wanted), is_active=True)
    return {u.username_canonical: u for u in users}


def signup_wait_seconds(ip: str) -> int:
    """0 if one more account may be made from this address today, else the seconds until one may
    (settings.AGORA_SIGNUPS_PER_IP accounts per address in 24 hours, counted from the accounts' rows)."""
    limit = settings.AGORA_SIGNUPS_PER_IP
    if not ip or not limit or not getattr(settings, "AGORA_RATE_LIMITS_ENABLED", True):
        return 0
    now = timezone.now()
    day = timedelta(days=1)
    joined = list(
        User.objects.filter(registration_ip=ip, date_joined__gt=now - day)
        .order_by("-date_joined")
        .values_list("date_joined", flat=True)[:limit]
    )
    if len(joined) < limit:
        return 0
    return max(1, int((joined[-1] + day - now).total_seconds()))
