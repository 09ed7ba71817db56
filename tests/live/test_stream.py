"""/live through real uvicorn processes, as bin/serve runs them: embedded (the publisher another process
writing the same SQLite file) and with Redis (two servers: a reply posted to one reaches a stream on the
other). Resuming under rapid publishing loses and repeats nothing; nobody hears what they may not see."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
import redis

from tests.live.sse import Stream
from tests.processes import manage, python, real_env, server

REDIS_URL = "redis://127.0.0.1:6379/6"

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from agora.discuss.models import CategoryGrant
from tests import factories

def session(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

member = factories.UserFactory(username="Member", trust_level=2)
other = factories.UserFactory(username="Other", trust_level=2)
public = factories.make_category("Ask here")
staff_room = factories.make_category("Staff room", grants={"staff": CategoryGrant.Level.CREATE})
admin = factories.UserFactory(username="Admin", is_staff=True, trust_level=4)
topic = factories.make_topic(member, public, title="A live thread", raw="Watch this space.")
secret = factories.make_topic(admin, staff_room, title="Staff only", raw="Nobody else reads this.")
print(json.dumps({
    "member": member.pk, "other": other.pk, "topic": topic.pk, "slug": topic.slug, "secret": secret.pk,
    "member_session": session(member), "other_session": session(other),
}))
"""


def run(env, code: str) -> str:
    result = python(code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def make_site(var_dir, **overrides):
    env = real_env(var_dir, AGORA_DISABLE_RATE_LIMITS="1", **overrides)
    manage("migrate", "--noinput", env=env)
    return env, json.loads(run(env, SETUP))


def publish(env, topic_id: int, count: int) -> list[int]:
    """Publish `count` events on the topic's channel from a process of its own; their ids."""
    code = (
        "from agora.live.brokers import get_broker\n"
        "b = get_broker()\n"
        f"print([b.publish('topic:{topic_id}', 'post', {{'topic': {topic_id}, 'n': n}}) for n in range({count})])"
    )
    return json.loads(run(env, code))


def cookie(session_key: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session_key}"}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    env, ids = make_site(var_dir)
    with server(env, var_dir) as base:
        yield {"env": env, "base": base, **ids}


@pytest.fixture(scope="module")
def with_redis(tmp_path_factory):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    var_dir = tmp_path_factory.mktemp("var")
    env, ids = make_site(var_dir, REDIS_URL=REDIS_URL)
    with server(env, var_dir) as one, server(env, var_dir) as two:
        yield {"env": env, "one": one, "two": two, **ids}
    client.flushdb()


def test_the_stream_is_unbuffered_uncompressed_and_uncached(embedded):
    with Stream(embedded["base"] + f"/live?topics={embedded['topic']}", {"Accept-Encoding": "gzip"}) as stream:
        assert stream.status == 200
        headers = stream.response.headers
        assert headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in headers
        assert "no-cache" in headers["Cache-Control"]
        assert headers["X-Accel-Buffering"] == "no"
        ready = stream.next(timeout=5)
        assert ready.event == "ready"
        assert ready.json["topics"] == {str(embedded["topic"]): {"highest": 1, "replies": 0}}


def test_bad_input_is_refused_with_a_message(embedded):
    for query in ("topics=1,abc", "topics=" + ",".join(str(n) for n in range(1, 200)), "last_event_id=x"):
        with Stream(embedded["base"] + "/live?" + query) as stream:
            assert stream.status == 400, query
            assert stream.response.read().decode()


def test_an_event_published_by_another_process_arrives(embedded):
    with Stream(embedded["base"] + f"/live?topics={embedded['topic']}") as stream:
        start = stream.next(timeout=5).id
        [event_id] = publish(embedded["env"], embedded["topic"], 1)
        message = stream.next(timeout=5)
    assert (message.event, message.id) == ("post", event_id)
    assert event_id > start


def test_a_stream_for_a_topic_one_cannot_see_hears_nothing_of_it(embedded):
    url = embedded["base"] + f"/live?topics={embedded['secret']},{embedded['topic']}"
    with Stream(url, cookie(embedded["member_session"])) as stream:
        ready = stream.next(timeout=5)
        assert list(ready.json["topics"]) == [str(embedded["topic"])]  # the staff topic dropped silently
        publish(embedded["env"], embedded["secret"], 2)
        [visible] = publish(embedded["env"], embedded["topic"], 1)
        message = stream.next(timeout=5)
    assert message.id == visible  # the two before it were never sent


def test_the_bell_reaches_its_owner_only(embedded):
    other_url = embedded["base"] + "/live"
    member_url = embedded["base"] + "/live"
    with (
        Stream(member_url, cookie(embedded["member_session"])) as mine,
        Stream(other_url, cookie(embedded["other_session"])) as theirs,
    ):
        mine.next(timeout=5)
        theirs.next(timeout=5)
        # The other member replies @mentioning nobody; a notification for the member goes out in a task:
        # here notify() itself, as the worker would call it.
        run(
            embedded["env"],
            "from agora.accounts.models import User\n"
            "from agora.notifications.services import notify\n"
            f"notify(users=[User.objects.get(pk={embedded['member']})], kind='mentioned', "
            f"actor=User.objects.get(pk={embedded['other']}))\n",
        )
        bell = mine.next(timeout=5)
        assert bell.event == "bell"
        assert bell.json == {"unread": 1}  # a count and nothing else
        with pytest.raises(TimeoutError):
            theirs.next(timeout=1.2)


def test_a_reconnect_resumes_rapid_events_without_losing_or_repeating_any(embedded):
    url = embedded["base"] + f"/live?topics={embedded['topic']}"
    received: list[int] = []
    with Stream(url) as stream:
        stream.next(timeout=5)
        published = publish(embedded["env"], embedded["topic"], 500)
        while len(received) < 120:  # part of them, then the connection drops
            received.append(stream.next(timeout=10).id)
        last = stream.last_id
    with Stream(url, {"Last-Event-ID": str(last)}) as stream:
        assert stream.next(timeout=5).event == "ready"
        while len(received) < 500:
            received.append(stream.next(timeout=10).id)
        more = publish(embedded["env"], embedded["topic"], 1)
        received.append(stream.next(timeout=5).id)
    assert received == published + more


def test_a_resume_older_than_the_backlog_says_reload(embedded):
    code = "from agora.live.models import LiveEvent\nLiveEvent.objects.filter(pk__lte=3).delete()"
    run(embedded["env"], code)  # as pruning does
    with Stream(embedded["base"] + f"/live?topics={embedded['topic']}", {"Last-Event-ID": "1"}) as stream:
        assert stream.next(timeout=5).event == "reload"


def _reply_over_http(base: str, site: dict, raw: str) -> None:
    """Post a reply as the member through the real form (CSRF token and all) to the server at `base`."""
    cookies = f"sessionid={site['member_session']}"
    page = urllib.request.urlopen(
        urllib.request.Request(f"{base}/t/{site['slug']}/{site['topic']}", headers={"Cookie": cookies}), timeout=10
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    for header in page.headers.get_all("Set-Cookie") or []:
        if header.startswith("csrftoken="):
            cookies += "; " + header.split(";")[0]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "raw": raw}).encode()
    request = urllib.request.Request(
        f"{base}/t/{site['topic']}/reply", data=body, method="POST", headers={"Cookie": cookies, "Referer": base}
    )
    urllib.request.urlopen(request, timeout=10)


def test_with_redis_a_reply_posted_to_one_server_reaches_a_stream_on_the_other(with_redis):
    site = with_redis
    with Stream(site["two"] + f"/live?topics={site['topic']}") as stream:
        stream.next(timeout=5)
        _reply_over_http(site["one"], site, "Posted through the first server, heard on the second.")
        message = stream.next(timeout=5)
    assert message.event == "post"
    assert message.json["number"] == 2
    assert message.json["replies"] == 1
    assert set(message.json) == {"topic", "id", "number", "likes", "replies", "highest"}  # no content


def test_with_redis_a_reconnect_to_the_other_server_resumes_rapid_events(with_redis):
    site = with_redis
    received: list[int] = []
    with Stream(site["one"] + f"/live?topics={site['topic']}") as stream:
        stream.next(timeout=5)
        published = publish(site["env"], site["topic"], 500)
        while len(received) < 200:
            received.append(stream.next(timeout=10).id)
        last = stream.last_id
    with Stream(site["two"] + f"/live?topics={site['topic']}&last_event_id={last}") as stream:
        assert stream.next(timeout=5).event == "ready"
        while len(received) < 500:
            received.append(stream.next(timeout=10).id)
    assert received == published
