"""/live through real uvicorn processes, as bin/serve runs them: embedded (the publisher another process
writing the same SQLite file) and with Redis (two servers: a reply posted to one reaches a stream on the
other). Resuming under rapid publishing loses and repeats nothing; nobody hears what they may not see."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.live.sse import Stream
from tests.processes import ROOT, Process, free_port, get_json, manage, real_env, wait_for

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


CONSOLE = """
import contextlib, io, json, sys, traceback
import django
django.setup()
for line in sys.stdin:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(json.loads(line), {})
        answer = {"out": out.getvalue()}
    except Exception:
        answer = {"error": traceback.format_exc()}
    sys.__stdout__.write(json.dumps(answer) + "\\n")
    sys.__stdout__.flush()
"""


class Console:
    """A Django process of the site's own, kept running, that runs the code it is given: another process
    than the servers, without Django's start-up for each call."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CONSOLE],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def __call__(self, code: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(code) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline() or '{"error": "the console exited"}')
        assert "error" not in answer, answer["error"]
        return answer["out"].strip()

    def close(self) -> None:
        self.proc.communicate(timeout=10)
        self._log.close()


def publish(console: Console, topic_id: int, count: int) -> list[int]:
    """Publish `count` events on the topic's channel from the console's process; their ids."""
    code = (
        "from agora.live.brokers import get_broker\n"
        "b = get_broker()\n"
        f"print([b.publish('topic:{topic_id}', 'post', {{'topic': {topic_id}, 'n': n}}) for n in range({count})])"
    )
    return json.loads(console(code))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A var/ directory migrated and set up once (people, categories, topics, sessions): each site copies it."""
    var_dir = tmp_path_factory.mktemp("var")
    env = real_env(var_dir)
    manage("migrate", "--noinput", env=env)
    console = Console(env, var_dir / "console.log")
    ids = json.loads(console(SETUP))
    console.close()
    return var_dir, ids


@contextmanager
def site(migrated, tmp_path_factory, **overrides):
    source, ids = migrated
    var_dir = tmp_path_factory.mktemp("var")
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith("agora.sqlite3"):
            shutil.copy(path, var_dir / path.name)
    with sqlite3.connect(source / "agora.sqlite3") as src, sqlite3.connect(var_dir / "agora.sqlite3") as dst:
        src.backup(dst)  # WAL and all
    env = real_env(var_dir, AGORA_DISABLE_RATE_LIMITS="1", **overrides)
    console = Console(env, var_dir / "console.log")
    try:
        yield env, var_dir, console, ids
    finally:
        console.close()


@contextmanager
def server(env: dict[str, str], log_dir: Path):
    """uvicorn as bin/serve starts it, with its graceful shutdown's time limit: open streams never end by
    themselves, so a stop waits that long and then closes them."""
    port = free_port()
    args = [sys.executable, "-m", "uvicorn", "agora.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    proc = Process(
        [*args, "--lifespan", "off", "--timeout-graceful-shutdown", "1"], env=env, log=log_dir / f"{port}.log"
    )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert proc.alive(), proc.output()
        try:
            return get_json(base + "/healthz", timeout=2)[0] == 200
        except OSError:
            return False

    try:
        wait_for(answers, timeout=30, what="the server to answer")
        yield base
    finally:
        proc.stop()


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
    code = "from agora.live.models import LiveEvent\nLiveEvent.objects.filter(pk__lte=3).delete()"
    embedded["console"](code)  # as pruning does
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
