"""Remember when a signed-in user was last seen, at most once every five minutes, and from which
address (written only when it changes, so most requests cost nothing)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from agora.core.rate_limits import client_ip


class LastSeenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # One UPDATE at most, and none on most requests: the time every five minutes, the address
            # when it changes.
            changes = {}
            now = timezone.now()
            if request.method == "GET" and (
                user.last_seen_at is None or now - user.last_seen_at > timedelta(minutes=5)
            ):
                changes["last_seen_at"] = now
            ip = client_ip(request) or None
            if ip and ip != user.last_ip:
                changes["last_ip"] = ip
            if changes:
                get_user_model().objects.filter(pk=user.pk).update(**changes)
                for field, value in changes.items():
                    setattr(user, field, value)
        return response
