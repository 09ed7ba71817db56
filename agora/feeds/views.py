"""Feed and widget pages: parse the filters (400 on bad ones), read through agora.feeds.queries, answer
conditional GETs with 304, write the format asked for."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from agora import permissions
from agora.blog.models import BlogCategory

from . import queries, writers
from .queries import BadFilter, FeedFilters, FeedSource

# Visitors' feeds are the same for everyone: shared caches may keep them this long.
VISITOR_MAX_AGE = 300
EMBED_KINDS = ("topics", "stories", "events")


def bad_filter(exc: BadFilter) -> HttpResponse:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


def _cache_headers(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=VISITOR_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _viewer_key(request: HttpRequest) -> str:
    return f"member:{request.user.pk}" if request.user.is_authenticated else "visitor"


def write_feed(request: HttpRequest, source: FeedSource, fmt: str, filter_key: str) -> HttpResponse:
    """The feed in `fmt`, or 304 when the reader's ETag or date still matches the newest items."""
    etag = quote_etag(source.fingerprint(request.path, fmt, filter_key, _viewer_key(request), get_language() or ""))
    newest = source.newest()
    last_modified = int(newest.timestamp()) if newest else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        # A 304 repeats the validators (RFC 9110, 15.4.5), so caches keep what they have fresh.
        not_modified["ETag"] = etag
        if last_modified is not None:
            not_modified["Last-Modified"] = http_date(last_modified)
        return _cache_headers(not_modified, request)
    absolute = request.build_absolute_uri
    feed = writers.FORMATS[fmt](
        title=source.title,
        link=absolute(source.link),
        description=source.description,
        language=source.language or None,
        feed_url=absolute(request.get_full_path()),
    )
    for entry in source.entries:
        feed.add_item(
            title=entry.title,
            link=absolute(entry.link),
            description=entry.summary,
            content=entry.content_html,
            unique_id=absolute(entry.guid),
            unique_id_is_permalink=False,
            author_name=entry.author_name or None,
            author_link=absolute(entry.author_link) if entry.author_link else None,
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=entry.categories,
            language=entry.language,
        )
    response = HttpResponse(content_type=getattr(feed, "content_type", "application/xml; charset=utf-8"))
    feed.write(response, "utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return _cache_headers(response, request)


def _discussion_feed(
    build: Callable[..., FeedSource], allowed: frozenset[str] = queries.TOPIC_FILTERS
) -> Callable[..., HttpResponse]:
    @require_safe
    def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            filters = queries.parse_filters(request.user, request.GET, allowed=allowed)
        except BadFilter as exc:
            return bad_filter(exc)
        source = build(request.user, filters=filters, **kwargs)
        return write_feed(request, source, fmt, filters.key())

    view.__name__ = build.__name__
    return view


latest = _discussion_feed(queries.latest_feed)
category = _discussion_feed(queries.category_feed, queries.TOPIC_FILTERS - {"category"})
tag = _discussion_feed(queries.tag_feed)
group = _discussion_feed(queries.group_feed)
person = _discussion_feed(queries.person_feed)
topic = _discussion_feed(queries.topic_feed, queries.POST_FILTERS)


# --- The blog: its own feed classes (blog.feeds), written as RSS and JSON Feed too ----------------


class _LanguageTagged:
    """Each story's language on its item (JSON Feed writes it)."""

    def item_extra_kwargs(self, item: Any) -> dict:
        return {**super().item_extra_kwargs(item), "language": item.language}  # type: ignore[misc]


def _story_feed_class(base: type, fmt: str) -> type:
    return type(f"{fmt.title()}{base.__name__}", (_LanguageTagged, base), {"feed_type": writers.FORMATS[fmt]})


class BlogFeed:
    """One of the blog's feeds in a format: `?lang=` only (anything else is a 400), ETag from the content
    written and Last-Modified from its newest story (Django's Feed sets it), 304 on a match."""

    def __init__(self, base: type, fmt: str) -> None:
        self.feed = _story_feed_class(base, fmt)()

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        try:
            queries.parse_filters(None, request.GET, allowed=queries.STORY_FILTERS)
        except BadFilter as exc:
            return bad_filter(exc)
        response = self.feed(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        answer = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        return _cache_headers(answer or response, request)


# --- The widget -------------------------------------------------------------------------------------


def _embed_entries(kind: str, params: QueryDict) -> list[queries.Entry]:
    # The anonymous viewer, whoever's browser frames the page: a widget shows public content only.
    visitor = AnonymousUser()
    if kind == "stories":
        return queries.embed_stories(params)
    filters: FeedFilters = queries.parse_filters(
        visitor, params, allowed=frozenset({"category", "tag", "tags", "lang", "limit"})
    )
    if kind == "events":
        return queries.embed_events(visitor, filters)
    return queries.embed_topics(visitor, filters)


def _more_url(kind: str, params: QueryDict) -> str:
    if kind == "stories":
        return "/blog"
    if kind == "events":
        return "/events"
    if slug := params.get("category"):
        return f"/c/{quote(slug, safe='')}"
    return "/latest"


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # (csp types a view as taking the request alone)
def embed(request: HttpRequest, kind: str) -> HttpResponse:
    """A small list that other sites may frame: no site chrome, no cookies read, links open outside."""
    try:
        entries = _embed_entries(kind, request.GET)
    except BadFilter as exc:
        return bad_filter(exc)
    context = {
        "entries": entries,
        "kind": kind,
        "origin": request.build_absolute_uri("/").rstrip("/"),
        "more_url": _more_url(kind, request.GET),
    }
    response = render(request, "feeds/embed.html", context)
    patch_cache_control(response, public=True, max_age=VISITOR_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_safe
def embed_builder(request: HttpRequest) -> HttpResponse:
    """/embed: the snippet to copy, built from a form, with a live preview."""
    kind = request.GET.get("kind", "topics")
    if kind not in EMBED_KINDS:
        kind = "topics"
    params = {k: request.GET.get(k, "").strip() for k in ("category", "tag", "lang", "limit")}
    chosen = QueryDict(mutable=True)
    for key, value in params.items():
        if value:
            chosen[key] = value
    error = ""
    try:
        _embed_entries(kind, chosen)
    except BadFilter as exc:
        error = str(exc)
    origin = request.build_absolute_uri("/").rstrip("/")
    embed_url = f"{origin}/embed/{kind}" + (f"?{urlencode(chosen)}" if chosen else "")
    context = {
        "kind": kind,
        "kinds": [(k, _label(k)) for k in EMBED_KINDS],
        "params": params,
        "categories": permissions.visible_categories(AnonymousUser()).order_by("position", "name"),
        "blog_categories": BlogCategory.objects.order_by("name"),
        "error": error,
        "embed_url": embed_url,
        "script_url": f"{origin}{settings.STATIC_URL}agora/embed.js",
        "link_text": _("%(kind)s on %(site)s") % {"kind": _label(kind), "site": settings.SITE_NAME},
    }
    return render(request, "feeds/embed_builder.html", context, status=400 if error else 200)


def _label(kind: str) -> str:
    return {"topics": _("Topics"), "stories": _("Stories"), "events": _("Events")}[kind]
