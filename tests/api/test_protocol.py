"""The API's manners: rate-limit headers and 429, cursors, page sizes, problem documents for bad input."""

import pytest
from django.utils import timezone

from agora.discuss.models import Topic
from tests import factories

PROBLEM = "application/problem+json"


def test_every_answer_carries_the_rate_limit_headers(world, keys, api, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_API_RATE_LIMIT = "5/m"
    first = api("get", "/api/v1/topics", key=keys["read"])
    second = api("get", "/api/v1/nothing-here", key=keys["read"])
    assert first["RateLimit-Limit"] == "5" and first["RateLimit-Remaining"] == "4"
    assert second["RateLimit-Remaining"] == "3" and second.status_code == 404
    assert 0 < int(first["RateLimit-Reset"]) <= 60


def test_past_the_limit_429_with_retry_after(world, keys, api, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_API_RATE_LIMIT = "3/m"
    for _n in range(3):
        assert api("get", "/api/v1/topics", key=keys["read"]).status_code == 200
    response = api("get", "/api/v1/topics", key=keys["read"])
    assert response.status_code == 429 and response["Content-Type"] == PROBLEM
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["RateLimit-Remaining"] == "0"
    # Another key of the same person has its own allowance; so does an anonymous caller.
    assert api("get", "/api/v1/topics", key=keys["write"]).status_code == 200
    assert api("get", "/api/v1/topics").status_code == 200


def test_anonymous_callers_are_limited_per_address(world, api, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_API_RATE_LIMIT_ANONYMOUS = "2/m"
    assert api("get", "/api/v1/topics")["RateLimit-Limit"] == "2"
    api("get", "/api/v1/topics")
    assert api("get", "/api/v1/topics").status_code == 429
    assert api("get", "/api/v1/topics", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_bad_keys_count_against_the_address(world, api, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_API_RATE_LIMIT_ANONYMOUS = "2/m"
    first = api("get", "/api/v1/topics", key="agora_guess1")
    assert first.status_code == 401 and first["RateLimit-Remaining"] == "1"
    api("get", "/api/v1/topics", key="agora_guess2")
    assert api("get", "/api/v1/topics", key="agora_guess3").status_code == 429


@pytest.fixture
def many_topics(world):
    """25 topics, some bumped at the same instant (ties broken by id)."""
    same = timezone.now()
    made = [factories.make_topic(world.member, world.public, title=f"Topic number {n}") for n in range(24)]
    Topic.objects.filter(pk__in=[t.pk for t in made[:10]]).update(bumped_at=same)
    return made


def test_cursors_walk_a_list_without_gaps_or_repeats(world, many_topics, api):
    seen, url, pages = [], "/api/v1/topics?limit=7", 0
    while url:
        response = api("get", url)
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
            # A topic started while the client walks does not shift the pages.
            factories.make_topic(world.member, world.public, title=f"Arrived during page {pages}")
        pages += 1
    expected = [
        t.pk
        for t in Topic.objects.filter(pk__lte=max(seen))
        .exclude(pk__in=[world.club_topic.pk, world.staff_topic.pk])
        .exclude(title__startswith="Arrived")
        .order_by("-bumped_at", "-id")
    ]
    assert seen == expected and len(seen) == len(set(seen)) == 25
    assert pages == 4


def test_posts_walk_in_order(world, keys, api):
    for n in range(5):
        factories.make_reply(world.insider, world.public_topic, raw=f"Reply {n}")
    first = api("get", f"/api/v1/topics/{world.public_topic.pk}/posts?limit=4").json()
    second = api("get", first["next"]).json()
    assert [p["number"] for p in first["results"] + second["results"]] == [1, 2, 3, 4, 5, 6]
    assert second["next"] is None


@pytest.mark.parametrize("cursor", ["garbage", "a" * 3000, "eyJhIjoxfQ:1abc:xyz", ""])
def test_a_bad_cursor_is_400(world, api, cursor):
    response = api("get", f"/api/v1/topics?cursor={cursor}")
    if cursor == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and response["Content-Type"] == PROBLEM


def test_a_cursor_of_another_list_is_refused(world, many_topics, api):
    cursor = api("get", "/api/v1/topics?limit=2").json()["next_cursor"]
    response = api("get", f"/api/v1/stories?cursor={cursor}")
    assert response.status_code == 400 and response.json()["type"].endswith("/bad-cursor")


@pytest.mark.parametrize("limit", ["101", "1000000", "0", "-1", "ten", "1e3", "99999999999999999999999"])
def test_page_sizes_out_of_range_or_not_numbers_are_400(world, api, limit):
    response = api("get", f"/api/v1/topics?limit={limit}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["errors"][0]["location"] == "query/limit"
    assert set(body) >= {"type", "title", "status", "detail", "errors"}


def test_unknown_filters_are_400(world, api):
    response = api("get", "/api/v1/topics?categroy=open-air")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"location": "query/categroy", "detail": "Unknown parameter.", "code": "unknown"}
    ]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/topics/abc", "/api/v1/no-such-thing", "/api/v1", "/api/v1/topics/99999999999999999999999"],
)
def test_unknown_addresses_are_404_problems(world, api, url):
    response = api("get", url)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_a_wrong_method_is_405_with_allow(world, keys, api):
    response = api("patch", "/api/v1/topics", key=keys["write"])
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert "GET" in response["Allow"]


def test_deleted_topic_is_404(world, api):
    Topic.objects.filter(pk=world.public_topic.pk).update(deleted_at=timezone.now())
    assert api("get", f"/api/v1/topics/{world.public_topic.pk}").status_code == 404
    assert api("get", "/api/v1/topics").json()["results"] == []


def test_anonymous_posts_keep_their_author_hidden(world, api):
    post = world.public_topic.posts.get(number=1)
    type(post).objects.filter(pk=post.pk).update(anonymous=True)
    assert api("get", f"/api/v1/posts/{post.pk}").json()["author"] is None


def test_hidden_posts_do_not_show_their_text(world, keys, api):
    reply = factories.make_reply(world.insider, world.public_topic, raw="LEAKMARKER rude words")
    type(reply).objects.filter(pk=reply.pk).update(hidden_at=timezone.now(), hidden_reason="flags")
    body = api("get", f"/api/v1/topics/{world.public_topic.pk}/posts").json()
    assert b"LEAKMARKER" not in str(body).encode()
    own = api("get", f"/api/v1/posts/{reply.pk}", key=keys["insider"]).json()
    assert own["raw"] == "LEAKMARKER rude words" and own["hidden"] is True
