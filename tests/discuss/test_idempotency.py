"""Idempotency keys: a retried submit (its response lost) never makes a second topic or reply."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from agora.discuss import services
from agora.discuss.models import IdempotencyKey, Post, Topic
from agora.permissions import creatable_categories
from tests import factories
from tests.api import conftest as api_conftest

KEY_RE = re.compile(r'name="idempotency_key" value="([0-9a-f-]{36})"')


def _key_in(html: str) -> str:
    match = KEY_RE.search(html)
    assert match, "the composer has no idempotency key"
    return match[1]


def _reply(client, topic, key, raw="Under Upload, top right.", **extra):
    return client.post(f"/t/{topic.pk}/reply", {"raw": raw, "idempotency_key": key, **extra})


@pytest.mark.django_db
def test_the_composers_carry_a_fresh_key_each_time_they_are_drawn(client_for, topic, other_member):
    client = client_for(other_member)
    page_keys = {_key_in(client.get(topic.get_absolute_url()).content.decode()) for _ in range(2)}
    reply_keys = {_key_in(client.get(f"/t/{topic.pk}/reply").content.decode()) for _ in range(2)}
    new_topic_key = _key_in(client.get("/new-topic").content.decode())
    assert len(page_keys | reply_keys | {new_topic_key}) == 5


@pytest.mark.django_db
def test_two_submits_with_one_key_make_one_reply_and_the_same_redirect(client_for, topic, other_member):
    client = client_for(other_member)
    key = str(uuid.uuid4())
    first, second = _reply(client, topic, key), _reply(client, topic, key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/t/{topic.slug}/{topic.pk}#post-2"
    assert Post.objects.filter(topic=topic).count() == 2
    topic.refresh_from_db()
    assert (topic.posts_count, topic.reply_count) == (2, 1)
    assert IdempotencyKey.objects.get().post == Post.objects.get(topic=topic, number=2)


@pytest.mark.django_db
def test_a_retry_is_answered_even_when_posting_again_would_be_too_fast(client_for, topic, other_member, settings):
    # The retry of a post that went in is no new post: the rate limit must not refuse it.
    settings.AGORA_RATE_LIMITS = {**settings.AGORA_RATE_LIMITS, "post": "1/m/user"}
    client = client_for(other_member)
    key = str(uuid.uuid4())
    assert _reply(client, topic, key).status_code == 302
    retry = _reply(client, topic, key)
    assert retry.status_code == 302 and retry["Location"].endswith("#post-2")
    assert Post.objects.filter(topic=topic).count() == 2


@pytest.mark.django_db
def test_an_htmx_retry_gets_the_same_post_back(client_for, topic, other_member):
    client = client_for(other_member)
    key = str(uuid.uuid4())
    htmx = {"HX-Request": "true"}
    first = client.post(f"/t/{topic.pk}/reply", {"raw": "Via htmx.", "idempotency_key": key}, headers=htmx)
    second = client.post(f"/t/{topic.pk}/reply", {"raw": "Via htmx.", "idempotency_key": key}, headers=htmx)
    assert first.status_code == second.status_code == 200
    assert 'id="post-2"' in second.content.decode()
    assert Post.objects.filter(topic=topic).count() == 2
    # The reply box that comes back holds a new key, for the next reply.
    assert _key_in(second.content.decode()) != key


@pytest.mark.django_db
def test_different_keys_make_two_replies(client_for, topic, other_member):
    client = client_for(other_member)
    _reply(client, topic, str(uuid.uuid4()))
    _reply(client, topic, str(uuid.uuid4()), raw="And a second thought.")
    assert Post.objects.filter(topic=topic).count() == 3


@pytest.mark.django_db
def test_one_key_is_one_persons_another_person_with_it_still_posts(client_for, topic, member, other_member):
    key = str(uuid.uuid4())
    _reply(client_for(other_member), topic, key)
    _reply(client_for(member), topic, key, raw="Thanks, found it.")
    assert sorted(Post.objects.filter(topic=topic).values_list("user", flat=True)) == sorted(
        [member.pk, other_member.pk, member.pk]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["not-a-uuid", "x" * 500, "'; DROP TABLE discuss_post; --", ""])
def test_an_invalid_key_is_ignored_and_the_reply_still_goes_in(client_for, topic, other_member, bad):
    client = client_for(other_member)
    response = _reply(client, topic, bad)
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic).count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_refused_submit_keeps_the_draft_and_the_same_key_and_its_fix_posts_once(client_for, topic, other_member):
    client = client_for(other_member)
    key = str(uuid.uuid4())
    refused = _reply(client, topic, key, raw="x")  # too short
    html = refused.content.decode()
    assert refused.status_code == 400
    assert _key_in(html) == key and re.search(r">\s*x</textarea>", html)
    assert Post.objects.filter(topic=topic).count() == 1
    fixed = _reply(client, topic, key, raw="Now a reply long enough.")
    again = _reply(client, topic, key, raw="Now a reply long enough.")
    assert fixed["Location"] == again["Location"]
    assert Post.objects.filter(topic=topic).count() == 2


@pytest.mark.django_db
def test_two_new_topic_submits_with_one_key_make_one_topic(client_for, member, public_category):
    client = client_for(member)
    key = _key_in(client.get("/new-topic").content.decode())
    data = {
        "title": "Where do I find the archive?",
        "category": public_category.pk,
        "raw": "Looking for last year's list archive.",
        "idempotency_key": key,
    }
    first, second = client.post("/new-topic", data), client.post("/new-topic", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Topic.objects.filter(title=data["title"]).count() == 1


@pytest.mark.django_db
def test_a_refused_new_topic_keeps_its_key(client_for, member, public_category):
    client = client_for(member)
    key = str(uuid.uuid4())
    refused = client.post("/new-topic", {"title": "Hi", "category": public_category.pk, "raw": "Body text here."})
    assert refused.status_code == 400 and _key_in(refused.content.decode())
    refused = client.post(
        "/new-topic", {"title": "Hi", "category": public_category.pk, "raw": "Body text.", "idempotency_key": key}
    )
    assert refused.status_code == 400 and _key_in(refused.content.decode()) == key
    assert not Topic.objects.filter(title="Hi").exists()


@pytest.mark.django_db
def test_keys_older_than_a_day_are_pruned_and_newer_ones_kept(topic, member):
    post = topic.posts.get()
    old = IdempotencyKey.objects.create(user=member, key=uuid.uuid4(), post=post)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    recent = IdempotencyKey.objects.create(user=member, key=uuid.uuid4(), post=post)
    assert services.idempotency_keys_prune() == 1
    assert list(IdempotencyKey.objects.all()) == [recent]


def test_the_prune_runs_as_a_timed_job():
    from agora.core.timed_jobs import timed_jobs

    assert services.idempotency_keys_prune in timed_jobs()


# --- The API -------------------------------------------------------------------------------------


# The API tests' world, keys and caller, as fixtures of this module too.
world, keys, api = api_conftest.world, api_conftest.keys, api_conftest.api


@pytest.mark.parametrize("what", ["topic", "reply"])
def test_the_api_makes_one_post_for_two_requests_with_one_idempotency_key(world, keys, api, what):
    if what == "topic":
        url, body = "/api/v1/topics", {"category": "open-air", "title": "Sent twice by a client", "raw": "Body."}
    else:
        url, body = f"/api/v1/topics/{world.public_topic.pk}/posts", {"raw": "A reply sent twice."}
    key = str(uuid.uuid4())
    first = api("POST", url, key=keys["write"], json=body, HTTP_IDEMPOTENCY_KEY=key)
    second = api("POST", url, key=keys["write"], json=body, HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 201, second.content
    assert first.json()["id"] == second.json()["id"]
    assert IdempotencyKey.objects.count() == 1
    third = api("POST", url, key=keys["write"], json={**body, "raw": "Sent again with a new key."})
    assert third.status_code == 201 and third.json()["id"] != first.json()["id"]


def test_the_api_refuses_an_idempotency_key_that_is_no_uuid_and_writes_nothing(world, keys, api):
    before = Post.objects.count()
    url = f"/api/v1/topics/{world.public_topic.pk}/posts"
    response = api("POST", url, key=keys["write"], json={"raw": "A reply."}, HTTP_IDEMPOTENCY_KEY="again-please")
    assert response.status_code == 400 and "UUID" in response.json()["detail"]
    assert Post.objects.count() == before


# --- Concurrency: two submits of one key at the same moment --------------------------------------


# serialized_rollback: a transactional test empties the database; the automatic groups must come back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="real concurrent transactions need PostgreSQL")
@pytest.mark.parametrize("what", ["reply", "topic"])
def test_two_concurrent_submits_with_one_key_make_one_post(what):  # pragma: no cover - PostgreSQL only
    author = factories.UserFactory(username="Racer", trust_level=1)
    category = factories.make_category("Race track")
    topic = factories.make_topic(author, category, title="A topic to race in", raw="Text of it.")
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    made: list[int] = []
    errors: list[Exception] = []

    def submit():
        try:
            barrier.wait()
            if what == "reply":
                made.append(services.post_create(user=author, topic=topic, raw="Same reply.", idempotency_key=key).pk)
            else:
                made.append(
                    services.topic_create(
                        user=author,
                        category=creatable_categories(author).get(pk=category.pk),
                        title="The same new topic",
                        raw="Same text.",
                        idempotency_key=key,
                    ).pk
                )
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(made) == 2 and made[0] == made[1]
    assert IdempotencyKey.objects.count() == 1
    assert Post.objects.count() == 2  # the topic's opening post and the one new post (a reply or a topic)
