"""/live through real uvicorn processes, as bin/serve runs them: embedded (the publisher another process
writing the same SQLite file) and with Redis (two servers: a reply posted to one reaches a stream on the
other). Resuming under rapid publishing loses and repeats nothing; nobody hears what they may not see."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request

import pytest
import redis

from tests.live.sites import migrate_site, publish, server, site
from tests.live.sse import Stream

REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    return migrate_site(tmp_path_factory)


def cookie(session_key: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session_key}"}


@pytest.fixture(scope="module")
def embedded(migrated, tmp_path_factory):
    with site(migrated, tmp_path_factory) as (env, var_dir, console, ids), server(env, var_dir) as base:
        yield {"console": console, "base": base, **ids}


@pytest.fixture(scope="module")
def with_redis(migrated, tmp_path_factory):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    with (
        site(migrated, tmp_path_factory, REDIS_URL=REDIS_URL) as (env, var_dir, console, ids),
        server(env, var_dir) as one,
        server(env, var_dir) as two,
    ):
        yield {"console": console, "one": one, "two": two, **ids}
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
        [event_id] = publish(embedded["console"], embedded["topic"], 1)
        message = stream.next(timeout=5)
    assert (message.event, message.id) == ("post", event_id)
    assert event_id > start


def test_a_stream_for_a_topic_one_cannot_see_hears_nothing_of_it(embedded):
    url = embedded["base"] + f"/live?topics={embedded['secret']},{embedded['topic']}"
    with Stream(url, cookie(embedded["member_session"])) as stream:
        ready = stream.next(timeout=5)
        assert list(ready.json["topics"]) == [str(embedded["topic"])]  # the staff topic dropped silently
        publish(embedded["console"], embedded["secret"], 2)
        [visible] = publish(embedded["console"], embedded["topic"], 1)
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
        embedded["console"](
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
        published = publish(embedded["console"], embedded["topic"], 500)
        while len(received) < 120:  # part of them, then the connection drops
            received.append(stream.next(timeout=10).id)
        last = stream.last_id
    with Stream(url, {"Last-Event-ID": str(last)}) as stream:
        assert stream.next(timeout=5).event == "ready"
        while len(received) < 500:
            received.append(stream.next(timeout=10).id)
        more = publish(embedded["console"], embedded["topic"], 1)
        received.append(stream.next(timeout=5).id)
    assert received == published + more


def test_a_resume_older_than_the_backlog_says_reload(embedded):
    embedded["console"]("from agora.live.brokers import get_broker\nget_broker()._prune(3)")
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
        published = publish(site["console"], site["topic"], 500)
        while len(received) < 200:
            received.append(stream.next(timeout=10).id)
        last = stream.last_id
    with Stream(site["two"] + f"/live?topics={site['topic']}&last_event_id={last}") as stream:
        assert stream.next(timeout=5).event == "ready"
        while len(received) < 500:
            received.append(stream.next(timeout=10).id)
    assert received == published
