"""Remember when a signed-in user was last seen, at most once every five minutes."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone


class LastSeenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.method == "GET":
            now = timezone.now()
            if user.last_seen_at is None or now - user.last_seen_at > timedelta(minutes=5):
                get_user_model().objects.filter(pk=user.pk).update(last_seen_at=now)
                user.last_seen_at = now
        return response
