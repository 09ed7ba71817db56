"""Full-text backends behind one interface, chosen by the database vendor: SQLite FTS5 (embedded) and
PostgreSQL full text (at scale). Each keeps its own table in step with SearchDocument (`write`, `delete`)
and turns parsed terms into SQL (`match`) that search.queries puts inside its one permission-filtered
query. User text only ever reaches the database as a bound parameter, quoted for the match syntax."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db import connection

if TYPE_CHECKING:
    from ..models import SearchDocument
    from ..syntax import Term


@dataclass
class Match:
    """SQL about the outer query's `d` (search_searchdocument): tables to join, conditions, a relevance."""

    joins: str = ""
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)  # joins' then where's parameters, in order
    relevance: str = "1.0"
    relevance_params: list[Any] = field(default_factory=list)
    recency: str = "1.0"


class Backend(Protocol):
    def write(self, documents: Sequence[SearchDocument]) -> None: ...
    def delete(self, ids: Iterable[int]) -> None: ...
    def clear(self) -> None: ...
    def match(self, terms: Sequence[Term], language: str = "") -> Match: ...


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def backend() -> Backend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
