"""The Discuss pages' sidebar: the blog's latest news beside the lists and topics, published stories only,
fresh for visitors served from the page cache."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.blog import services as blog
from agora.blog.models import Story
from agora.discuss.messages import message_create
from agora.groups.models import Group, Membership
from tests import factories

pytestmark = pytest.mark.django_db

State = Story.State
SIDEBAR = '<aside class="sidebar"'


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Reporter", trust_level=1)


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=user)
    return user


def write(author, title: str) -> Story:
    return blog.story_create(user=author, data={"title": title, "lead": f"About {title}.", "body": "Words."})


def publish(story: Story, author, editor) -> Story:
    story = blog.story_submit(user=author, story=story)
    story = blog.story_claim(user=editor, story=story)
    return blog.story_publish(user=editor, story=story)


@pytest.fixture
def news(author, editor, django_capture_on_commit_callbacks):
    """One published story, and one in each state readers must never see."""
    with django_capture_on_commit_callbacks(execute=True):
        published = publish(write(author, "Wiki Loves Earth winners announced"), author, editor)
        write(author, "SECRET draft story")
        blog.story_submit(user=author, story=write(author, "SECRET submitted story"))
        reviewed = blog.story_claim(
            user=editor, story=blog.story_submit(user=author, story=write(author, "SECRET in review"))
        )
        blog.story_request_changes(user=editor, story=reviewed, reason="More photos, please.")
        blog.story_schedule(
            user=editor,
            story=blog.story_submit(user=author, story=write(author, "SECRET scheduled story")),
            at=timezone.now() + timedelta(days=7),
        )
        blog.story_decline(
            user=editor,
            story=blog.story_submit(user=author, story=write(author, "SECRET declined story")),
            reason="No.",
        )
        gone = publish(write(author, "SECRET unpublished story"), author, editor)
        blog.story_unpublish(user=editor, story=gone, reason="Published by mistake.")
    return published


def sidebar_of(response) -> str:
    html = response.content.decode()
    assert SIDEBAR in html, "the page has no sidebar"
    return html[html.index(SIDEBAR) : html.index("</aside>", html.index(SIDEBAR))]


def discuss_pages(topic) -> list[str]:
    return [
        "/",
        "/latest",
        "/top",
        "/unanswered",
        f"/c/{topic.category.slug}",
        "/tag/meetups",
        "/categories",
        "/tags",
        topic.get_absolute_url(),
    ]


def test_every_discuss_page_shows_the_latest_published_news_and_nothing_unpublished(
    client, news, member, public_category
):
    factories.make_tag("meetups")
    topic = factories.make_topic(member, public_category, title="Who is coming to the meetup?", tags=["meetups"])
    for url in discuss_pages(topic):
        response = client.get(url)
        assert response.status_code == 200, url
        aside = sidebar_of(response)
        assert "Latest news" in aside, url
        assert f'href="/blog/{news.slug}"' in aside and "Wiki Loves Earth winners announced" in aside, url
        assert "SECRET" not in response.content.decode(), url


def test_signed_in_people_editors_and_authors_see_the_same_published_news(client_for, news, author, editor, topic):
    for person in (author, editor):
        html = client_for(person).get("/latest").content.decode()
        assert "Wiki Loves Earth winners announced" in sidebar_of_html(html)
        assert "SECRET" not in html  # their own drafts and the stories they review are not news


def sidebar_of_html(html: str) -> str:
    start = html.index(SIDEBAR)
    return html[start : html.index("</aside>", start)]


def test_it_shows_the_three_newest_stories_newest_first(
    client, author, editor, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stories = [publish(write(author, f"Story number {n}"), author, editor) for n in range(5)]
    now = timezone.now()
    for age, story in enumerate(reversed(stories)):
        Story.objects.filter(pk=story.pk).update(published_at=now - timedelta(days=age))
    aside = sidebar_of(client.get("/latest"))
    shown = [n for n in range(5) if f"Story number {n}<" in aside]
    assert shown == [2, 3, 4]
    assert aside.index("Story number 4") < aside.index("Story number 3") < aside.index("Story number 2")
    assert 'href="/blog"' in aside  # and a way to all of them


def test_a_story_and_its_translations_are_one_piece_of_news_in_the_readers_language(
    client, author, editor, topic, django_capture_on_commit_callbacks
):
    def version(title: str, language: str, original=None) -> Story:
        data = {"title": title, "lead": "Lead.", "body": "Words.", "language": language}
        story = blog.story_create(user=author, data=data)
        if original is not None:
            blog.story_link_translation(user=author, story=story, original=original)
        return publish(story, author, editor)

    with django_capture_on_commit_callbacks(execute=True):
        older = publish(write(author, "An older story"), author, editor)
        original = version("Photo contest opens", "en")
        version("Ouverture du concours photo", "fr", original)
        version("Abre el concurso de fotos", "es", original)
    now = timezone.now()
    Story.objects.filter(pk=older.pk).update(published_at=now - timedelta(days=3))

    english = sidebar_of(client.get("/latest"))
    assert "Photo contest opens" in english and "An older story" in english
    assert "Ouverture" not in english and "Abre el concurso" not in english
    french = sidebar_of(client.get("/latest", headers={"Accept-Language": "fr"}))
    assert "Ouverture du concours photo" in french and "Photo contest opens" not in french
    arabic = sidebar_of(client.get("/latest", headers={"Accept-Language": "ar"}))
    assert "Abre el concurso de fotos" in arabic  # no Arabic version: the newest one
    assert "An older story" in french and "An older story" in arabic
    # The discussion of any of its versions lists none of them.
    for story in Story.objects.filter(title__in=["Photo contest opens", "Ouverture du concours photo"]):
        aside = sidebar_of(client.get(story.topic.get_absolute_url(), headers={"Accept-Language": "fr"}))
        assert "An older story" in aside
        assert not any(t in aside for t in ("Photo contest", "Ouverture du concours", "Abre el concurso"))


def test_a_storys_own_discussion_does_not_list_it_as_news(
    client, news, author, editor, django_capture_on_commit_callbacks
):
    news.refresh_from_db()
    assert "Latest news" not in client.get(news.topic.get_absolute_url()).content.decode()  # no other news
    with django_capture_on_commit_callbacks(execute=True):
        other = publish(write(author, "Another piece of news"), author, editor)
    aside = sidebar_of(client.get(news.topic.get_absolute_url()))
    assert "Another piece of news" in aside and news.title not in aside
    assert news.title in sidebar_of(client.get(other.topic.get_absolute_url()))


def test_with_no_published_story_the_sidebar_has_only_the_events(client, topic, author):
    write(author, "SECRET draft story")
    for url in ("/latest", topic.get_absolute_url(), "/categories"):
        html = client.get(url).content.decode()
        assert "Latest news" not in html and "SECRET" not in html, url
        assert "Upcoming events" in html and 'href="/events/map"' in html, url
    # On a topic, the block is its category's, and says so.
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f"Upcoming events in {topic.category.name}" in html and 'href="/events"' in html


def test_a_private_message_has_no_sidebar(client_for, news, member, other_member):
    message = message_create(
        sender=member, title="Just us", raw="A private word.", recipients=[other_member], groups=[]
    )
    html = client_for(member).get(message.get_absolute_url()).content.decode()
    assert "A private word." in html
    assert SIDEBAR not in html


def test_a_page_of_more_topics_for_htmx_is_only_rows_without_the_sidebar(client, news, member, public_category):
    factories.make_topic(member, public_category, title="Another topic")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/latest?page=1", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Another topic" in response.content.decode()
    assert SIDEBAR not in response.content.decode()
    assert not [q for q in queries if "blog_story" in q["sql"]]  # nor its query


# --- the visitors' page cache ---------------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300


def test_a_story_shows_to_visitors_at_once_when_published_and_goes_when_unpublished(
    page_cache_on, topic, author, editor, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert visitor.get("/latest")["X-Agora-Cache"] == "miss"
    assert visitor.get("/latest")["X-Agora-Cache"] == "hit"  # the page is now served from the cache
    story = blog.story_claim(
        user=editor, story=blog.story_submit(user=author, story=write(author, "Fresh off the press"))
    )

    with django_capture_on_commit_callbacks(execute=True):
        blog.story_publish(user=editor, story=story)
    response = visitor.get("/latest")
    assert response["X-Agora-Cache"] == "miss"
    assert "Fresh off the press" in sidebar_of(response)
    assert visitor.get("/latest")["X-Agora-Cache"] == "hit"
    assert "Fresh off the press" in visitor.get(topic.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        blog.story_unpublish(user=editor, story=story, reason="Too early.")
    response = visitor.get("/latest")
    assert response["X-Agora-Cache"] == "miss"
    assert "Fresh off the press" not in response.content.decode()
    assert "Fresh off the press" not in visitor.get(topic.get_absolute_url()).content.decode()


def test_a_scheduled_story_shows_to_visitors_when_the_worker_publishes_it(
    page_cache_on, topic, author, editor, django_capture_on_commit_callbacks
):
    visitor = Client()
    story = blog.story_claim(user=editor, story=blog.story_submit(user=author, story=write(author, "Right on time")))
    blog.story_schedule(user=editor, story=story, at=timezone.now() + timedelta(minutes=5))
    assert "Right on time" not in visitor.get("/latest").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert blog.stories_publish_due(now=timezone.now() + timedelta(minutes=6)) == [story.pk]
    response = visitor.get("/latest")
    assert response["X-Agora-Cache"] == "miss"
    assert "Right on time" in sidebar_of(response)


def test_a_retitled_published_story_shows_its_new_title_to_visitors(
    page_cache_on, news, editor, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert "Wiki Loves Earth winners announced" in visitor.get("/latest").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        blog.story_update(user=editor, story=news, data={"title": "Wiki Loves Earth: the winners"})
    html = visitor.get("/latest").content.decode()
    assert "Wiki Loves Earth: the winners" in html and "winners announced" not in html
