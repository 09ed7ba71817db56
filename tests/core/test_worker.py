"""The task worker as `make run` starts it: a real `manage.py run_worker` beside a real server, on a file SQLite.

These run the real settings in subprocesses (the test settings run tasks immediately, in-process).
"""

import json
import signal
import sqlite3
import urllib.request
import uuid

import pytest

from tests.processes import get_json, manage, python, real_env, server, wait_for, worker


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated embedded site in a var/ of its own, and a server answering for it."""
    var_dir = tmp_path_factory.mktemp("var")
    env = real_env(var_dir)
    manage("migrate", "--noinput", env=env)
    with server(env, var_dir) as base:
        yield {"env": env, "var": var_dir, "base": base}


def healthz(site) -> dict:
    status, body = get_json(site["base"] + "/healthz")
    assert status == 200, body
    return body


def task_row(site, result_id: str):
    """The task's row, read straight from the database file, as the worker left it."""
    with sqlite3.connect(site["var"] / "agora.sqlite3", timeout=20) as db:
        return db.execute(
            "SELECT status, return_value, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
            [uuid.UUID(result_id).hex],
        ).fetchone()


def test_healthz_names_the_embedded_backends(site):
    body = healthz(site)
    assert body["status"] == "ok"
    assert body["database"] == {"engine": "sqlite", "ok": True}
    assert body["cache"] == {"backend": "LocMemCache", "ok": True}
    assert body["tasks"]["backend"] == "DatabaseBackend"


def test_the_database_is_a_wal_sqlite_file_in_var(site):
    with sqlite3.connect(site["var"] / "agora.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_it_says_the_worker_is_alive_only_while_one_runs(site):
    assert healthz(site)["tasks"]["worker_alive"] is False

    with worker(site["env"], site["var"]) as proc:
        wait_for(lambda: healthz(site)["tasks"]["worker_alive"], timeout=30, what="worker_alive to turn true")
        assert proc.alive()
        assert healthz(site)["tasks"]["worker_last_seen"]
        # SIGTERM, as bin/serve sends when the server stops: the worker leaves cleanly, heartbeat and all.
        assert proc.stop(signal.SIGTERM) == 0, proc.output()

    assert healthz(site)["tasks"]["worker_alive"] is False


def test_the_worker_runs_an_enqueued_task(site):
    token = uuid.uuid4().hex
    enqueued = python(f"from agora.core.tasks import ping; print(ping.enqueue({token!r}).id)", env=site["env"])
    assert enqueued.returncode == 0, enqueued.stderr
    result_id = enqueued.stdout.strip().splitlines()[-1]
    assert task_row(site, result_id)[0] == "READY"  # nothing runs it until a worker does

    with worker(site["env"], site["var"]) as proc:
        wait_for(
            lambda: task_row(site, result_id)[0] == "SUCCESSFUL",
            timeout=30,
            what=f"the worker to run the task; worker output:\n{proc.output()}",
        )

    _, return_value, worker_ids = task_row(site, result_id)
    assert json.loads(return_value) == f"pong {token}"
    assert len(json.loads(worker_ids)) == 1
    # And the django-tasks API, from another process, reads the same result.
    read_back = f"r = ping.get_result({result_id!r}); print(r.status, r.return_value, sep='|')"
    fetched = python(f"from agora.core.tasks import ping; {read_back}", env=site["env"])
    assert fetched.stdout.strip() == f"SUCCESSFUL|pong {token}", fetched.stderr


def test_the_worker_publishes_a_scheduled_story_when_its_time_comes(site):
    """Scheduled stories are published by the worker's timer, not by a request or a cron line."""
    script = (
        "from datetime import timedelta; from django.utils import timezone;"
        "from agora.accounts.models import User; from agora.blog.models import Story;"
        "u = User.objects.create_user(username='Scheduler', email='s@example.org');"
        "s = Story.objects.create(title='On time', slug='on-time', lead='L', body='B', created_by=u,"
        " state='scheduled', scheduled_at=timezone.now() - timedelta(seconds=1)); print(s.pk)"
    )
    made = python(script, env=site["env"])
    assert made.returncode == 0, made.stderr

    def state() -> str:
        with sqlite3.connect(site["var"] / "agora.sqlite3", timeout=20) as db:
            return db.execute("SELECT state FROM blog_story WHERE slug = 'on-time'").fetchone()[0]

    def visit(path: str) -> tuple[str, str]:
        """A visitor's page (no cookie): its HTML, and whether the server's page cache answered it."""
        with urllib.request.urlopen(site["base"] + path, timeout=10) as response:
            return response.read().decode(), response.headers.get("X-Agora-Cache", "")

    assert state() == "scheduled"
    visit("/latest")
    html, cached = visit("/latest")
    assert cached == "hit" and "On time" not in html  # the server keeps visitors' /latest in its memory
    with worker(site["env"], site["var"]) as proc:
        wait_for(lambda: state() == "published", timeout=30, what=f"the story to be published:\n{proc.output()}")
    # The worker is another process, with a cache of its own: the server still learns of the write.
    html, cached = visit("/latest")
    assert cached == "miss" and "On time" in html
