"""Whole-page cache for anonymous visitors, who all see the same pages.

A visitor with no session or messages cookie gets Discuss pages from the cache (local memory, or
Redis shared by every app server). A write invalidates every cached page at once by moving a
version number that is part of each key: services call `content_changed()` on commit, and a
successful post to the admin moves it too. Likes do not, so visitors' like counts may lag. Entries
expire after AGORA_PAGE_CACHE_SECONDS, which bounds staleness from anything else.

Local memory is each process's own, so a write in another process (the task worker publishing a
scheduled story, a second server process) would not move this one's version: there, each write also
puts a new token in a small file (AGORA_PAGE_CACHE_STAMP, in the var directory), and the token is part
of each key too. Reading it costs one small file read per visitor's request; with Redis it is off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# Cookies that make a visitor's pages their own: a session (signed in, or a pending message) and
# messages kept in a cookie. The CSRF cookie alone does not: visitors' Discuss pages carry no token.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# Only the views that apps name with cache_views() are cached; everything else (accounts, admin, health,
# forms) never is. Each may have a hook run when its page is served from the cache (a topic page is still
# a view of its topic). Core names none of them: the apps add theirs in their AppConfig.ready().
_CACHED_VIEWS: dict[str, Callable[[HttpRequest, ResolverMatch], None] | None] = {}
# The visitors' time zone choice (agora.events.views.TZ_COOKIE): part of a cached page's key.
TIME_ZONE_COOKIE = "agora_tz"
# Headers kept with a cached page (the rest are set again by the middleware on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link")


def cache_views(*view_names: str, on_hit: Callable[[HttpRequest, ResolverMatch], None] | None = None) -> None:
    """Serve these views' pages (URL names, "discuss:latest") to visitors from the cache. `on_hit(request,
    match)` runs when one is answered from the cache, where the view itself does not run."""
    for name in view_names:
        _CACHED_VIEWS[name] = on_hit


def content_changed() -> None:
    """Invalidate every cached page, once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (a fresh cache): start one
        cache.add(VERSION_KEY, 1, None)
    _write_stamp()


def _write_stamp() -> None:
    """Tell the processes that do not share this cache: a fresh token, written whole (a reader never
    sees half a file)."""
    path = settings.AGORA_PAGE_CACHE_STAMP
    if not path:
        return
    draft = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        with open(draft, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(8))
        os.replace(draft, path)
    except OSError:
        # The write is committed; other processes' pages expire within AGORA_PAGE_CACHE_SECONDS anyway.
        logger.exception("Could not write the page cache stamp %s", path)


def _stamp() -> str:
    path = settings.AGORA_PAGE_CACHE_STAMP
    if not path:
        return ""
    try:
        with open(path, encoding="ascii") as file:
            return file.read(32)
    except OSError:  # none yet: nothing was written since the var directory was made
        return ""


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def _resolve(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.AGORA_PAGE_CACHE_SECONDS > 0
        and request.method in {"GET", "HEAD"}
        and not request.headers.get("HX-Request")
        and not (PERSONAL_COOKIES & set(request.COOKIES))
    )


class AnonymousPageCacheMiddleware:
    """Serve visitors' Discuss pages from the cache; answer If-None-Match with 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            response = self.get_response(request)
            # Site writes invalidate through the services; the admin writes rows directly.
            if request.method == "POST" and request.path_info.startswith("/admin/") and response.status_code < 400:
                _bump()
            return response
        match = _resolve(request)
        if match is None or match.view_name not in _CACHED_VIEWS:
            return self.get_response(request)
        # A visitor's chosen time zone (events show times in it) makes a page of its own.
        zone = request.COOKIES.get(TIME_ZONE_COOKIE, "")[:64]
        path = hashlib.sha256(f"{request.get_full_path()}\x00{zone}".encode()).hexdigest()
        key = f"page-cache:{_version()}:{_stamp()}:{get_language()}:{path}"
        cached = cache.get(key)
        if cached is not None:
            response = self._from_cache(request, cached)
            response["X-Agora-Cache"] = "hit"
            on_hit = _CACHED_VIEWS[match.view_name]
            if on_hit is not None:
                on_hit(request, match)
            return response
        response = self.get_response(request)
        # The language (cookie or Accept-Language) and the session make pages differ: say so to every
        # cache on the way, on the first answer as on the cached ones.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        user = getattr(request, "user", None)
        # A page that sets a cookie (a CSRF token, a session) is someone's own: never cache it. The
        # CSRF and session middleware set theirs after this one, so ask the request what they will do.
        session = getattr(request, "session", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and not (user is not None and user.is_authenticated)
        ):
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers, etag), settings.AGORA_PAGE_CACHE_SECONDS)
            response["ETag"] = etag
            response["X-Agora-Cache"] = "miss"
        return response

    @staticmethod
    def _from_cache(request: HttpRequest, cached) -> HttpResponse:
        content, headers, etag = cached
        not_modified = request.headers.get("If-None-Match") == etag
        response = HttpResponse(status=304) if not_modified else HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["ETag"] = etag
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
