"""The content languages a list is narrowed to or led by: `?lang=pa,hi` from the query string, and the
reader's own languages first.

Three states, all in the URL or in who the reader is, so the visitors' page cache (keyed by interface
language and path) stays right:
- `?lang=pa,hi`: only items in those languages (unknown codes are dropped and named in a note);
- `?lang=all`: every language, newest first, as the list would be without languages;
- nothing: for a member who set their languages (their pages are never cached), items in those languages
  come first among the recent ones; for everyone else the list is as it always was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from agora.core.languages import language_autonym, normalize_content_language

PARAM = "lang"
ALL = "all"
MAX_CODES = 8
# "First" means first among what is recent: a reader's-language topic of last year does not sit above
# today's conversation in another language.
RECENT = timedelta(days=14)


@dataclass
class LanguageFilter:
    codes: list[str] = field(default_factory=list)  # ?lang=: only these
    show_all: bool = False  # ?lang=all
    preferred: list[str] = field(default_factory=list)  # the reader's languages, put first (when no ?lang)
    unknown: list[str] = field(default_factory=list)  # codes in ?lang= that name no language
    params: dict[str, str] = field(default_factory=dict)  # the rest of the query string, kept in links

    @property
    def value(self) -> str:
        """What `?lang=` says, for links (pagination) that keep it."""
        return ALL if self.show_all else ",".join(self.codes)

    @property
    def active(self) -> list[str]:
        return self.codes or self.preferred

    def names(self) -> list[tuple[str, str]]:
        return [(code, language_autonym(code)) for code in self.active]

    def url(self, value: str) -> str:
        """The query string for the same list with `lang` set to `value` ("" drops it)."""
        params = {k: v for k, v in self.params.items() if k not in (PARAM, "page")}
        if value:
            params[PARAM] = value
        return "?" + urlencode(params) if params else "?"

    @property
    def only_preferred_url(self) -> str:
        return self.url(",".join(self.preferred))

    @property
    def all_url(self) -> str:
        return self.url(ALL)


def parse_codes(raw: str) -> tuple[list[str], list[str]]:
    """(known codes, unknown ones) from "pa,hi,xx"; each known code once, in the order given."""
    known: list[str] = []
    unknown: list[str] = []
    for part in raw.replace(" ", ",").split(",")[: MAX_CODES * 2]:
        part = part.strip()
        if not part:
            continue
        code = normalize_content_language(part)
        if code is None:
            unknown.append(part[:20])
        elif code not in known and len(known) < MAX_CODES:
            known.append(code)
    return known, unknown


def language_filter(request: HttpRequest, *, lead_with_reader: bool = True) -> LanguageFilter:
    """The filter a list page applies. `lead_with_reader`: put a member's own languages first when the
    query string says nothing (their pages are never in the visitors' cache)."""
    raw = (request.GET.get(PARAM) or "").strip()
    result = LanguageFilter(params=dict(request.GET.items()))
    if raw.casefold() == ALL:
        result.show_all = True
    elif raw:
        result.codes, result.unknown = parse_codes(raw)
    user = getattr(request, "user", None)
    if not raw and lead_with_reader and user is not None and user.is_authenticated:
        result.preferred, _unknown = parse_codes(",".join(getattr(user, "language_list", []) or []))
    return result


def apply_language_filter(qs: QuerySet[Any], lf: LanguageFilter, *, field: str = "language", recent: str = "") -> Any:
    """`qs` narrowed to the filter's languages, or with the reader's languages first (within RECENT of
    now on the `recent` date field, when given), keeping the list's own order after that. One query,
    whatever the page."""
    if lf.codes:
        return qs.filter(**{f"{field}__in": lf.codes})
    if not lf.preferred:
        return qs
    condition = Q(**{f"{field}__in": lf.preferred})
    if recent:
        condition &= Q(**{f"{recent}__gte": timezone.now() - RECENT})
    rank = Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField())
    order = list(qs.query.order_by) or ["-pk"]
    # Pinned topics stay on top: the reader's languages lead what follows them.
    pinned = 0
    while pinned < len(order) and "pinned" in str(order[pinned]):
        pinned += 1
    return qs.annotate(language_rank=rank).order_by(*order[:pinned], "language_rank", *order[pinned:])
