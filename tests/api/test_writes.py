"""Writes: each with a session and its CSRF token, a write key, a read key (403), a revoked key (401) and
nobody (401). They go through the apps' services, so the pages' rules hold here too."""

import pytest
from django.test import Client

from agora.discuss.models import Bookmark, PostLike, Topic
from agora.events.models import RSVP
from agora.moderation.models import Flag
from tests import factories


@pytest.fixture
def reply(world):
    """A post of the insider's in the public topic: the member likes, bookmarks and flags it."""
    return factories.make_reply(world.insider, world.public_topic, raw="A reply worth a like.")


def writes(world, reply, events):
    """(method, url, body, check) for each write; check(world) says the write happened."""
    occurrence = events.public.occurrences.first()
    return {
        "topic": (
            "post",
            "/api/v1/topics",
            {"category": "open-air", "title": "Started through the API", "raw": "The opening post, long enough."},
            lambda: Topic.objects.filter(title="Started through the API").exists(),
        ),
        "reply": (
            "post",
            f"/api/v1/topics/{world.public_topic.pk}/posts",
            {"raw": "A reply sent through the API."},
            lambda: world.public_topic.posts.filter(raw="A reply sent through the API.").exists(),
        ),
        "like": (
            "put",
            f"/api/v1/posts/{reply.pk}/like",
            None,
            lambda: PostLike.objects.filter(post=reply, user=world.member).exists(),
        ),
        "bookmark": (
            "put",
            f"/api/v1/posts/{reply.pk}/bookmark",
            {"note": "read later"},
            lambda: Bookmark.objects.filter(post=reply, user=world.member, note="read later").exists(),
        ),
        "rsvp": (
            "put",
            f"/api/v1/occurrences/{occurrence.pk}/rsvp",
            {"status": "going"},
            lambda: RSVP.objects.filter(occurrence=occurrence, user=world.member, status="going").exists(),
        ),
        "flag": (
            "post",
            f"/api/v1/posts/{reply.pk}/flags",
            {"kind": "spam"},
            lambda: Flag.objects.filter(post=reply, flagger=world.member).exists(),
        ),
    }


WRITES = ["topic", "reply", "like", "bookmark", "rsvp", "flag"]


def session_client(user, *, csrf=True):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    headers = {}
    if csrf:
        client.get("/my/api-keys")  # sets the csrftoken cookie, as any page with a form does
        headers["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client, headers


@pytest.mark.parametrize("name", WRITES)
def test_write_with_a_write_key(world, keys, reply, events, api, name):
    method, url, body, done = writes(world, reply, events)[name]
    response = api(method, url, key=keys["write"], json=body if body is not None else {})
    assert response.status_code in (200, 201), response.content
    assert done()


@pytest.mark.parametrize("name", WRITES)
def test_write_with_the_session_and_csrf(world, reply, events, api, name):
    method, url, body, done = writes(world, reply, events)[name]
    client, headers = session_client(world.member)
    response = api(method, url, client=client, json=body if body is not None else {}, **headers)
    assert response.status_code in (200, 201), response.content
    assert done()


@pytest.mark.parametrize("name", WRITES)
def test_write_with_the_session_but_no_csrf_is_403(world, reply, events, api, name):
    method, url, body, done = writes(world, reply, events)[name]
    client, _headers = session_client(world.member, csrf=False)
    response = api(method, url, client=client, json=body if body is not None else {})
    assert response.status_code == 403 and response.json()["type"].endswith("/csrf")
    assert not done()


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize(("key", "status"), [("read", 403), ("revoked", 401), (None, 401)])
def test_write_refused_without_a_write_key(world, keys, reply, events, api, name, key, status):
    method, url, body, done = writes(world, reply, events)[name]
    response = api(method, url, key=keys[key] if key else None, json=body if body is not None else {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not done()


def test_a_revoked_key_cannot_even_read(world, keys, api):
    response = api("get", "/api/v1/topics", key=keys["revoked"])
    assert response.status_code == 401 and response.json()["type"].endswith("/invalid-key")


def test_a_suspended_members_key_cannot_even_read(world, keys, api):
    from datetime import timedelta

    from django.utils import timezone

    assert api("get", "/api/v1/notifications", key=keys["insider"]).status_code == 200
    type(world.insider).objects.filter(pk=world.insider.pk).update(suspended_until=timezone.now() + timedelta(days=30))
    response = api("get", "/api/v1/notifications", key=keys["insider"])
    assert response.status_code == 401 and response.json()["type"].endswith("/invalid-key")


def test_a_malformed_authorization_header_is_401(world, api):
    response = api("get", "/api/v1/topics", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 401


def test_reply_to_a_topic_the_caller_may_not_see_is_404(world, keys, api):
    response = api("post", f"/api/v1/topics/{world.club_topic.pk}/posts", key=keys["write"], json={"raw": "Hello!"})
    assert response.status_code == 404
    assert world.club_topic.posts.count() == 1


def test_topic_in_a_category_the_caller_may_not_post_in_is_400(world, keys, api):
    body = {"category": "staff-room", "title": "Trying the staff room", "raw": "Let me in, please."}
    response = api("post", "/api/v1/topics", key=keys["write"], json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"] == "body/category"
    assert not Topic.objects.filter(title="Trying the staff room").exists()


def test_the_form_rules_apply(world, keys, api):
    body = {"category": "open-air", "title": "x", "raw": "y", "tags": ["no-such-tag"]}
    response = api("post", "/api/v1/topics", key=keys["write"], json=body)
    assert response.status_code == 400
    locations = {e["location"] for e in response.json()["errors"]}
    assert {"body/title", "body/tags"} <= locations


def test_unknown_fields_and_wrong_types_are_400(world, keys, api):
    for body in ({"raw": "Hello there!", "colour": "red"}, {"raw": 5}, {"raw": ["a"]}, {"raw": "a\x00b"}):
        response = api("post", f"/api/v1/topics/{world.public_topic.pk}/posts", key=keys["write"], json=body)
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/problem+json"
    response = Client().post(
        f"/api/v1/topics/{world.public_topic.pk}/posts",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {keys['write']}",
    )
    assert response.status_code == 400
    assert world.public_topic.posts.count() == 1


def test_like_and_unlike_are_idempotent(world, keys, reply, api):
    url = f"/api/v1/posts/{reply.pk}/like"
    assert api("put", url, key=keys["write"]).json() == {"post_id": reply.pk, "liked": True, "like_count": 1}
    assert api("put", url, key=keys["write"]).json()["like_count"] == 1
    assert api("delete", url, key=keys["write"]).json() == {"post_id": reply.pk, "liked": False, "like_count": 0}
    assert api("delete", url, key=keys["write"]).json()["like_count"] == 0


def test_liking_ones_own_post_is_403(world, keys, api):
    own = world.public_topic.posts.get(number=1)
    response = api("put", f"/api/v1/posts/{own.pk}/like", key=keys["write"])
    assert response.status_code == 403


def test_unbookmark(world, keys, reply, api):
    api("put", f"/api/v1/posts/{reply.pk}/bookmark", key=keys["write"], json={})
    response = api("delete", f"/api/v1/posts/{reply.pk}/bookmark", key=keys["write"])
    assert response.json()["bookmarked"] is False
    assert not Bookmark.objects.filter(post=reply).exists()


def test_flagging_twice_is_a_conflict(world, keys, reply, api):
    url = f"/api/v1/posts/{reply.pk}/flags"
    assert api("post", url, key=keys["write"], json={"kind": "spam"}).status_code == 201
    response = api("post", url, key=keys["write"], json={"kind": "spam"})
    assert response.status_code == 409 and response.json()["type"].endswith("/conflict")
    assert api("post", url, key=keys["write"], json={"kind": "nonsense"}).status_code == 400


def test_rsvp_refusals_are_problem_documents(world, keys, events, api):
    occurrence = events.public.occurrences.first()
    occurrence.cancelled = True
    occurrence.save()
    response = api("put", f"/api/v1/occurrences/{occurrence.pk}/rsvp", key=keys["write"], json={"status": "going"})
    assert response.status_code == 400 and "cancelled" in response.json()["detail"]
    private = events.club.occurrences.first()
    response = api("put", f"/api/v1/occurrences/{private.pk}/rsvp", key=keys["write"], json={"status": "going"})
    assert response.status_code == 404


def test_posting_rate_limit_answers_429_with_retry_after(world, keys, api, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_RATE_LIMITS = {**settings.AGORA_RATE_LIMITS, "post": "1/m/user"}
    url = f"/api/v1/topics/{world.public_topic.pk}/posts"
    assert api("post", url, key=keys["write"], json={"raw": "The first reply."}).status_code == 201
    response = api("post", url, key=keys["write"], json={"raw": "The second reply."})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["type"].endswith("/rate-limited")
    assert world.public_topic.posts.count() == 2


def test_new_member_limits_apply(world, api, settings):
    from agora.api.services import api_key_create

    settings.AGORA_POSTING_LIMITS = True
    newcomer = factories.UserFactory(username="Newcomer", trust_level=0)
    key = api_key_create(user=newcomer, name="k", scope="write")[1]
    raw = " ".join(f"https://example.org/{n}" for n in range(10))
    response = api("post", f"/api/v1/topics/{world.public_topic.pk}/posts", key=key, json={"raw": raw})
    assert response.status_code == 400, response.content
    assert world.public_topic.posts.count() == 1
