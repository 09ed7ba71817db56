"""The query parser: words, phrases and filters read; what it cannot use named, never an exception."""

from datetime import date

from agora.search.syntax import MAX_QUERY_LENGTH, Term, parse


def test_words_phrases_and_every_filter():
    q = parse(
        'maps "upload wizard" #ask-here tag:birds,maps @Mona_Lisa group:club after:2026-01-01 '
        "before:2026-02-01 status:solved in:bookmarks in:mine lang:ar type:question"
    )
    assert q.terms == [Term("maps"), Term("upload wizard", phrase=True)]
    assert q.category == "ask-here" and q.tags == ["birds", "maps"] and q.username == "Mona_Lisa"
    assert q.group == "club" and q.after == date(2026, 1, 1) and q.before == date(2026, 2, 1)
    assert q.status == "solved" and q.places == {"bookmarks", "mine"} and q.language == "ar"
    assert q.type == "question" and q.errors == []


def test_unbalanced_quote_searches_the_words_and_says_so():
    q = parse('maps "upload wizard')
    assert [t.text for t in q.terms] == ["maps", "upload", "wizard"]
    assert len(q.errors) == 1


def test_unknown_filters_and_bad_values_are_ignored_with_a_message():
    q = parse("foo:bar after:tomorrow status:maybe type:cat lang:xx-invalid in:space words")
    assert [t.text for t in q.terms] == ["words"]
    assert q.after is None and not q.status and not q.type and not q.language and not q.places
    assert len(q.errors) == 6


def test_a_huge_query_is_cut_with_a_message():
    q = parse("word " * 5000)
    assert any(str(MAX_QUERY_LENGTH) in e for e in q.errors)
    assert len(q.terms) <= 20


def test_punctuation_alone_is_no_term():
    assert parse('- "" ( ) * ^').terms == []
    assert parse("").is_empty


def test_quoted_filter_value():
    assert parse('tag:"birds" x').tags == ["birds"]
