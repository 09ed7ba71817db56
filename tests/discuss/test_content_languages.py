"""Topics and replies in many languages: detection on save, edits that change the language, `?lang=`
on every list, and a member's own languages first (their pages never go in the visitors' cache)."""

import pytest

from agora.discuss.models import Post, Topic
from tests import factories

pytestmark = pytest.mark.django_db

PUNJABI = ("ਫੋਟੋ ਮੁਕਾਬਲੇ ਬਾਰੇ ਸਵਾਲ", "ਭਾਈਚਾਰੇ ਦੀ ਮੀਟਿੰਗ ਅਗਲੇ ਮੰਗਲਵਾਰ ਨੂੰ ਲਾਇਬ੍ਰੇਰੀ ਵਿੱਚ ਹੋਵੇਗੀ।")
FRENCH = ("Question sur le concours photo", "La réunion de la communauté aura lieu mardi prochain à la bibliothèque.")
ENGLISH = ("A question about the photo contest", "The community meeting will take place next Tuesday in the library.")


@pytest.fixture
def topics(member, public_category):
    return {
        code: factories.make_topic(member, public_category, title=title, raw=raw)
        for code, (title, raw) in {"pa": PUNJABI, "fr": FRENCH, "en": ENGLISH}.items()
    }


def test_topics_get_the_language_of_their_text(topics):
    assert {code: t.language for code, t in topics.items()} == {"pa": "pa", "fr": "fr", "en": "en"}


def test_a_reply_in_the_topics_language_stays_blank_and_another_is_detected(member, topics):
    same = factories.make_reply(member, topics["fr"], raw="Merci beaucoup, je viendrai avec mes amis de Lyon.")
    other = factories.make_reply(member, topics["fr"], raw=PUNJABI[1])
    assert (same.language, other.language) == ("", "pa")


def test_an_edit_can_change_the_language_and_an_empty_choice_detects_it_again(member_client, member, topics):
    topic = topics["en"]
    opening = Post.objects.get(topic=topic, number=1)
    response = member_client.post(f"/p/{opening.pk}/edit", {"raw": opening.raw, "title": topic.title, "language": "fr"})
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).language == "fr"
    member_client.post(f"/p/{opening.pk}/edit", {"raw": opening.raw, "title": topic.title, "language": ""})
    assert Topic.objects.get(pk=topic.pk).language == "en"


def test_an_unknown_code_is_a_field_error_and_nothing_is_saved(member_client, member, topics):
    topic = topics["en"]
    opening = Post.objects.get(topic=topic, number=1)
    response = member_client.post(
        f"/p/{opening.pk}/edit", {"raw": "Changed words here.", "title": topic.title, "language": "xx-klingon"}
    )
    assert response.status_code == 400
    assert "“xx-klingon” is not a language code we know." in response.content.decode()
    assert Post.objects.get(pk=opening.pk).raw == opening.raw
    reply = member_client.post(f"/t/{topic.pk}/reply", {"raw": "A reply that is long enough.", "language": "zz"})
    assert reply.status_code == 400
    assert Post.objects.filter(topic=topic).count() == 1


def _titles(response):
    return [t.title for t in response.context["topics"]]


@pytest.mark.parametrize("url", ["/latest", "/top?period=all", "/c/ask-here", "/unanswered"])
def test_lang_filters_every_list(client, topics, url):
    joiner = "&" if "?" in url else "?"
    assert _titles(client.get(f"{url}{joiner}lang=pa")) == [PUNJABI[0]]
    assert sorted(_titles(client.get(f"{url}{joiner}lang=pa,fr"))) == sorted([PUNJABI[0], FRENCH[0]])
    response = client.get(f"{url}{joiner}lang=nope-nope,fr")
    assert response.status_code == 200
    assert _titles(response) == [FRENCH[0]]
    assert "Unknown language codes ignored: nope-nope" in response.content.decode()


def test_lang_filters_a_tag(client, member, public_category):
    factories.make_tag("photos")
    factories.make_topic(member, public_category, title=PUNJABI[0], raw=PUNJABI[1], tags=["photos"])
    factories.make_topic(member, public_category, title=FRENCH[0], raw=FRENCH[1], tags=["photos"])
    assert _titles(client.get("/tag/photos?lang=fr")) == [FRENCH[0]]


def test_a_member_sees_their_languages_first_and_can_show_all(client_for, topics):
    reader = factories.UserFactory(username="Harpreet", trust_level=1, languages="pa", interface_language="en")
    client = client_for(reader)
    response = client.get("/latest")
    assert _titles(response)[0] == PUNJABI[0]
    page = response.content.decode()
    assert "Your languages first:" in page and 'href="?lang=all"' in page
    assert _titles(client.get("/latest?lang=all"))[0] == ENGLISH[0]  # newest first, every language


def test_visitors_pages_are_the_same_whatever_their_browser_says(client, topics):
    """Visitors' pages are cached by interface language and address only: Accept-Language beyond the
    interface must not reorder them."""
    plain = _titles(client.get("/latest"))
    assert _titles(client.get("/latest", HTTP_ACCEPT_LANGUAGE="pa")) == plain


def test_pagination_keeps_the_filter(client, member, public_category, settings):
    settings.AGORA_TOPICS_PER_PAGE = 2
    for i in range(3):
        factories.make_topic(member, public_category, title=f"{FRENCH[0]} {i}", raw=FRENCH[1])
    page = client.get("/latest?lang=fr").content.decode()
    assert "lang=fr&amp;page=2" in page
