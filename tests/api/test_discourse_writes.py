"""Discourse-compatible writes and who may make them: Api-Key / Api-Username (and User-Api-Key) with our
personal keys, the session with its CSRF token, and Discourse's error documents for every refusal."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from agora import permissions
from agora.api.models import ApiKey
from agora.api.services import api_key_create, api_key_revoke
from agora.discuss.models import CategoryGrant, Post, PostLike, Topic
from agora.groups.models import Group, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_key(member):
    return api_key_create(user=member, name="script", scope=ApiKey.Scope.WRITE)[1]


@pytest.fixture
def read_key(member):
    return api_key_create(user=member, name="reader", scope=ApiKey.Scope.READ)[1]


def headers(key, username="Member"):
    h = {"HTTP_API_KEY": key}
    if username is not None:
        h["HTTP_API_USERNAME"] = username
    return h


def call(method, url, data=None, *, status, client=None, as_json=False, **extra):
    client = client or Client(enforce_csrf_checks=True)
    if as_json:
        response = getattr(client, method)(url, json.dumps(data or {}), content_type="application/json", **extra)
    elif method in ("put",):
        from urllib.parse import urlencode

        body = urlencode(data or {}, doseq=True)
        response = client.put(url, body, content_type="application/x-www-form-urlencoded", **extra)
    else:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code == status, (response.status_code, response.content[:400])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


# --- auth -----------------------------------------------------------------------------------


def test_a_key_reads_as_its_owner(member, read_key, public_category, club_topic):
    data = call("get", "/latest.json", status=200, **headers(read_key))
    assert club_topic.pk in [t["id"] for t in data["topic_list"]["topics"]]
    assert call("get", "/session/current.json", status=200, **headers(read_key))["current_user"]["id"] == member.pk


def test_the_username_is_matched_without_regard_to_case_and_may_be_left_out(member, read_key):
    for name in ("member", "MEMBER", None):
        current = call("get", "/session/current.json", status=200, **headers(read_key, name))["current_user"]
        assert current["username"] == "Member"


def test_a_username_in_another_script_is_sent_percent_encoded_or_as_utf8(other_member):
    from urllib.parse import quote

    key = api_key_create(user=other_member, name="x")[1]
    for sent in (quote("другой участник"), "Другой участник".encode().decode("latin-1")):
        current = call("get", "/session/current.json", status=200, **headers(key, sent))["current_user"]
        assert current["id"] == other_member.pk


def test_a_key_named_for_someone_else_is_refused(member, other_member, read_key):
    data = call("get", "/latest.json", status=403, **headers(read_key, other_member.username))
    assert data["error_type"] == "invalid_access"
    assert data["errors"]


@pytest.mark.parametrize("key", ["nonsense", "agora_" + "x" * 43, "", "k" * 500])
def test_an_unknown_key_is_refused(member, key):
    if key == "":
        # An empty header is no key at all: the request is a visitor's.
        call("get", "/latest.json", status=200, **headers(key))
        return
    assert call("get", "/latest.json", status=403, **headers(key))["error_type"] == "invalid_access"


def test_a_revoked_key_is_refused(member, read_key):
    api_key_revoke(key=ApiKey.objects.get(user=member))
    assert call("get", "/latest.json", status=403, **headers(read_key))["error_type"] == "invalid_access"


def test_a_suspended_owners_key_is_refused(member, read_key):
    from datetime import timedelta

    from django.utils import timezone

    member.suspended_until = timezone.now() + timedelta(days=1)
    member.save()
    assert call("get", "/latest.json", status=403, **headers(read_key))["error_type"] == "invalid_access"


def test_user_api_key_is_the_same_kind_of_key(member, read_key):
    current = call("get", "/session/current.json", status=200, HTTP_USER_API_KEY=read_key)["current_user"]
    assert current["id"] == member.pk


def test_a_read_key_cannot_write(member, read_key, topic):
    data = call(
        "post", "/posts.json", {"topic_id": topic.pk, "raw": "A reply by script"}, status=403, **headers(read_key)
    )
    assert data["error_type"] == "invalid_access"
    assert topic.posts.count() == 1


def test_a_key_wins_over_the_session_and_a_bad_key_is_refused_even_with_one(client_for, member, other_member):
    client = client_for(other_member)
    data = call("get", "/session/current.json", status=403, client=client, **headers("wrong"))
    assert data["error_type"] == "invalid_access"


def test_the_session_writes_with_its_csrf_token_and_not_without(member, topic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = call("post", "/posts.json", {"topic_id": topic.pk, "raw": "Without a token"}, status=403, client=client)
    assert refused["errors"] == ["BAD CSRF"]
    client.get("/latest")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    made = call(
        "post",
        "/posts.json",
        {"topic_id": topic.pk, "raw": "With the token"},
        status=200,
        client=client,
        HTTP_X_CSRFTOKEN=token,
    )
    assert made["post_number"] == 2


def test_key_requests_need_no_csrf_token(member, write_key, topic):
    made = call("post", "/posts.json", {"topic_id": topic.pk, "raw": "By script"}, status=200, **headers(write_key))
    assert made["topic_id"] == topic.pk


# --- creating topics and replies --------------------------------------------------------------


@pytest.fixture
def club(member, public_category):  # the public category first: the member's access is memoised
    club = Group.objects.create(name="club", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=club, user=member)
    permissions.forget_access(member)
    return factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE})


@pytest.fixture
def club_topic(member, club):
    return factories.make_topic(member, club, title="Plans of the club", raw="For the club only.")


@pytest.mark.parametrize("as_json", [False, True])
def test_post_json_creates_a_topic_with_title_raw_and_category(member, write_key, public_category, as_json):
    data = call(
        "post",
        "/posts.json",
        {"title": "A topic written by a script", "raw": "Its opening post.", "category": public_category.pk},
        status=200,
        as_json=as_json,
        **headers(write_key),
    )
    topic = Topic.objects.get(pk=data["topic_id"])
    assert (topic.title, topic.category_id, topic.user_id) == (
        "A topic written by a script",
        public_category.pk,
        member.pk,
    )
    assert data["post_number"] == 1
    assert data["raw"] == "Its opening post."
    assert data["topic_slug"] == topic.slug
    assert data["username"] == "Member"


def test_post_json_creates_a_topic_with_tags(member, write_key, public_category):
    factories.make_tag("howto")
    data = call(
        "post",
        "/posts.json",
        {"title": "A tagged topic by script", "raw": "Body text.", "category": public_category.pk, "tags[]": ["howto"]},
        status=200,
        **headers(write_key),
    )
    assert list(Topic.objects.get(pk=data["topic_id"]).tags.values_list("name", flat=True)) == ["howto"]


def test_post_json_creates_a_reply(member, write_key, topic, other_member):
    data = call(
        "post",
        "/posts.json",
        {"topic_id": topic.pk, "raw": "A reply by script.", "reply_to_post_number": 1},
        status=200,
        **headers(write_key),
    )
    post = Post.objects.get(pk=data["id"])
    assert (post.topic_id, post.number, post.reply_to_number, post.user_id) == (topic.pk, 2, 1, member.pk)
    topic.refresh_from_db()
    assert (topic.posts_count, topic.reply_count) == (2, 1)


@pytest.mark.parametrize(
    ("data", "status", "error_type"),
    [
        ({}, 400, "invalid_parameters"),
        ({"raw": ""}, 400, "invalid_parameters"),
        ({"raw": "Body", "topic_id": "abc"}, 400, "invalid_parameters"),
        ({"raw": "Body", "topic_id": "-5"}, 400, "invalid_parameters"),
        ({"raw": "Body", "category": "ask-here", "title": "A good title"}, 400, "invalid_parameters"),
        ({"raw": "Body", "archetype": "private_message", "title": "A good title"}, 400, "invalid_parameters"),
        ({"raw": "Body", "topic_id": 987654}, 404, "not_found"),
    ],
)
def test_bad_input_is_a_4xx_in_discourses_shape_and_changes_nothing(write_key, topic, data, status, error_type):
    before = Post.objects.count()
    answer = call("post", "/posts.json", data, status=status, **headers(write_key))
    assert answer["error_type"] == error_type
    assert answer["errors"]
    assert Post.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {"raw": "A body long enough", "title": "Hi", "category": "{category}"},  # title too short
        {"raw": "A body long enough", "category": "{category}"},  # no title
        {"raw": "A body long enough", "title": "A fine title here"},  # no category
        {"raw": "A body long enough", "title": "A fine title here", "category": 987654},  # unknown category
        {"raw": "A body long enough", "title": "A fine title here", "category": "{category}", "tags[]": ["nope"]},
        {"raw": " ", "topic_id": "{topic}"},  # raw of spaces only
    ],
)
def test_refused_content_is_a_422_with_the_reasons(write_key, topic, public_category, data):
    data = {
        k: (public_category.pk if v == "{category}" else topic.pk if v == "{topic}" else v) for k, v in data.items()
    }
    before = (Post.objects.count(), Topic.objects.count())
    answer = call("post", "/posts.json", data, status=400 if data.get("raw") == " " else 422, **headers(write_key))
    assert answer["errors"]
    assert answer.get("action", "create_post") == "create_post"
    assert (Post.objects.count(), Topic.objects.count()) == before


def test_a_private_category_answers_like_a_missing_one(client_for, outsider, club):
    key = api_key_create(user=outsider, name="x", scope=ApiKey.Scope.WRITE)[1]
    payload = {"raw": "A body long enough", "title": "A fine title here"}
    private = call("post", "/posts.json", {**payload, "category": club.pk}, status=422, **headers(key, "Outsider"))
    missing = call("post", "/posts.json", {**payload, "category": 987654}, status=422, **headers(key, "Outsider"))
    assert private == missing


def test_replying_to_a_private_topic_is_a_404_and_to_a_closed_one_a_403(outsider, club_topic, topic, moderator):
    key = api_key_create(user=outsider, name="x", scope=ApiKey.Scope.WRITE)[1]
    hidden = call(
        "post", "/posts.json", {"topic_id": club_topic.pk, "raw": "Let me in"}, status=404, **headers(key, "Outsider")
    )
    assert hidden["error_type"] == "not_found"
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    closed = call(
        "post", "/posts.json", {"topic_id": topic.pk, "raw": "Still talking"}, status=403, **headers(key, "Outsider")
    )
    assert closed["error_type"] == "invalid_access"


def test_visitors_cannot_write(client, topic):
    answer = call("post", "/posts.json", {"topic_id": topic.pk, "raw": "Anonymous reply"}, status=403, client=client)
    assert answer["error_type"] == "not_logged_in"


def test_a_silenced_member_is_told_and_nothing_is_written(member, write_key, topic):
    from datetime import timedelta

    from django.utils import timezone

    member.silenced_until = timezone.now() + timedelta(days=1)
    member.save()
    answer = call("post", "/posts.json", {"topic_id": topic.pk, "raw": "Still here"}, status=403, **headers(write_key))
    assert answer["error_type"] == "invalid_access"
    assert topic.posts.count() == 1


def test_too_many_posts_is_a_429_with_the_wait(member, write_key, topic, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_RATE_LIMITS = {**settings.AGORA_RATE_LIMITS, "post": "1/m/user"}
    call("post", "/posts.json", {"topic_id": topic.pk, "raw": "First reply"}, status=200, **headers(write_key))
    answer = call(
        "post", "/posts.json", {"topic_id": topic.pk, "raw": "Second reply"}, status=429, **headers(write_key)
    )
    assert answer["error_type"] == "rate_limit"
    assert answer["extras"]["wait_seconds"] > 0


def test_the_bare_posts_address_creates_too(member, write_key, topic):
    # pydiscourse's create_post posts to /posts (no .json).
    made = call("post", "/posts", {"topic_id": topic.pk, "raw": "Through /posts"}, status=200, **headers(write_key))
    assert made["post_number"] == 2


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_a_400(write_key, body):
    response = Client().post("/posts.json", body, content_type="application/json", **headers(write_key))
    assert response.status_code == 400
    assert json.loads(response.content)["error_type"] == "invalid_parameters"


# --- editing and liking ---------------------------------------------------------------------


def test_put_posts_json_edits_a_post(member, write_key, topic):
    post = topic.posts.get(number=1)
    data = call(
        "put", f"/posts/{post.pk}.json", {"post[raw]": "Where is the upload button?"}, status=200, **headers(write_key)
    )
    assert data["post"]["raw"] == "Where is the upload button?"
    assert data["post"]["version"] == 2
    post.refresh_from_db()
    assert post.raw == "Where is the upload button?"
    nested = call(
        "put",
        f"/posts/{post.pk}.json",
        {"post": {"raw": "Edited as JSON"}},
        status=200,
        as_json=True,
        **headers(write_key),
    )
    assert nested["post"]["raw"] == "Edited as JSON"


def test_put_posts_json_refuses_someone_elses_post(other_member, topic):
    key = api_key_create(user=other_member, name="x", scope=ApiKey.Scope.WRITE)[1]
    post = topic.posts.get(number=1)
    answer = call("put", f"/posts/{post.pk}.json", {"post[raw]": "Hijacked"}, status=403, **headers(key, None))
    assert answer["error_type"] == "invalid_access"
    post.refresh_from_db()
    assert post.raw == "Where is the button?"


def test_post_actions_json_likes_a_post_once(other_member, topic):
    key = api_key_create(user=other_member, name="x", scope=ApiKey.Scope.WRITE)[1]
    post = topic.posts.get(number=1)
    data = call(
        "post", "/post_actions.json", {"id": post.pk, "post_action_type_id": 2}, status=200, **headers(key, None)
    )
    assert data["actions_summary"] == [{"id": 2, "count": 1, "acted": True, "can_undo": True}]
    assert PostLike.objects.filter(post=post, user=other_member).exists()
    again = call(
        "post", "/post_actions.json", {"id": post.pk, "post_action_type_id": 2}, status=422, **headers(key, None)
    )
    assert again["errors"]
    flag = call(
        "post", "/post_actions.json", {"id": post.pk, "post_action_type_id": 4}, status=400, **headers(key, None)
    )
    assert flag["error_type"] == "invalid_parameters"


def test_post_actions_json_refuses_ones_own_post_and_a_hidden_one(member, write_key, topic, club_topic, outsider):
    own = topic.posts.get(number=1)
    assert call(
        "post", "/post_actions.json", {"id": own.pk, "post_action_type_id": 2}, status=403, **headers(write_key)
    )
    key = api_key_create(user=outsider, name="x", scope=ApiKey.Scope.WRITE)[1]
    hidden = club_topic.posts.get(number=1)
    answer = call(
        "post", "/post_actions.json", {"id": hidden.pk, "post_action_type_id": 2}, status=404, **headers(key, None)
    )
    assert answer["error_type"] == "not_found"
