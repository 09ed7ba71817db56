"""PostgreSQL full text: `search_pg_index` holds, per SearchDocument, a tsvector built with the stemming
configuration of the document's language where the server has one (`pg_ts_config`), `simple` otherwise
(GIN index), and the normalised text for substring search through pg_trgm (GIN, gin_trgm_ops) of
Chinese, Japanese, Thai and Indic words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from django.db import connection

from ..text import by_substring, normalise
from . import Match, like_escape

if TYPE_CHECKING:
    from ..models import SearchDocument
    from ..syntax import Term

# The table and its indexes are made by migrations/0002_fulltext_tables.py.

# Content languages and the PostgreSQL text search configuration named for each; used only when the
# server has it (PostgreSQL 16 has Arabic, Hindi, Nepali, Tamil, Greek, Catalan, Basque… besides
# Discourse's fifteen), `simple` otherwise.
CONFIG_NAMES = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "pt-BR": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


@cache
def _server_configs() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def config_for(language: str) -> str:
    """The configuration a document in `language` is indexed with."""
    name = CONFIG_NAMES.get(language) or CONFIG_NAMES.get(language.split("-")[0], "")
    return name if name in _server_configs() else "simple"


def query_configs(language: str = "") -> list[str]:
    """The configurations a query word is stemmed with: `simple` and the language's when the query names
    one, else every one the index may have used (a tsquery ORed over them, so the GIN index serves it)."""
    if language:
        return sorted({"simple", config_for(language)})
    return sorted({"simple", *(c for c in CONFIG_NAMES.values() if c in _server_configs())})


class PostgresBackend:
    def write(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        rows = []
        for d in documents:
            config = config_for(d.language)
            title, body = normalise(d.title), normalise(d.body)
            rows.append((d.pk, config, config, title, title, config, body, body, f"{title}\n{body}"))
        # Each text twice: stemmed by its language's configuration, and word for word (`simple`), so a
        # query's stopwords and exact forms match too ("the history of" in an English text).
        with connection.cursor() as cursor:
            cursor.executemany(
                """INSERT INTO search_pg_index (doc_id, config, vector, content)
                VALUES (%s, %s::regconfig,
                        setweight(to_tsvector(%s::regconfig, %s) || to_tsvector('simple', %s), 'A')
                        || setweight(to_tsvector(%s::regconfig, %s) || to_tsvector('simple', %s), 'B'),
                        %s)
                ON CONFLICT (doc_id) DO UPDATE SET config = EXCLUDED.config, vector = EXCLUDED.vector,
                    content = EXCLUDED.content""",
                rows,
            )

    def delete(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_pg_index WHERE doc_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_pg_index")

    def match(self, terms: Sequence[Term], language: str = "") -> Match:
        match = Match(
            joins="JOIN search_pg_index p ON p.doc_id = d.id",
            recency="1.0 / (1.0 + EXTRACT(EPOCH FROM (now() - d.created_at)) / 31536000.0)",
        )
        configs = query_configs(language)
        queries: list[str] = []
        query_params: list[object] = []
        for term in terms:
            text = normalise(term.text)
            if by_substring(term.text):
                match.where.append("p.content LIKE %s")
                match.params.append(f"%{like_escape(text)}%")
                continue
            # phraseto_tsquery takes plain text (no operators): a phrase's words in order, a word alone.
            one = "(" + " || ".join("phraseto_tsquery(%s::regconfig, %s)" for _ in configs) + ")"
            params = [value for config in configs for value in (config, text)]
            match.where.append(f"p.vector @@ {one}")
            match.params += params
            queries.append(one)
            query_params += params
        if queries:
            match.relevance = f"ts_rank(p.vector, {' && '.join(queries)})"
            match.relevance_params = query_params
        return match
