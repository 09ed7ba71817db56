"""Reads: each as a visitor, an outsider, a member and a group member. Private content is absent from
lists, 404 on detail, and left out of counts; lists keep to a query budget."""

import pytest

from agora.notifications.models import Notification
from agora.search.services import index_rebuild
from tests import factories

from .conftest import make_story

TOPIC_LIST = "/api/v1/topics"


def titles(response):
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


@pytest.fixture
def as_who(world, keys, api):
    """as_who(name, method, url): the call as a visitor (no key), or with the key of a named person."""
    insider_key = keys["insider"]
    from agora.api.services import api_key_create

    outsider_key = api_key_create(user=world.outsider, name="o", scope="read")[1]
    by_name = {"visitor": None, "outsider": outsider_key, "member": keys["read"], "insider": insider_key}

    def call(who, url, method="get", **kw):
        return api(method, url, key=by_name[who], **kw)

    return call


@pytest.mark.parametrize("who", ["visitor", "outsider", "member"])
def test_topics_list_leaves_out_private_topics(world, as_who, who):
    assert titles(as_who(who, TOPIC_LIST)) == {"Public question about uploads"}


def test_topics_list_shows_the_group_member_their_group_topics(world, as_who):
    assert titles(as_who("insider", TOPIC_LIST)) == {"Public question about uploads", "LEAKMARKER club plans"}


def test_topics_filter_by_category_tag_and_language(world, as_who):
    assert titles(as_who("member", f"{TOPIC_LIST}?category=open-air")) == {"Public question about uploads"}
    assert titles(as_who("member", f"{TOPIC_LIST}?tag=howto")) == {"Public question about uploads"}
    assert titles(as_who("member", f"{TOPIC_LIST}?lang=ar")) == set()
    assert titles(as_who("insider", f"{TOPIC_LIST}?category=club-room")) == {"LEAKMARKER club plans"}


def test_a_private_category_filter_answers_as_a_missing_one(world, as_who):
    private = as_who("outsider", f"{TOPIC_LIST}?category=club-room")
    missing = as_who("outsider", f"{TOPIC_LIST}?category=no-such-room")
    assert private.status_code == missing.status_code == 400
    assert private.json() == missing.json()
    assert private["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("who", ["visitor", "outsider", "member"])
def test_private_topic_posts_and_post_are_404_to_outsiders(world, as_who, who):
    post = world.club_topic.posts.get(number=1)
    for url in (
        f"/api/v1/topics/{world.club_topic.pk}",
        f"/api/v1/topics/{world.club_topic.pk}/posts",
        f"/api/v1/posts/{post.pk}",
        f"/api/v1/topics/{world.staff_topic.pk}",
    ):
        response = as_who(who, url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert b"LEAKMARKER" not in response.content


def test_group_member_reads_their_topic_and_its_posts(world, as_who):
    factories.make_reply(world.insider, world.club_topic, raw="LEAKMARKER second")
    assert as_who("insider", f"/api/v1/topics/{world.club_topic.pk}").json()["title"] == "LEAKMARKER club plans"
    posts = as_who("insider", f"/api/v1/topics/{world.club_topic.pk}/posts").json()["results"]
    assert [p["number"] for p in posts] == [1, 2]
    assert posts[1]["raw"] == "LEAKMARKER second"
    one = as_who("insider", f"/api/v1/posts/{posts[0]['id']}").json()
    assert one["number"] == 1 and one["author"] == "Insider"


def test_posts_say_what_the_caller_likes(world, as_who):
    from agora.discuss import services

    reply = factories.make_reply(world.insider, world.public_topic)
    services.post_like_toggle(user=world.member, post=reply)
    posts = as_who("member", f"/api/v1/topics/{world.public_topic.pk}/posts").json()["results"]
    assert [p["liked"] for p in posts] == [False, True]
    assert posts[1]["like_count"] == 1


def test_stories_list_published_ones_only(world, as_who):
    make_story(world.member, title="Published news")
    make_story(world.member, title="LEAKMARKER draft", state="draft")
    for who in ("visitor", "member"):
        assert titles(as_who(who, "/api/v1/stories")) == {"Published news"}
    draft = make_story(world.member, title="LEAKMARKER other draft", state="draft", slug="d2")
    assert as_who("member", f"/api/v1/stories/{draft.pk}").status_code == 404


def test_story_detail_has_its_body(world, as_who):
    story = make_story(world.member, title="Published news")
    body = as_who("visitor", f"/api/v1/stories/{story.pk}").json()
    assert body["authors"] == ["Member"] and "Some words" in body["body_html"]


@pytest.mark.parametrize("who", ["visitor", "outsider", "member"])
def test_events_leave_out_private_ones(events, as_who, who):
    assert titles(as_who(who, "/api/v1/events")) == {"Open edit-a-thon"}
    response = as_who(who, f"/api/v1/events/{events.club.pk}")
    assert response.status_code == 404 and b"LEAKMARKER" not in response.content


def test_events_come_with_their_dates(events, as_who):
    body = as_who("insider", "/api/v1/events").json()["results"]
    assert {e["title"] for e in body} == {"Open edit-a-thon", "LEAKMARKER club dinner"}
    public = next(e for e in body if e["title"] == "Open edit-a-thon")
    assert len(public["occurrences"]) == 1 and public["occurrences"][0]["start_date"] == "2030-03-12"
    detail = as_who("visitor", f"/api/v1/events/{events.public.pk}").json()
    assert detail["online_url"] == "https://meet.example.org/a"
    assert detail["occurrences"][0]["start"].startswith("2030-03-12T17:00")


def test_categories_are_the_visible_ones(world, as_who):
    def slugs(who):
        return {c["slug"] for c in as_who(who, "/api/v1/categories").json()["results"]}

    assert "club-room" not in slugs("outsider") and "staff-room" not in slugs("visitor")
    assert {"open-air", "club-room"} <= slugs("insider")


def test_tag_counts_count_only_visible_topics(world, as_who):
    factories.make_topic(world.insider, world.club, title="LEAKMARKER tagged", tags=["howto"])
    tags = {t["name"]: t["topic_count"] for t in as_who("outsider", "/api/v1/tags").json()["results"]}
    assert tags["howto"] == 1
    tags = {t["name"]: t["topic_count"] for t in as_who("insider", "/api/v1/tags").json()["results"]}
    assert tags["howto"] == 2


def test_person_counts_what_the_caller_may_see(world, as_who):
    factories.make_reply(world.insider, world.public_topic)
    outside = as_who("outsider", "/api/v1/people/Insider").json()
    inside = as_who("insider", "/api/v1/people/Insider").json()
    assert (outside["topic_count"], outside["reply_count"]) == (0, 1)
    assert (inside["topic_count"], inside["reply_count"]) == (1, 1)
    assert as_who("visitor", "/api/v1/people/nobody-at-all").status_code == 404


def test_hidden_group_is_404_to_outsiders(world, as_who):
    for who in ("visitor", "outsider", "member"):
        assert as_who(who, "/api/v1/groups/club").status_code == 404
        assert "club" not in {g["name"] for g in as_who(who, "/api/v1/groups").json()["results"]}
    assert as_who("insider", "/api/v1/groups/club").json()["is_member"] is True
    assert "club" in {g["name"] for g in as_who("insider", "/api/v1/groups").json()["results"]}


def test_notifications_are_the_callers_own(world, as_who):
    Notification.objects.create(
        user=world.member, kind=Notification.Kind.MENTIONED, actor=world.insider, topic=world.public_topic
    )
    Notification.objects.create(
        user=world.member, kind=Notification.Kind.MENTIONED, actor=world.insider, topic=world.club_topic
    )  # about a topic the member may not see
    body = as_who("member", "/api/v1/notifications").json()
    assert [n["topic_id"] for n in body["results"]] == [world.public_topic.pk]
    assert body["unread"] == 1
    assert as_who("insider", "/api/v1/notifications").json()["results"] == []


def test_notifications_need_a_caller(world, as_who):
    response = as_who("visitor", "/api/v1/notifications")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_search_finds_only_what_the_caller_may_see(world, as_who):
    index_rebuild()  # the world was written inside the test's transaction: its indexing tasks never ran
    assert titles(as_who("outsider", "/api/v1/search?q=LEAKMARKER")) == set()
    assert "LEAKMARKER club plans" in titles(as_who("insider", "/api/v1/search?q=LEAKMARKER"))
    body = as_who("visitor", "/api/v1/search?q=uploads").json()
    assert body["total"] == 1 and body["results"][0]["kind"] == "topic"


def test_search_refuses_a_huge_query(world, as_who):
    response = as_who("visitor", "/api/v1/search?q=" + "a" * 10_000)
    assert response.status_code == 400 and response.json()["errors"][0]["location"] == "query/q"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/topics",
        "/api/v1/stories",
        "/api/v1/events",
        "/api/v1/tags",
        "/api/v1/groups",
        "/api/v1/categories",
        "/api/v1/notifications",
    ],
)
def test_lists_keep_a_query_budget(world, events, as_who, url, django_assert_max_num_queries):
    for n in range(6):
        topic = factories.make_topic(world.member, world.public, title=f"Another topic {n}", tags=["howto"])
        factories.make_reply(world.insider, topic)
        make_story(world.member, title=f"News {n}")
        Notification.objects.create(
            user=world.member, kind=Notification.Kind.MENTIONED, actor=world.insider, topic=topic
        )
    as_who("member", url)  # warm: the key's last use is written at most every few minutes
    with django_assert_max_num_queries(8):
        response = as_who("member", url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1
