"""Account reads: people by the name in their profile address."""

from django.http import Http404

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
