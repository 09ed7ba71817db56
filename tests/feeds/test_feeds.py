"""The feeds: every address in RSS, Atom and JSON Feed, parsed as a reader would; filters; conditional GET;
and private content never in them, whoever asks."""

from __future__ import annotations

import json
from datetime import date

import feedparser
import pytest
from django.contrib.auth.models import AnonymousUser

from agora import permissions
from agora.blog.models import BlogCategory
from agora.discuss.models import Topic
from tests import factories
from tests.blog.test_pages import make_story
from tests.events.conftest import make_event

FORMATS = ["rss", "atom", "feed.json"]
FEEDS = [
    "/latest",
    "/c/wikisource",
    "/tag/wikisource",
    "/g/Punjabi-Wikimedians",
    "/u/Writer",
    "/blog",
    "/blog/category/community",
    "/blog/tag/ecology",
]


@pytest.fixture
def blog(world):
    community = BlogCategory.objects.create(name="Community", slug="community")
    ecology = factories.make_tag("ecology")
    return make_story(
        world.writer, title="A story of Wikisource", body="The **whole** story.", categories=[community], tags=[ecology]
    )


def parse(response, fmt: str):
    """The feed as a reader gets it: feedparser for RSS and Atom (no parse error), JSON Feed 1.1's required
    fields for JSON."""
    assert response.status_code == 200, response.content[:300]
    if fmt == "feed.json":
        assert response["Content-Type"].startswith("application/feed+json")
        data = json.loads(response.content)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"]
        assert isinstance(data["items"], list)
        for item in data["items"]:
            assert item["id"] and (item.get("content_html") or item.get("content_text") is not None)
        return data
    expected = {"rss": "application/rss+xml", "atom": "application/atom+xml"}[fmt]
    assert response["Content-Type"].startswith(expected)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == {"rss": "rss20", "atom": "atom10"}[fmt]
    return feed


def titles(parsed) -> list[str]:
    if isinstance(parsed, dict):
        return [item["title"] for item in parsed["items"]]
    return [entry.title for entry in parsed.entries]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("base", FEEDS)
def test_every_feed_parses_in_every_format(client, world, blog, base, fmt):
    parsed = parse(client.get(f"{base}.{fmt}"), fmt)
    assert titles(parsed), f"{base}.{fmt} is empty"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_topics_feed_parses_in_every_format(client, world, fmt):
    parsed = parse(client.get(f"/t/{world.english.slug}/{world.english.pk}.{fmt}"), fmt)
    assert titles(parsed) == ["Re: Proofreading on Wikisource", "Proofreading on Wikisource"]


def test_the_blogs_atom_address_keeps_working(client, world, blog):
    parse(client.get("/blog.atom"), "atom")


def test_rss_items_carry_title_link_author_date_content_tags_and_guid(client, world):
    feed = parse(client.get("/latest.rss"), "rss")
    entry = next(e for e in feed.entries if e.title == "Proofreading on Wikisource")
    assert entry.link == f"http://testserver/t/proofreading-on-wikisource/{world.english.pk}"
    assert entry.author == "Wanda Writer"
    assert entry.published_parsed
    assert "<em>opening</em>" in entry.content[0].value
    assert {t.term for t in entry.tags} == {"Wikisource", "wikisource"}
    assert entry.id == f"http://testserver/t/{world.english.pk}"


def test_atom_entries_carry_the_whole_post_and_an_author(client, world):
    feed = parse(client.get("/latest.atom"), "atom")
    entry = next(e for e in feed.entries if e.title == "Proofreading on Wikisource")
    assert any("<em>opening</em>" in c.value for c in entry.content)
    assert entry.author == "Wanda Writer"
    assert entry.updated_parsed


def test_json_feed_items_carry_language_authors_tags_and_dates(client, world):
    data = parse(client.get("/latest.feed.json"), "feed.json")
    item = next(i for i in data["items"] if i["language"] == "pa")
    assert item["title"] == "ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ"
    assert item["authors"] == [{"name": "Wanda Writer", "url": "http://testserver/u/Writer"}]
    assert "<strong>ਪੋਸਟ</strong>" in item["content_html"]
    assert set(item["tags"]) >= {"punjabi", "wikisource"}
    assert item["date_published"] and item["date_modified"]
    assert data["feed_url"] == "http://testserver/latest.feed.json"


def test_the_blog_in_rss_and_json_carries_whole_stories(client, world, blog):
    rss = parse(client.get("/blog.rss"), "rss")
    assert "<strong>whole</strong>" in rss.entries[0].content[0].value
    data = parse(client.get("/blog.feed.json"), "feed.json")
    assert data["items"][0]["language"] == "en"
    assert "<strong>whole</strong>" in data["items"][0]["content_html"]


def test_a_feed_is_newest_first(client, world):
    assert titles(parse(client.get("/c/wikisource.rss"), "rss")) == [
        "Untagged news",
        "Proofreading on Wikisource",
        "ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ",
    ]


# --- Filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tags=punjabi", {"ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ"}),
        ("tags=wikisource,punjabi", {"ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ", "Proofreading on Wikisource"}),
        ("tags=wikisource,punjabi&lang=pa", {"ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ"}),
        ("tags=wikisource&lang=en", {"Proofreading on Wikisource"}),
        ("lang=en&category=wikisource", {"Proofreading on Wikisource", "Untagged news"}),
        ("lang=all", {"ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ", "Proofreading on Wikisource", "Untagged news", "Open club notes"}),
        ("tag=WIKISOURCE&limit=1", {"Proofreading on Wikisource"}),
    ],
)
def test_filters_combine_in_the_query_string(client, world, query, expected):
    for fmt in FORMATS:
        assert set(titles(parse(client.get(f"/latest.{fmt}?{query}"), fmt))) == expected


def test_filters_narrow_a_persons_feed_too(client, world):
    assert set(titles(parse(client.get("/u/Writer.rss?lang=pa"), "rss"))) == {"ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ"}


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/latest.rss?colour=red", "Unknown filter: colour"),
        ("/latest.atom?tags=nonesuch", "names a tag you cannot read"),
        ("/latest.feed.json?lang=zz-nonsense", "not a language code"),
        ("/latest.rss?category=nowhere", "names no category you can read"),
        # A private category or tag is refused exactly like one that does not exist.
        ("/latest.rss?category=staff-room", "names no category you can read"),
        ("/latest.rss?limit=0", "The limit is a number"),
        ("/latest.rss?limit=1000", "The limit is a number"),
        ("/latest.rss?limit=ten", "The limit is a number"),
        ("/c/wikisource.rss?category=wikisource", "Unknown filter: category"),
        ("/t/x/1.rss?tags=punjabi", "Unknown filter: tags"),
        ("/blog.rss?tags=ecology", "Unknown filter: tags"),
        ("/blog.feed.json?lang=zz-nonsense", "not a language code"),
        ("/embed/topics?colour=red", "Unknown filter: colour"),
        ("/embed/stories?category=nowhere", "names no category you can read"),
        ("/embed/events?lang=zz-nonsense", "not a language code"),
    ],
)
def test_bad_filters_are_a_400_with_a_plain_message(client, world, url, words):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert words in response.content.decode()


def test_a_tag_only_on_private_topics_is_unknown_to_a_visitor(client, world):
    factories.make_tag("secretive")
    topic = world.staff_topic
    topic.tags.add(factories.make_tag("secretive"))
    assert client.get("/latest.rss?tags=secretive").status_code == 400


# --- Conditional GET -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_matching_etag_or_date_gets_a_304(client, world, fmt):
    first = client.get(f"/latest.{fmt}?tags=wikisource")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(f"/latest.{fmt}?tags=wikisource", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]
    assert client.get(f"/latest.{fmt}?tags=wikisource", headers={"If-Modified-Since": modified}).status_code == 304


def test_the_etag_follows_the_filter_and_the_format(client, world):
    etags = {client.get(url)["ETag"] for url in ("/latest.rss", "/latest.atom", "/latest.rss?tags=wikisource")}
    assert len(etags) == 3


def test_a_new_topic_changes_the_etag(client, world):
    first = client.get("/latest.rss")
    factories.make_topic(world.writer, world.public, title="Brand new", raw="Fresh.")
    response = client.get("/latest.rss", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "Brand new" in titles(parse(response, "rss"))


def test_a_removed_post_changes_the_topic_feeds_etag(client, world):
    url = f"/t/{world.english.slug}/{world.english.pk}.rss"
    first = client.get(url)
    world.reply.deleted_at = world.reply.created_at
    world.reply.save(update_fields=["deleted_at"])
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_the_blog_feeds_answer_304_too(client, world, blog):
    for url in ("/blog.rss", "/blog.feed.json"):
        first = client.get(url)
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_visitors_feeds_are_publicly_cacheable_and_members_private(client_for, world):
    assert "public" in client_for(None).get("/latest.rss")["Cache-Control"]
    assert "private" in client_for(world.writer).get("/latest.rss")["Cache-Control"]


# --- Private content -------------------------------------------------------------------------------


def every_feed_url(world) -> list[str]:
    bases = [*FEEDS[:5], f"/t/{world.english.slug}/{world.english.pk}", "/tag/punjabi"]
    return [f"{base}.{fmt}" for base in bases for fmt in FORMATS] + [
        "/embed/topics",
        "/embed/topics?tag=punjabi",
        "/embed/events",
        "/embed/stories",
    ]


@pytest.mark.parametrize("who", ["visitor", "outsider", "member"])
def test_private_content_never_appears_in_any_feed(client_for, world, blog, outsider, member, who):
    client = client_for({"visitor": None, "outsider": outsider, "member": member}[who])
    for url in every_feed_url(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"LEAKMARKER" not in response.content, url


def test_a_feed_is_read_as_its_viewer(client_for, world, staff):
    assert "LEAKMARKER staff plans" in titles(parse(client_for(staff).get("/latest.rss"), "rss"))
    assert "LEAKMARKER club topic" in titles(parse(client_for(world.writer).get("/tag/punjabi.rss"), "rss"))
    assert "LEAKMARKER club topic" not in titles(parse(client_for(None).get("/tag/punjabi.rss"), "rss"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_outsider_gets_404_for_private_places(client_for, world, outsider, fmt):
    client = client_for(outsider)
    for base in (
        "/c/staff-room",
        "/c/punjabi-club",
        "/g/Hidden-club",
        f"/t/{world.staff_topic.slug}/{world.staff_topic.pk}",
        f"/t/{world.group_topic.slug}/{world.group_topic.pk}",
        "/tag/nonesuch",
        "/u/Nobody-at-all",
    ):
        assert client.get(f"{base}.{fmt}").status_code == 404, base


def test_a_group_member_reads_their_groups_category_feed(client_for, world):
    feed = parse(client_for(world.writer).get("/c/punjabi-club.rss"), "rss")
    assert titles(feed) == ["LEAKMARKER club topic"]


def test_a_group_feed_lists_only_what_the_viewer_may_see(client_for, world, outsider):
    assert titles(parse(client_for(outsider).get("/g/Punjabi-Wikimedians.rss"), "rss")) == ["Open club notes"]
    assert set(titles(parse(client_for(world.writer).get("/g/Punjabi-Wikimedians.rss"), "rss"))) == {
        "LEAKMARKER club topic",
        "Open club notes",
    }


def test_a_deleted_post_leaves_the_topic_and_person_feeds(client, world):
    for url in (f"/t/{world.english.slug}/{world.english.pk}.feed.json", "/u/Writer.feed.json"):
        data = parse(client.get(url), "feed.json")
        assert all("deleted reply" not in item["content_html"] for item in data["items"]), url


def test_a_private_message_has_no_feed_even_for_its_participants(client_for, world, member):
    message = factories.make_message(world.writer, to=[member], title="A private word")
    for who in (world.writer, member):
        assert client_for(who).get(f"/t/{message.slug}/{message.pk}.rss").status_code == 404


def test_a_deleted_topic_has_no_feed(client_for, world, staff):
    Topic.objects.filter(pk=world.untagged.pk).update(deleted_at=world.untagged.created_at)
    assert client_for(staff).get(f"/t/{world.untagged.slug}/{world.untagged.pk}.rss").status_code == 404


# --- Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/latest.rss", "/c/wikisource.atom", "/tag/wikisource.feed.json", "/g/Punjabi-Wikimedians.rss", "/u/Writer.rss"],
)
def test_a_feed_costs_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries, url):
    client = client_for(world.writer)
    client.get(url)  # warm: the session and the viewer's access
    for n in range(12):
        topic = factories.make_topic(world.writer, world.public, title=f"Topic number {n}", tags=["wikisource"])
        factories.make_reply(world.writer, topic)
    with django_assert_max_num_queries(10):
        parse(client.get(url), url.rsplit(".", 1)[-1] if not url.endswith("feed.json") else "feed.json")


def test_a_topic_feed_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(15):
        factories.make_reply(world.writer, world.english, raw=f"Reply {n}")
    with django_assert_max_num_queries(6):
        parse(client.get(f"/t/{world.english.slug}/{world.english.pk}.rss"), "rss")


# --- Discovery -------------------------------------------------------------------------------------


def test_pages_name_their_feeds(client, world):
    pages = {
        "/latest": "/latest",
        "/c/wikisource": "/c/wikisource",
        "/tag/punjabi": "/tag/punjabi",
        "/g/Punjabi-Wikimedians": "/g/Punjabi-Wikimedians",
        "/u/Writer": "/u/Writer",
        f"/t/{world.english.slug}/{world.english.pk}": f"/t/{world.english.slug}/{world.english.pk}",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        for suffix, mime in (("rss", "rss+xml"), ("atom", "atom+xml"), ("feed.json", "feed+json")):
            assert f'<link rel="alternate" type="application/{mime}" href="{feed}.{suffix}"' in html, (page, suffix)
            assert client.get(f"{feed}.{suffix}").status_code == 200


def test_the_events_widget_lists_the_next_public_dates(client, world):
    category = factories.make_category("Meetups", slug="meetups", allows_events=True)
    permissions.forget_access(world.writer)
    make_event(world.writer, category, title="Proofread-a-thon", start_date=date(2030, 3, 12), tags=["wikisource"])
    html = client.get("/embed/events?tag=wikisource").content.decode()
    assert "Proofread-a-thon" in html
    assert "Proofread-a-thon" not in client.get("/embed/events?tag=punjabi").content.decode()


def test_widget_is_read_as_a_visitor_whoever_frames_it(client_for, world, staff):
    html = client_for(staff).get("/embed/topics").content.decode()
    assert "LEAKMARKER" not in html and "Proofreading on Wikisource" in html


def test_anonymous_user_sees_no_private_tags(world):
    from agora.feeds import queries

    filters = queries.parse_filters(AnonymousUser(), {"tags": "wikisource"})  # type: ignore[arg-type]
    assert [e.title for e in queries.latest_feed(AnonymousUser(), filters).entries] == [
        "Proofreading on Wikisource",
        "ਵਿਕੀਸਰੋਤ ਉੱਤੇ ਪ੍ਰੂਫ਼ਰੀਡਿੰਗ",
    ]


def test_the_blogs_pages_name_their_rss_and_json_feeds_too(client, world, blog):
    for page, feed in (("/blog", "/blog"), ("/blog/tag/ecology", "/blog/tag/ecology")):
        html = client.get(page).content.decode()
        for suffix, mime in (("rss", "rss+xml"), ("feed.json", "feed+json")):
            assert f'type="application/{mime}" href="{feed}.{suffix}"' in html, (page, suffix)
            parse(client.get(f"{feed}.{suffix}"), suffix)
