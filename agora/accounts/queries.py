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
