"""SQLite FTS5: `search_fts` finds words (unicode61, with the combining-mark categories so Devanagari and
Gurmukhi vowel signs stay inside their words), `search_trigram` finds substrings (Chinese, Japanese, Thai,
Indic words); both hold the normalised text, keyed by the SearchDocument's id as their rowid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import connection

from ..text import by_substring, normalise
from . import Match, like_escape

if TYPE_CHECKING:
    from ..models import SearchDocument
    from ..syntax import Term

# The tables are made by migrations/0002_fulltext_tables.py.


def fts_string(text: str) -> str:
    """A term as an FTS5 string: in double quotes, its own double quotes doubled. Inside quotes nothing is
    syntax (no AND, NEAR, column filter or star), so no user text can make a MATCH fail."""
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend:
    def write(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        rows = [(d.pk, normalise(d.title), normalise(d.body)) for d in documents]
        self.delete(d.pk for d in documents)
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", rows)
            cursor.executemany("INSERT INTO search_trigram (rowid, title, body) VALUES (%s, %s, %s)", rows)

    def delete(self, ids: Iterable[int]) -> None:
        rows = [(pk,) for pk in ids]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", rows)
            cursor.executemany("DELETE FROM search_trigram WHERE rowid = %s", rows)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_trigram")

    def match(self, terms: Sequence[Term], language: str = "") -> Match:
        match = Match(recency="1.0 / (1.0 + (julianday('now') - julianday(d.created_at)) / 365.0)")
        words = [normalise(t.text) for t in terms if not by_substring(t.text)]
        if words:
            # bm25 is negative, lower is better; the title weighs more than the body. It is computed in a
            # subquery where the FTS table drives the scan, the only place SQLite allows it.
            match.joins = (
                "JOIN (SELECT rowid AS doc_id, bm25(search_fts, 4.0, 1.0) AS rank FROM search_fts "
                "WHERE search_fts MATCH %s) f ON f.doc_id = d.id"
            )
            match.params.append(" ".join(fts_string(w) for w in words))
            match.relevance = "(-f.rank)"
        for term in terms:
            if not by_substring(term.text):
                continue
            text = normalise(term.text)
            if len(text) >= 3:
                match.where.append("d.id IN (SELECT rowid FROM search_trigram WHERE search_trigram MATCH %s)")
                match.params.append(fts_string(text))
            else:
                # Trigrams never match under three characters (most two-character Chinese words): LIKE
                # reads the trigram table's own copy of the text.
                match.where.append(
                    "d.id IN (SELECT rowid FROM search_trigram WHERE title LIKE %s ESCAPE '\\' "
                    "OR body LIKE %s ESCAPE '\\')"
                )
                pattern = f"%{like_escape(text)}%"
                match.params += [pattern, pattern]
        return match
