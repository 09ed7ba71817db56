"""The staff pages of syndicated blogs: editors (and staff) only, 404 for everyone else; adding a feed
checks it once against the local feed server and says clearly why one cannot be added."""

import pytest

from agora.blog.models import BlogCategory, Story
from agora.syndication.models import SyndicatedFeed

pytestmark = pytest.mark.django_db

PAGES = ["/blog/syndication"]


@pytest.fixture
def feed(feed_server):
    return SyndicatedFeed.objects.create(url=feed_server.url("/rss.xml"), title="Affiliate blog")


def actions(feed):
    return [f"/blog/syndication/{feed.pk}/{action}" for action in ("pause", "remove", "poll")]


@pytest.mark.parametrize("who", ["visitor", "outsider", "member"])
def test_people_off_the_editorial_board_get_404(client_for, who, outsider, member, feed):
    client = client_for({"visitor": None, "outsider": outsider, "member": member}[who])
    assert client.get("/blog/syndication").status_code == 404
    assert client.post("/blog/syndication", {"url": feed.url, "language": "en"}).status_code == 404
    for url in actions(feed):
        assert client.post(url).status_code == 404
    feed.refresh_from_db()
    assert feed.active and SyndicatedFeed.objects.count() == 1


def test_the_blog_slug_syndication_is_reserved_for_the_page():
    from agora.blog.services import RESERVED_SLUGS

    assert "syndication" in RESERVED_SLUGS


def test_an_editor_sees_the_feeds_with_their_state(client_for, editor, feed, django_assert_max_num_queries):
    SyndicatedFeed.objects.create(
        url="https://other.example.org/feed",
        title="Other",
        last_error="The site answered with HTTP status 500.",
        consecutive_failures=2,
    )
    client = client_for(editor)
    with django_assert_max_num_queries(12):
        page = client.get("/blog/syndication")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Affiliate blog" in html and feed.url in html
    assert "Failed 2 times in a row" in html and "HTTP status 500" in html


def test_staff_may_use_the_page_too(client_for, staff):
    assert client_for(staff).get("/blog/syndication").status_code == 200


def test_an_editor_adds_a_feed_and_its_newest_items_arrive(
    client_for, editor, feed_server, django_capture_on_commit_callbacks
):
    section = BlogCategory.objects.create(name="Chapters", slug="chapters")
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/blog/syndication", {"url": feed_server.url("/atom.xml"), "category": section.pk, "language": "de"}
        )
    assert response.status_code == 302
    feed = SyndicatedFeed.objects.get(url=feed_server.url("/atom.xml"))
    assert (feed.title, feed.site_url, feed.category, feed.language, feed.added_by) == (
        "Chapter news",
        "https://chapter.example.net/",
        section,
        "de",
        editor,
    )
    story = Story.objects.get(external_url="https://chapter.example.net/2026/agm")
    assert story.language == "de" and list(story.categories.all()) == [section]
    assert "Chapter news" in client.get("/blog/syndication").content.decode()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/page.html", "does not serve an RSS or Atom feed"),
        ("/broken.xml", "not well-formed XML"),
        ("/error.xml", "HTTP status 500"),
        ("/huge.xml", "larger than"),
    ],
)
def test_a_feed_that_cannot_be_read_is_not_added_and_the_page_says_why(client_for, editor, feed_server, path, message):
    response = client_for(editor).post("/blog/syndication", {"url": feed_server.url(path), "language": "en"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The feed could not be added" in html and message in html
    assert feed_server.url(path) in html  # the typed address is kept
    assert not SyndicatedFeed.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Give the feed"),
        ("not an address", "starting with https://"),
        ("javascript:alert(1)", "starting with https://"),
        ("ftp://example.org/feed", "starting with https://"),
    ],
)
def test_a_bad_address_gets_a_clear_message(client_for, editor, url, message):
    response = client_for(editor).post("/blog/syndication", {"url": url, "language": "en"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SyndicatedFeed.objects.exists()


def test_a_feed_already_syndicated_is_not_added_twice(client_for, editor, feed):
    response = client_for(editor).post("/blog/syndication", {"url": feed.url, "language": "en"})
    assert response.status_code == 400 and "syndicated already" in response.content.decode()


def test_an_unknown_language_is_a_field_error(client_for, editor, feed_server):
    response = client_for(editor).post("/blog/syndication", {"url": feed_server.url("/rss.xml"), "language": "xx-nope"})
    assert response.status_code == 400 and not SyndicatedFeed.objects.exists()


def test_an_editor_pauses_and_resumes_a_feed(client_for, editor, feed):
    client = client_for(editor)
    assert client.post(f"/blog/syndication/{feed.pk}/pause").status_code == 302
    feed.refresh_from_db()
    assert not feed.active
    client.post(f"/blog/syndication/{feed.pk}/pause")
    feed.refresh_from_db()
    assert feed.active


def test_poll_now_polls_the_feed(client_for, editor, feed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(editor).post(f"/blog/syndication/{feed.pk}/poll").status_code == 302
    assert Story.objects.filter(external_url__startswith="https://affiliate.example.org/").count() == 2
    feed.refresh_from_db()
    assert feed.last_polled_at is not None


def test_removing_a_feed_keeps_the_stories_it_brought(client_for, editor, feed):
    from agora.syndication.services import feed_poll

    feed_poll(feed_id=feed.pk)
    assert client_for(editor).post(f"/blog/syndication/{feed.pk}/remove").status_code == 302
    assert not SyndicatedFeed.objects.exists()
    assert Story.objects.filter(external_url__startswith="https://affiliate.example.org/").count() == 2


def test_the_actions_answer_only_post(client_for, editor, feed):
    client = client_for(editor)
    for url in actions(feed):
        assert client.get(url).status_code == 405
