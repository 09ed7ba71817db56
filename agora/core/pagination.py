"""Pagination without COUNT(*): lists fetch one row more than a page to know whether another follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest


@dataclass
class Page:
    object_list: list[Any]
    number: int
    has_next: bool
    num_pages: int | None = None  # known only where a row holds the total (a topic's post count)
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(request: HttpRequest) -> int:
    """The ?page= number (1 when absent). Anything but a positive whole number is a page that does
    not exist: 404, as Django's paginator answers, never a 500."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise Http404
    return int(raw)


def peek_page(queryset, number: int, size: int) -> Page:
    """One page of a queryset, fetched with LIMIT size+1. An empty page past the first is a 404."""
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    if number > 1 and not rows:
        raise Http404
    return Page(object_list=rows[:size], number=number, has_next=len(rows) > size)
