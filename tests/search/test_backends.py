"""The backends themselves: the FTS5 tokenizer keeps Indic vowel signs inside words, PostgreSQL picks each
language's stemming configuration where the server has one, and a rolled-back write indexes nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from agora.search.models import SearchDocument
from tests import factories


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tokenizer")
def test_fts5_keeps_vowel_signs_inside_their_words(member, write):
    category = factories.make_category("Hall", slug="hall")
    topic = write(factories.make_topic, member, category, title="पढ़ना", raw="किताबें पढ़ना अच्छा है। ਪੰਜਾਬੀ", language="hi")
    doc = SearchDocument.objects.get(kind="topic", object_id=topic.pk)

    def words(expression: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
            return [row[0] for row in cursor.fetchall()]

    assert words('"किताबें"') == [doc.pk]
    assert words('"ਪੰਜਾਬੀ"') == [doc.pk]
    # With the default categories the vowel sign would split किताबें into क, त, ब: not here.
    assert words('"किताब"') == []
    assert words('"क"') == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search configurations")
def test_postgresql_stems_by_language_where_it_can(db):
    from agora.search.backends.postgres import config_for

    assert config_for("ru") == "russian"
    assert config_for("en") == "english"
    assert config_for("pa") == "simple"  # no Punjabi stemmer
    assert config_for("zh") == "simple"


def test_a_rolled_back_write_indexes_nothing(member, committed):
    category = factories.make_category("Hall", slug="hall")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        factories.make_topic(member, category, title="Never", raw="rolled back")
        raise RuntimeError
    assert not SearchDocument.objects.exists()
