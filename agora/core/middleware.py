"""Request checks made before any view or database work."""

import functools
import re
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from agora.core.interface_language import member_language

# C0 control characters other than tab, newline and carriage return. PostgreSQL refuses NUL in text
# outright (psycopg raises DataError, a 500), and none of them belongs in a slug, a name or a search.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(request: HttpRequest) -> bool:
    if CONTROL_CHARACTERS.search(request.path):
        return True
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
        for key, values in request.GET.lists()
    )


class RejectControlCharactersMiddleware:
    """Answer 400 Bad Request when the decoded path or query string holds a control character.

    A session cookie holding one is no session (it would reach the database too): it is blanked, and
    the session middleware then deletes it from the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            return render(request, "400.html", status=400)
        if CONTROL_CHARACTERS.search(request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")):
            request.COOKIES[settings.SESSION_COOKIE_NAME] = ""
        return self.get_response(request)


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class ReaderMiddleware:
    """A signed-in member's own interface language and time zone, over the browser's and the site's.

    Language: LocaleMiddleware runs before anyone is signed in, so this one, after
    AuthenticationMiddleware, activates the member's choice; it runs before the page cache, which keys
    pages by the active language. Time zone: the member's `timezone` preference, else the site's;
    visitors all get the site's, so the page cache's copies stay the same for everyone. The user row is
    loaded by every page anyway (the header shows the member), so this costs no query.

    One middleware for both, not two: every layer deepens the stack under the templates, and on
    Python 3.11 the topic page's deep template nesting sits at a frame-chunk boundary where one more
    layer costs it about 10 ms of CPU (docs/languages.md, "Dates, times and numbers", Cost)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if code := member_language(user):
            translation.activate(code)
            request.LANGUAGE_CODE = code
        zone = _zone(getattr(user, "timezone", "") or "") if user is not None and user.is_authenticated else None
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
