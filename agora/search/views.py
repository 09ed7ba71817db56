"""Search pages: /search (the form and its results) and /opensearch.xml (browsers and wikis add Agora as
a search provider from it)."""

from __future__ import annotations

from math import ceil

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agora import permissions
from agora.core.languages import language_choices
from agora.core.pagination import Page, page_number

from .queries import search as run_search
from .syntax import MAX_QUERY_LENGTH

PER_PAGE = 20
# The form's controls, each written into the query as its filter (so a result page's address, a
# bookmark and the search box all say the same thing).
CONTROLS = {"type": "type:", "category": "#", "lang": "lang:", "after": "after:", "before": "before:"}
TYPES = [
    ("topic", _("Topics")),
    ("post", _("Replies")),
    ("question", _("Questions")),
    ("story", _("Stories")),
    ("event", _("Events")),
    ("user", _("People")),
]


def _query(request: HttpRequest) -> tuple[str, dict[str, str]]:
    """The words typed and the controls chosen, joined into one query in the search syntax."""
    q = request.GET.get("q", "")
    chosen: dict[str, str] = {}
    parts = [q[: MAX_QUERY_LENGTH * 20]]  # the parser says what it cut; this only bounds the work
    for name, prefix in CONTROLS.items():
        words = request.GET.get(name, "").split()
        if words:
            chosen[name] = words[0][:100]
            parts.append(prefix + chosen[name])
    return " ".join(p for p in parts if p), chosen


def search(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    query, chosen = _query(request)
    results = run_search(request.user, query, page=number, per_page=PER_PAGE) if query.strip() else None
    page = None
    if results is not None:
        page = Page(
            object_list=results.hits,
            number=results.page,
            has_next=results.has_next,
            num_pages=max(1, ceil(results.total / PER_PAGE)),
        )
    return render(
        request,
        "search/search.html",
        {
            "q": request.GET.get("q", "")[: MAX_QUERY_LENGTH * 2],
            "chosen": chosen,
            "results": results,
            "page": page,
            "types": TYPES,
            "categories": permissions.visible_categories(request.user).order_by("position", "name"),
            "languages": language_choices(),
        },
    )


def opensearch(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "search/opensearch.xml",
        {"site_name": settings.SITE_NAME, "base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
