"""Topic slugs keep every script readable: letters with their combining marks (Indic vowel signs and
viramas, Thai vowels, Hebrew points, Arabic harakat), and the topic URL they make works end to end."""

import unicodedata
from urllib.parse import quote, unquote

import pytest

from agora.discuss import services
from agora.discuss.models import make_slug
from tests import factories


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How do I upload a file?", "how-do-i-upload-a-file"),
        ("Как загрузить файл?", "как-загрузить-файл"),
        ("हिन्दी में सवाल", "हिन्दी-में-सवाल"),  # Django's slugify gave "हनद-म-सवल"
        ("ภาษาไทย คืออะไร", "ภาษาไทย-คืออะไร"),
        ("السَّلَامُ عَلَيْكُمْ", "السَّلَامُ-عَلَيْكُمْ"),
        ("שָׁלוֹם עוֹלָם", "שָׁלוֹם-עוֹלָם"),
        ("如何上传文件？", "如何上传文件"),
        ("தமிழ் கேள்வி", "தமிழ்-கேள்வி"),
        ("Ünïcödé  ---  Straße", "ünïcödé-straße"),
        ("ＡＢＣ ①", "abc-1"),  # NFKC: full-width and circled forms become plain ones
        ("Python 3.12: what's new?", "python-3-12-what-s-new"),
        ("a/b\\c%d?e#f\x00g\x1fh", "a-b-c-d-e-f-g-h"),
        ("I ❤️ Python", "i-python"),  # the emoji's variation selector is no mark on a letter
        ("می\u200cخواهم", "میخواهم"),  # invisible format characters vanish
        ("🎉🚀✨", "topic"),
        ("?!… — ¿¡ ***", "topic"),
        ("", "topic"),
    ],
)
def test_slugs_keep_letters_marks_and_digits_of_any_script(title, slug):
    assert make_slug(title) == slug


def test_slugs_are_normalised_and_hold_nothing_unsafe_for_a_path():
    for title in ["हिन्दी में सवाल", "e\u0301cole", "ＡＢＣ/../x", "tab\there\r\nnew\x7fline", "‮evil‬ name"]:
        slug = make_slug(title)
        assert slug == unicodedata.normalize("NFC", slug)
        assert not set(slug) & set("/\\%?#. ")
        assert all(unicodedata.category(c)[0] in "LMN" or c == "-" for c in slug), slug
        assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert make_slug("e\u0301cole") == "école"
    assert make_slug("‮evil‬ name") == "evil-name"  # no bidi overrides in URLs


def test_slugs_are_cut_at_80_characters_between_graphemes():
    assert make_slug("word " * 40) == ("word-" * 16).strip("-")
    assert len(make_slug("x" * 200)) == 80
    # A letter is never cut from its marks: 79 letters, then one with a mark, loses the last letter whole.
    assert make_slug("x" * 79 + "é") == "x" * 79 + "é"  # one character once composed (NFC)
    assert make_slug("x" * 79 + "नि") == "x" * 79
    assert make_slug("x" * 79 + "q\u0307\u0323") == "x" * 79  # no precomposed form
    # Nor is a virama cut from the consonant it joins: न्द is one cluster.
    assert make_slug("क" * 78 + "न्द") == "क" * 78
    assert make_slug("क" * 77 + "न्द") == "क" * 77 + "न्द"


def test_an_emoji_title_gets_the_fallback_slug(member, public_category, client):
    topic = factories.make_topic(member, public_category, title="🎉🎉🎉 !!!")
    assert topic.slug == "topic"
    assert client.get(f"/t/topic/{topic.pk}").status_code == 200


@pytest.mark.parametrize("title", ["हिन्दी में सवाल", "ภาษาไทย คืออะไร", "السَّلَامُ عَلَيْكُمْ", "שָׁלוֹם עוֹלָם", "如何上传文件？"])
def test_the_topic_url_works_end_to_end(title, member, public_category, client):
    topic = factories.make_topic(member, public_category, title=title)
    url = topic.get_absolute_url()
    assert url == f"/t/{make_slug(title)}/{topic.pk}"
    # As written in our pages, and as a browser sends it: percent-encoded UTF-8.
    assert client.get(url).status_code == 200
    encoded = quote(url)
    assert encoded.isascii() and encoded != url
    page = client.get(encoded)
    assert page.status_code == 200 and page.context["topic"] == topic
    # Lists link to it; a jump to a post and an outdated slug redirect to it, percent-encoded.
    assert url in client.get("/latest").content.decode()
    jump = client.get(f"/t/-/{topic.pk}/1")
    assert jump.status_code == 302 and unquote(jump["Location"]) == url + "#post-1" and jump["Location"].isascii()
    old = client.get(f"/t/old-title/{topic.pk}")
    assert old.status_code == 301 and old["Location"] == encoded
    assert client.get(old["Location"]).status_code == 200


def test_a_title_edit_gives_a_new_slug_and_the_old_one_redirects(member_client, member, public_category):
    topic = factories.make_topic(member, public_category, title="How do I upload a file?")
    old_url = topic.get_absolute_url()
    services.post_edit(user=member, post=topic.posts.get(), raw="The opening post.", title="हिन्दी में सवाल")
    topic.refresh_from_db()
    assert topic.slug == "हिन्दी-में-सवाल"
    response = member_client.get(old_url)
    assert response.status_code == 301 and unquote(response["Location"]) == topic.get_absolute_url()


def test_a_category_slug_may_be_written_in_any_script(db):
    from django.core.exceptions import ValidationError

    from agora.discuss.models import Category

    Category(name="हिन्दी", slug="हिन्दी-में-सवाल").full_clean()
    with pytest.raises(ValidationError):
        Category(name="Bad", slug="Has Spaces").full_clean()
