"""Ask a signed-in member who has not accepted the code of conduct's current version to accept it,
before any other page. One cheap query per request at most, and none once they have accepted: the
version is cached, and the session remembers what its member accepted."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from . import queries

SESSION_KEY = "agora_code_accepted"  # [user id, highest version accepted]
ACCEPT_PATH = "/code-of-conduct/accept"
# Answers that are no pages: feeds, calendars, exports, JSON. The middleware never stands in their way.
_DATA_SUFFIXES = (".json", ".ics", ".atom", ".rss", ".xml", ".csv", ".geojson", ".txt")


def remember_accepted(request: HttpRequest, version: int) -> None:
    """Note in the session that its member accepted this version (after the accept page, or a check)."""
    value = [request.user.pk, version]
    if request.session.get(SESSION_KEY) != value:
        request.session[SESSION_KEY] = value


def remember_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """At sign-in (any way: password, a social account, a test's force_login), note what the member
    accepted, so their first page costs no query. Django's user_logged_in signal is the one place every
    sign-in passes; this only fills a cache, it decides nothing."""
    if request is None or not hasattr(request, "session"):
        return
    _current, accepted = queries.code_state(user)
    request.session[SESSION_KEY] = [user.pk, accepted]


def _is_page_view(request: HttpRequest) -> bool:
    """A browser asking for a page: GET, not htmx, not a file, feed or JSON endpoint, not exempt."""
    if request.method not in {"GET", "HEAD"} or request.headers.get("HX-Request"):
        return False
    path = request.path_info
    if path.endswith(_DATA_SUFFIXES) or any(path.startswith(p) for p in settings.AGORA_CODE_OF_CONDUCT_EXEMPT_PATHS):
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


class CodeOfConductMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _is_page_view(request) and not self._accepted(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{ACCEPT_PATH}?{query}")
        return self.get_response(request)

    def _accepted(self, request: HttpRequest) -> bool:
        current = queries.cached_code_version()
        seen = request.session.get(SESSION_KEY)
        if current is not None and seen and seen[0] == request.user.pk and seen[1] >= current:
            return True  # no query at all: the usual case
        current, accepted = queries.code_state(request.user)  # one query, which also fills the cache
        remember_accepted(request, accepted)
        return accepted >= current
