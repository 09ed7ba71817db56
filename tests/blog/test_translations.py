"""Stories in several languages as readers get them: one entry per story in the reader's language on
the blog's lists and feed, `?lang=` filters, and "Help translate" (starting a linked draft)."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.core.exceptions import ValidationError

from agora.blog import services
from agora.blog.models import BlogCategory, Story
from tests import factories
from tests.blog.test_pages import BASE_TIME, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Writer", trust_level=1)


@pytest.fixture
def punjabi_reader(db):
    return factories.UserFactory(
        username="Harpreet", trust_level=1, languages="pa", interface_language="en"
    )  # reads Punjabi, works in English


@pytest.fixture
def stories(author):
    """A story in English with a Punjabi and an Arabic translation, and an English story of its own."""
    section = BlogCategory.objects.create(name="Community", slug="community")
    original = make_story(author, title="The photo contest winners", slug="winners", categories=[section])
    punjabi = make_story(
        author,
        title="ਫੋਟੋ ਮੁਕਾਬਲੇ ਦੇ ਜੇਤੂ",
        slug="winners-pa",
        language="pa",
        translation_of=original,
        categories=[section],
        published_at=BASE_TIME + timedelta(hours=1),
    )
    arabic = make_story(
        author,
        title="الفائزون في مسابقة الصور",
        slug="winners-ar",
        language="ar",
        translation_of=original,
        published_at=BASE_TIME + timedelta(hours=2),
    )
    alone = make_story(
        author, title="A workshop in the library", slug="workshop", published_at=BASE_TIME - timedelta(days=1)
    )
    return {"en": original, "pa": punjabi, "ar": arabic, "alone": alone}


def _slugs(response):
    return [s.slug for s in response.context["stories"]]


def test_the_blog_shows_each_story_once_in_the_readers_language(client_for, punjabi_reader, stories):
    response = client_for(punjabi_reader).get("/blog")
    assert _slugs(response) == ["winners-pa", "workshop"]
    assert 'href="/blog/winners-pa"' in response.content.decode()


def test_accept_language_chooses_the_version_for_a_visitor(client, stories):
    assert _slugs(client.get("/blog", HTTP_ACCEPT_LANGUAGE="pa,en;q=0.5")) == ["winners-pa", "workshop"]
    assert _slugs(client.get("/blog", HTTP_ACCEPT_LANGUAGE="ar")) == ["winners-ar", "workshop"]


def test_a_punjabi_reader_finds_the_punjabi_stories_first(client, punjabi_reader, author, stories, client_for):
    older = make_story(
        author, title="ਪਿੰਡ ਦੀ ਲਾਇਬ੍ਰੇਰੀ", slug="library-pa", language="pa", published_at=BASE_TIME - timedelta(days=30)
    )
    for response in (client.get("/blog", HTTP_ACCEPT_LANGUAGE="pa"), client_for(punjabi_reader).get("/blog")):
        first = [s.slug for s in response.context["in_own_languages"]]
        assert first == ["winners-pa", older.slug]  # written in Punjabi, newest first, above everything
        page = response.content.decode()
        assert page.index("ਪਿੰਡ ਦੀ ਲਾਇਬ੍ਰੇਰੀ") < page.index("A workshop in the library")
        assert "ਪੰਜਾਬੀ" in page
    # A reader of the site's own language gets the list as it is.
    assert client.get("/blog", HTTP_ACCEPT_LANGUAGE="en").context["in_own_languages"] == []


def test_a_reader_of_a_language_without_a_version_gets_the_original(client, stories):
    assert _slugs(client.get("/blog", HTTP_ACCEPT_LANGUAGE="fr")) == ["winners", "workshop"]


def test_section_lists_fold_translations_too(client, stories):
    assert _slugs(client.get("/blog/category/community", HTTP_ACCEPT_LANGUAGE="pa")) == ["winners-pa"]


def test_lang_filters_the_blog_and_unknown_codes_are_named(client, stories):
    assert _slugs(client.get("/blog?lang=ar")) == ["winners-ar"]
    assert _slugs(client.get("/blog?lang=pa,ar", HTTP_ACCEPT_LANGUAGE="ar")) == ["winners-pa"]  # ?lang's order wins
    response = client.get("/blog?lang=xx-nope,pa")
    assert response.status_code == 200
    assert _slugs(response) == ["winners-pa"]
    assert "Unknown language codes ignored: xx-nope" in response.content.decode()
    assert client.get("/blog?lang=%ff,,,%20").status_code == 200


def test_the_atom_feed_filters_and_folds(client, stories):
    feed = feedparser.parse(client.get("/blog.atom?lang=pa").content)
    assert [e.title for e in feed.entries] == ["ਫੋਟੋ ਮੁਕਾਬਲੇ ਦੇ ਜੇਤੂ"]
    feed = feedparser.parse(client.get("/blog.atom", HTTP_ACCEPT_LANGUAGE="en").content)
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["winners", "workshop"]


def test_a_story_page_names_its_other_languages_with_hreflang(client, stories):
    page = client.get("/blog/winners-pa").content.decode()
    assert '<link rel="alternate" hreflang="en" href="/blog/winners">' in page
    assert 'hreflang="ar" lang="ar">العربية</a>' in page


# --- Help translate ---------------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client, stories):
    page = client.get("/blog/translate").content.decode()
    assert "Sign in to translate stories" in page
    assert "/blog/translate/" not in page
    response = client.post(f"/blog/translate/{stories['alone'].pk}", {"language": "pa"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Story.objects.filter(language="pa", translation_of=stories["alone"]).exists()


def test_a_punjabi_reader_sees_what_lacks_punjabi_and_starts_a_translation(client_for, punjabi_reader, stories):
    client = client_for(punjabi_reader)
    page = client.get("/blog/translate")
    listed = [s.slug for s, _missing in page.context["stories"]]
    assert listed == ["workshop"]  # the winners have a Punjabi version already
    assert 'Translate into <span lang="pa">ਪੰਜਾਬੀ</span>' in page.content.decode()
    stories["alone"].tags.add(factories.make_tag("photos"))
    response = client.post(f"/blog/translate/{stories['alone'].pk}", {"language": "pa"})
    draft = Story.objects.get(translation_of=stories["alone"])
    assert response.status_code == 302 and response["Location"] == f"/blog/stories/{draft.pk}/edit"
    assert (draft.language, draft.state, draft.created_by) == ("pa", Story.State.DRAFT, punjabi_reader)
    assert list(draft.authors.all()) == [punjabi_reader]
    assert [t.name for t in draft.tags.all()] == ["photos"]
    editor = client.get(response["Location"]).content.decode()
    assert 'class="translation-original" lang="en" dir="ltr"' in editor
    assert "A workshop in the library" in editor
    body = re.search(r'<textarea name="body"[^>]*>', editor).group(0)
    assert 'lang="pa"' in body and 'dir="ltr"' in body  # the draft's own fields
    assert [s.slug for s, _m in client.get("/blog/translate").context["stories"]] == []  # under way now


def test_a_translation_into_an_rtl_language_is_written_right_to_left(client_for, author, stories):
    client = client_for(author)
    client.post(f"/blog/translate/{stories['alone'].pk}", {"language": "ar"})
    draft = Story.objects.get(translation_of=stories["alone"])
    editor = client.get(f"/blog/stories/{draft.pk}/edit").content.decode()
    title = re.search(r'<input type="text" name="title"[^>]*>', editor).group(0)
    assert 'lang="ar"' in title and 'dir="rtl"' in title


@pytest.mark.parametrize(
    "story, language, message",
    [
        ("en", "en", "The story is written in English already"),
        ("en", "pa", "The story has a translation in Punjabi already: /blog/winners-pa"),
        ("pa", "ar", "The story has a translation in Arabic already"),  # from a translation: its original's group
        ("alone", "xx-nope", "is not a language code we know"),
    ],
)
def test_bad_starts_are_refused_with_a_clear_message_and_nothing_made(
    client_for, punjabi_reader, stories, story, language, message
):
    before = Story.objects.count()
    response = client_for(punjabi_reader).post(
        f"/blog/translate/{stories[story].pk}", {"language": language}, follow=True
    )
    assert message in response.content.decode()
    assert Story.objects.count() == before


def test_a_story_one_may_not_see_cannot_be_translated(client_for, punjabi_reader, author):
    secret = make_story(author, title="A secret draft", slug="secret", state=Story.State.DRAFT)
    client = client_for(punjabi_reader)
    assert client.post(f"/blog/translate/{secret.pk}", {"language": "pa"}).status_code == 404
    assert "A secret draft" not in client.get("/blog/translate").content.decode()
    with pytest.raises(ValidationError):  # the service refuses too
        services.story_start_translation(user=punjabi_reader, original=secret, language="pa")
    assert not Story.objects.filter(translation_of=secret).exists()


def test_someone_elses_draft_translation_is_never_shown(client_for, punjabi_reader, author, stories):
    services.story_start_translation(user=author, original=stories["alone"], language="hi")
    draft = Story.objects.get(translation_of=stories["alone"], language="hi")
    client = client_for(punjabi_reader)
    assert f"/blog/{draft.slug}" not in client.get("/blog/workshop").content.decode()
    assert client.get(f"/blog/{draft.slug}").status_code == 404
    response = client.post(f"/blog/translate/{stories['alone'].pk}", {"language": "hi"}, follow=True)
    page = response.content.decode()
    assert "Someone is translating the story into Hindi already." in page and draft.slug not in page


def test_a_story_cannot_be_linked_into_a_language_its_group_has(author, stories):
    another = make_story(author, title="ਇੱਕ ਹੋਰ ਅਨੁਵਾਦ", slug="another-pa", language="pa")
    with pytest.raises(ValidationError) as refused:
        services.story_link_translation(user=author, story=another, original=stories["en"])
    assert refused.value.code == "language_taken"
    another.refresh_from_db()
    assert another.translation_of_id is None


@pytest.mark.parametrize("count", [3, 30])
def test_help_translate_and_the_folded_blog_take_a_fixed_number_of_queries(
    client_for, punjabi_reader, author, count, django_assert_max_num_queries, settings
):
    for i in range(count):
        original = make_story(author, title=f"Story {i}", slug=f"s-{i}", published_at=BASE_TIME + timedelta(hours=i))
        if i % 2:
            make_story(author, title=f"ਕਹਾਣੀ {i}", slug=f"s-{i}-pa", language="pa", translation_of=original)
    client = client_for(punjabi_reader)
    with django_assert_max_num_queries(12):
        assert client.get("/blog/translate").status_code == 200
    with django_assert_max_num_queries(19):  # the blog's budget (tests/blog/test_pages.py)
        response = client.get("/blog")
    assert len(response.context["stories"]) == min(count, settings.AGORA_TOPICS_PER_PAGE)  # each story once


def test_the_featured_story_is_shown_in_the_readers_language(client, stories):
    Story.objects.filter(pk=stories["en"].pk).update(featured=True)
    assert client.get("/blog", HTTP_ACCEPT_LANGUAGE="pa").context["featured"].slug == "winners-pa"
    assert client.get("/blog", HTTP_ACCEPT_LANGUAGE="fr").context["featured"].slug == "winners"
