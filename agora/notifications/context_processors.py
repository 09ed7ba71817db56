"""The header's unread-notification count, for signed-in people only."""

from functools import cache

from django.http import HttpRequest

from .queries import unread_notification_count


def unread_notifications(request: HttpRequest) -> dict:
    """`unread_notifications`: counted (one query) only when a template shows it, so htmx fragments and
    pages without the header pay nothing. Visitors get nothing: their pages stay the same for all."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A template calls a callable it finds in the context; cache() makes the header's two uses one query.
    return {"unread_notifications": cache(lambda: unread_notification_count(user))}
