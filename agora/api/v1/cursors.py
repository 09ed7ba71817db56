"""Cursor pagination: an opaque, signed cursor holds the ordering key and id of the last row returned.

Keyset pages read by index (no OFFSET, no COUNT) and never skip or repeat a row when rows are added
while a client walks a list. The cursor is signed, so a client cannot forge one into another list's
keys; a tampered or stale cursor answers 400."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .problems import Problem

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SALT = "agora.api.cursor"


@dataclass(frozen=True)
class Ordering:
    """A list's order: one field (a date, a number or a name, never null) then the id to break ties, both
    one way."""

    field: str
    descending: bool = True


def encode(values: list[Any], name: str) -> str:
    return signing.dumps([name, values], salt=_SALT, compress=True)


def decode(cursor: str, name: str) -> list[Any]:
    try:
        list_name, values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Problem("bad-cursor", _("This cursor was not given by this list; start again without one.")) from exc
    if list_name != name or not isinstance(values, list):
        raise Problem("bad-cursor", _("This cursor belongs to another list; start again without one."))
    return values


def _value(obj: Any, field: str) -> Any:
    value = obj
    for part in field.split("__"):
        value = getattr(value, part)
    return value.isoformat() if isinstance(value, datetime) else value


def _parse(value: Any, sample_is_date: bool) -> Any:
    if sample_is_date:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise Problem("bad-cursor", _("This cursor is damaged; start again without one."))
        return parsed
    return value


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def paginate(
    qs: QuerySet[Any],
    *,
    name: str,
    ordering: Ordering,
    cursor: str | None,
    limit: int,
    date_key: bool = True,
    transform: Callable[[list[Any]], None] | None = None,
) -> Page:
    """One page of `qs` after `cursor`, in `ordering` (then by id, the same way)."""
    sign = "-" if ordering.descending else ""
    qs = qs.order_by(f"{sign}{ordering.field}", f"{sign}id")
    if cursor:
        values = decode(cursor, name)
        if len(values) != 2 or not isinstance(values[1], int):
            raise Problem("bad-cursor", _("This cursor is damaged; start again without one."))
        key, last_id = _parse(values[0], date_key), values[1]
        op = "lt" if ordering.descending else "gt"
        qs = qs.filter(Q(**{f"{ordering.field}__{op}": key}) | Q(**{ordering.field: key, f"id__{op}": last_id}))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if transform is not None:
        transform(rows)
    next_cursor = encode([_value(rows[-1], ordering.field), rows[-1].pk], name) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)


def next_link(request: HttpRequest, next_cursor: str | None) -> str | None:
    """The absolute URL of the next page: the same query with the new cursor."""
    if not next_cursor:
        return None
    params = [(k, v) for k, v in request.GET.items() if k != "cursor"]
    params.append(("cursor", next_cursor))
    return request.build_absolute_uri(request.path + "?" + urlencode(params))
