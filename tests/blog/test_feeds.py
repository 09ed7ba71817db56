"""The blog's Atom feeds: whole stories, their authors and dates, and never a draft."""

from datetime import timedelta

import feedparser
import pytest

from agora.blog.models import BlogCategory, Series, Story
from tests import factories
from tests.blog.test_pages import BASE_TIME, make_story

FEEDS = ["/blog.atom", "/blog/category/community.atom", "/blog/tag/ecology.atom", "/blog/series/monthly.atom"]


@pytest.fixture
def world(db):
    writer = factories.UserFactory(username="Writer", display_name="Wanda Writer")
    helper = factories.UserFactory(username="Helper", display_name="Hal Helper")
    community = BlogCategory.objects.create(name="Community", slug="community")
    monthly = Series.objects.create(name="Monthly letter", slug="monthly")
    ecology = factories.make_tag("ecology")
    common = {"categories": [community], "tags": [ecology], "series": monthly}
    older = make_story(
        writer, title="Older story", slug="older", body="The *older* body.", updated_at=BASE_TIME, **common
    )
    newer = make_story(
        writer,
        title="Newer story",
        slug="newer",
        body="The **whole** body of the newer story.",
        authors=[helper],
        published_at=BASE_TIME + timedelta(days=2),
        updated_at=BASE_TIME + timedelta(days=3),
        **common,
    )
    make_story(writer, title="Draft never shown", slug="draft", state=Story.State.DRAFT, **common)
    make_story(writer, title="Submitted never shown", slug="submitted", state=Story.State.SUBMITTED, **common)
    return {"older": older, "newer": newer}


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize("url", FEEDS)
def test_the_feed_validates_and_lists_published_stories_newest_first(client, world, url):
    feed = _parse(client, url)
    assert [e.title for e in feed.entries] == ["Newer story", "Older story"]
    assert feed.feed.title


@pytest.mark.parametrize("url", FEEDS)
def test_drafts_never_appear(client_for, world, url, staff):
    for client in (client_for(None), client_for(staff), client_for(world["older"].created_by)):
        body = client.get(url).content
        assert b"never shown" not in body and b"/blog/draft" not in body and b"/blog/submitted" not in body


def test_entries_carry_links_authors_dates_and_the_full_content(client, world):
    feed = _parse(client, "/blog.atom")
    newer = feed.entries[0]
    assert newer.link == "http://testserver/blog/newer"
    assert newer.id == "http://testserver/blog/newer"
    assert {a.name for a in newer.authors} == {"Wanda Writer", "Hal Helper"}
    assert newer.updated_parsed[:5] == (BASE_TIME + timedelta(days=3)).timetuple()[:5]
    assert newer.published_parsed[:3] == (BASE_TIME + timedelta(days=2)).timetuple()[:3]
    assert "<strong>whole</strong>" in newer.content[0].value
    assert newer.summary == "The lead of Newer story."
    assert {t.term for t in newer.tags} >= {"Community", "ecology"}
    # The feed is as new as its newest change.
    assert feed.feed.updated_parsed[:5] == (BASE_TIME + timedelta(days=3)).timetuple()[:5]
    assert feed.feed.link == "http://testserver/blog"


def test_a_list_feed_links_its_page(client, world):
    assert _parse(client, "/blog/category/community.atom").feed.link == "http://testserver/blog/category/community"
    assert _parse(client, "/blog/series/monthly.atom").feed.link == "http://testserver/blog/series/monthly"
    assert _parse(client, "/blog/tag/ecology.atom").feed.link == "http://testserver/blog/tag/ecology"


@pytest.mark.parametrize("url", ["/blog/category/nothing.atom", "/blog/tag/nothing.atom", "/blog/series/nothing.atom"])
def test_feeds_of_missing_things_are_404(client, world, url):
    assert client.get(url).status_code == 404


def test_a_tag_used_only_on_drafts_has_no_feed(client, world):
    make_story(world["older"].created_by, slug="d2", state=Story.State.DRAFT, tags=[factories.make_tag("secretplan")])
    assert client.get("/blog/tag/secretplan.atom").status_code == 404


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("count", [3, 30])
def test_feeds_take_a_fixed_number_of_queries(client, world, url, count, django_assert_max_num_queries):
    older = world["older"]
    for i in range(count):
        make_story(
            older.created_by,
            authors=[factories.UserFactory()],
            categories=older.categories.all(),
            tags=older.tags.all(),
            series=older.series,
            published_at=BASE_TIME - timedelta(days=i + 1),
        )
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
