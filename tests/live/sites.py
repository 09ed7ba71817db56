"""A live site for tests: a var/ directory migrated and set up once (people, categories, topics, sessions),
copied for each server; uvicorn as bin/serve starts it; a console process to publish from."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.processes import ROOT, Process, free_port, get_json, manage, real_env, wait_for

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


def migrate_site(tmp_path_factory):
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
