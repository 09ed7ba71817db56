"""Days visited: a signed-in person's first request of the day (UTC) counts the day, once. And whether the
request comes from a browser running reading.js (then its topic pages are counted from its reports)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from . import services


class DayVisitMiddleware:
    """At most one write per person per day: the cache remembers who was counted today in this process,
    and the DailyActivity row's `visited` flag makes a second process's attempt a no-op."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.reading_by_script.set(request.COOKIES.get(services.READING_COOKIE) == "js")
        try:
            response = self.get_response(request)
        finally:
            services.reading_by_script.reset(token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.method == "GET":
            today = timezone.now().date()
            if cache.add(services.visit_cache_key(user, today), 1, 26 * 3600):
                services.visit_record(user=user)
        return response
