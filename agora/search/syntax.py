"""The search box's little language: words, "quoted phrases" and filters (`#category`, `tag:x`, `@name`,
`group:x`, `after:2026-01-01`, `before:`, `status:solved|open`, `in:bookmarks|mine`, `lang:ar`,
`type:topic|post|story|event|question|user`).

Parsing never fails: what it cannot use (an unknown filter, a bad date, an unbalanced quote) is left out,
with a sentence in `errors` saying so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from agora.core.languages import normalize_content_language

from .text import has_word

MAX_QUERY_LENGTH = 500
MAX_TERMS = 20

TYPES = ("topic", "post", "story", "event", "question", "user")
STATUSES = ("solved", "open")
PLACES = ("bookmarks", "mine")
_FILTER_RE = re.compile(r"^([a-z]+):(.*)$", re.IGNORECASE)


@dataclass
class Term:
    text: str
    phrase: bool = False


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    category: str = ""
    tags: list[str] = field(default_factory=list)
    username: str = ""
    group: str = ""
    after: date | None = None
    before: date | None = None
    status: str = ""
    places: set[str] = field(default_factory=set)
    language: str = ""
    type: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.category
            or self.tags
            or self.username
            or self.group
            or self.after
            or self.before
            or self.status
            or self.places
            or self.language
            or self.type
        )

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.has_filters


def _tokens(q: str, errors: list[str]) -> list[tuple[str, bool]]:
    """Split into (text, quoted) pieces; an unbalanced quote is dropped and its words read as words."""
    pieces: list[tuple[str, bool]] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        if ch == '"':
            end = q.find('"', i + 1)
            if end == -1:
                errors.append(_("A quotation mark was not closed: the words after it were searched one by one."))
                pieces.extend((word, False) for word in q[i + 1 :].split())
                break
            pieces.append((q[i + 1 : end], True))
            i = end + 1
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] != '"':
            j += 1
        # A filter whose value is quoted (tag:"x y") keeps the quoted value.
        if j < n and q[j] == '"' and q[j - 1] == ":":
            end = q.find('"', j + 1)
            if end != -1:
                pieces.append((q[i:j] + q[j + 1 : end], False))
                i = end + 1
                continue
        pieces.append((q[i:j], False))
        i = j
    return pieces


def _date(key: str, value: str, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(_("“%(filter)s” needs a date written YYYY-MM-DD: it was ignored.") % {"filter": f"{key}:{value}"})
        return None


def parse(q: str) -> Query:
    """Read a query string. Never raises: what it cannot use is named in `errors`."""
    query = Query()
    errors = query.errors
    q = (q or "").replace("\x00", "")
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(
            _("Your search was %(length)s characters long: only the first %(max)s were searched.")
            % {"length": len(q), "max": MAX_QUERY_LENGTH}
        )
        q = q[:MAX_QUERY_LENGTH]
    for text, quoted in _tokens(q, errors):
        if quoted:
            if has_word(text):
                query.terms.append(Term(" ".join(text.split()), phrase=len(text.split()) > 1))
            continue
        if text.startswith("#") and len(text) > 1:
            query.category = text[1:]
            continue
        if text.startswith("@") and len(text) > 1:
            query.username = text[1:]
            continue
        match = _FILTER_RE.match(text)
        if match and match.group(2):
            _filter(query, match.group(1).lower(), match.group(2), errors)
            continue
        if has_word(text):
            query.terms.append(Term(text))
    if len(query.terms) > MAX_TERMS:
        errors.append(_("Only the first %(max)s words were searched.") % {"max": MAX_TERMS})
        del query.terms[MAX_TERMS:]
    return query


def _filter(query: Query, key: str, value: str, errors: list[str]) -> None:
    shown = f"{key}:{value}"
    if key == "tag":
        query.tags.extend(t for t in value.lower().split(",") if t)
    elif key == "user":
        query.username = value.lstrip("@")
    elif key in ("category", "c"):
        query.category = value.lstrip("#")
    elif key == "group":
        query.group = value
    elif key == "after":
        query.after = _date(key, value, errors)
    elif key == "before":
        query.before = _date(key, value, errors)
    elif key == "status" and value.lower() in STATUSES:
        query.status = value.lower()
    elif key == "in" and value.lower() in PLACES:
        query.places.add(value.lower())
    elif key == "type" and value.lower() in TYPES:
        query.type = value.lower()
    elif key == "lang" and normalize_content_language(value):
        query.language = normalize_content_language(value) or ""
    elif key in ("status", "in", "type", "lang"):
        errors.append(_("“%(filter)s” is not a value this filter knows: it was ignored.") % {"filter": shown})
    else:
        errors.append(_("Unknown filter “%(filter)s”: it was ignored.") % {"filter": shown})
