"""Polling against the local feed server: items become linked stories with their discussion topic, once
each; failures back off and success resets; the first poll of a big feed brings only the newest few."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.blog.models import BlogCategory, Story
from agora.core.timed_jobs import timed_jobs
from agora.discuss.models import Post
from agora.syndication import services
from agora.syndication.models import SyndicatedFeed, SyndicatedItem
from tests.syndication.conftest import ETAG

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(db):
    return BlogCategory.objects.create(name="Affiliates", slug="affiliates")


def make_feed(server, path, **fields):
    return SyndicatedFeed.objects.create(url=server.url(path), title=fields.pop("title", "Affiliate blog"), **fields)


def poll(feed):
    return services.feed_poll(feed_id=feed.pk)


def test_items_become_published_linked_stories_with_a_discussion_topic(feed_server, section):
    feed = make_feed(
        feed_server, "/rss.xml", category=section, language="fr", site_url="https://affiliate.example.org/"
    )
    result = poll(feed)
    assert (result.created, result.error) == (2, "")
    story = Story.objects.get(external_url="https://affiliate.example.org/lyon")
    assert story.is_published and story.is_linked
    assert (story.title, story.lead, story.source_author, story.source_name) == (
        "Edit-a-thon in Lyon",
        "We wrote forty articles.",
        "Camille",
        "Affiliate blog",
    )
    assert story.language == "fr"
    assert list(story.categories.all()) == [section]
    assert story.published_at.isoformat() == "2026-12-05T10:00:00+00:00"
    opening = Post.objects.get(topic=story.topic, number=1)
    assert "https://affiliate.example.org/lyon" in opening.html and "Read on Affiliate blog" in opening.html
    feed.refresh_from_db()
    assert story.authors.get() == feed.person
    assert feed.person.display_name == "Affiliate blog" and not feed.person.has_usable_password()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")
    assert feed.last_polled_at is not None and feed.next_poll_at > timezone.now() + timedelta(minutes=59)


def test_an_atom_feed_works_too(feed_server):
    feed = make_feed(feed_server, "/atom.xml", title="Chapter news")
    assert poll(feed).created == 1
    story = Story.objects.get(external_url="https://chapter.example.net/2026/agm")
    assert (story.title, story.source_author) == ("Annual meeting & elections", "Jo Board")


def test_polling_twice_never_makes_a_second_story(feed_server):
    feed = make_feed(feed_server, "/rss.xml")
    poll(feed)
    again = poll(feed)
    assert again.created == 0
    assert Story.objects.filter(external_url__startswith="https://affiliate.example.org/").count() == 2
    assert SyndicatedItem.objects.filter(feed=feed).count() == 2


def test_a_changing_feed_brings_each_new_item_once(feed_server):
    feed_server.changing.append({"title": "First", "link": "https://c.example.org/1", "guid": "c-1"})
    feed = make_feed(feed_server, "/changing.xml")
    assert poll(feed).created == 1
    feed_server.changing.append({"title": "Second", "link": "https://c.example.org/2", "guid": "c-2"})
    assert poll(feed).created == 1
    assert poll(feed).created == 0
    assert sorted(
        Story.objects.filter(external_url__startswith="https://c.example.org/").values_list("title", flat=True)
    ) == [
        "First",
        "Second",
    ]


def test_an_item_without_guid_is_known_by_its_link_and_a_new_guid_on_a_known_link_is_no_new_story(feed_server):
    feed_server.changing.append({"title": "No guid", "link": "https://c.example.org/x", "guid": ""})
    feed = make_feed(feed_server, "/changing.xml")
    assert poll(feed).created == 1
    assert SyndicatedItem.objects.get(feed=feed).guid == "https://c.example.org/x"
    feed_server.changing[0]["guid"] = "renumbered-7"  # the blog moved to another engine
    assert poll(feed).created == 0
    assert Story.objects.filter(external_url="https://c.example.org/x").count() == 1


def test_an_unchanged_feed_answers_304_and_nothing_is_read(feed_server):
    feed = make_feed(feed_server, "/etag.xml")
    assert poll(feed).created == 2
    feed.refresh_from_db()
    assert feed.etag == ETAG and feed.last_modified
    result = poll(feed)
    assert result.not_modified and result.created == 0
    assert feed_server.hits("/etag.xml")[-1]["If-None-Match"] == ETAG


def test_the_first_poll_of_a_big_feed_brings_only_the_newest_few(feed_server, settings):
    settings.AGORA_SYNDICATION_FIRST_POLL_ITEMS = 3
    feed = make_feed(feed_server, "/many.xml")
    result = poll(feed)
    assert (result.created, result.seen) == (3, 37)
    titles = set(
        Story.objects.filter(external_url__startswith="https://many.example.org/").values_list("title", flat=True)
    )
    assert titles == {"Post number 40", "Post number 39", "Post number 38"}
    assert poll(feed).created == 0  # the older ones are known, not waiting to flood the blog later


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/broken.xml", "not well-formed"),
        ("/page.html", "does not serve an RSS or Atom feed"),
        ("/huge.xml", "larger than"),
        ("/endless.xml", "it was not read"),  # by the size cap or the deadline, whichever comes first
        ("/bomb.xml", "entities"),
        ("/error.xml", "500"),
        ("/slow.xml", "in time"),
    ],
)
def test_a_bad_feed_is_recorded_as_an_error_and_makes_no_story(feed_server, path, words):
    feed = make_feed(feed_server, path)
    before = Story.objects.count()
    result = poll(feed)
    assert words in result.error
    feed.refresh_from_db()
    assert words in feed.last_error and feed.consecutive_failures == 1
    assert Story.objects.count() == before
    assert not SyndicatedItem.objects.filter(feed=feed).exists()


def test_failures_double_the_wait_up_to_the_cap_and_a_success_resets_it(feed_server, settings):
    settings.AGORA_SYNDICATION_MAX_BACKOFF_MINUTES = 300
    feed = make_feed(feed_server, "/error.xml")
    waits = []
    for _ in range(4):
        started = timezone.now()
        poll(feed)
        feed.refresh_from_db()
        waits.append(round((feed.next_poll_at - started).total_seconds() / 60))
    assert waits == [120, 240, 300, 300]
    assert feed.consecutive_failures == 4
    feed.url = feed_server.url("/rss.xml")
    feed.save()
    poll(feed)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")
    assert round((feed.next_poll_at - timezone.now()).total_seconds() / 60) == 60


def test_malicious_items_are_sanitised_and_a_script_link_makes_no_story(feed_server):
    feed = make_feed(feed_server, "/malicious.xml", title="Evil blog")
    result = poll(feed)
    assert (result.created, result.seen) == (1, 1)
    story = Story.objects.get(external_url="https://evil.example.org/post")
    for text in (story.title, story.lead, story.source_author, story.body_html):
        assert "<script" not in text and "onerror" not in text and "javascript:" not in text
    opening = Post.objects.get(topic=story.topic, number=1).html
    assert "<script" not in opening and "onerror" not in opening and "javascript:" not in opening
    assert not Story.objects.filter(external_url__startswith="javascript").exists()


def test_the_story_page_and_the_blog_list_name_the_source_and_link_to_the_original(feed_server, client):
    feed = make_feed(feed_server, "/rss.xml")
    poll(feed)
    story = Story.objects.get(external_url="https://affiliate.example.org/lyon")
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'href="https://affiliate.example.org/lyon"' in page
    assert "Read on Affiliate blog" in page and "Camille" in page
    listing = client.get("/blog").content.decode()
    assert 'href="https://affiliate.example.org/lyon"' in listing and "Camille" in listing


def test_the_timed_job_polls_due_active_feeds_once_and_skips_paused_ones(
    feed_server, django_capture_on_commit_callbacks
):
    assert services.feeds_poll_due in timed_jobs()
    due = make_feed(feed_server, "/rss.xml")
    paused = make_feed(feed_server, "/atom.xml", active=False)
    later = make_feed(feed_server, "/changing.xml", next_poll_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feeds_poll_due() == 1
    assert feed_server.hits("/rss.xml") and not feed_server.hits("/atom.xml") and not feed_server.hits("/changing.xml")
    assert Story.objects.filter(external_url__startswith="https://affiliate.example.org/").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feeds_poll_due() == 0  # polled: its next time is an hour away
    assert paused.items.count() == 0 and later.items.count() == 0
    due.refresh_from_db()
    assert due.next_poll_at > timezone.now() + timedelta(minutes=59)


def test_a_claimed_feed_is_not_claimed_again_by_another_worker(feed_server):
    make_feed(feed_server, "/rss.xml")
    # Without running the callbacks: the first claim is made, the poll not yet done.
    assert services.feeds_poll_due() == 1
    assert services.feeds_poll_due() == 0
