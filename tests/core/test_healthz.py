"""GET /healthz: the contract other tools rely on (tests/core/test_worker.py checks it against a real worker)."""

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from agora.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_it_names_the_database_cache_and_task_backend(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"engine": connection.vendor, "ok": True}
    assert body["cache"] == {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1], "ok": True}
    assert body["tasks"]["backend"] == "ImmediateBackend"  # tests.settings; the real default is in test_worker


def test_it_follows_the_environment():
    """`make test` runs embedded; `make test-services` sets DATABASE_URL and REDIS_URL."""
    expected_vendor = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    expected_cache = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert connection.vendor == expected_vendor
    assert settings.CACHES["default"]["BACKEND"].endswith(expected_cache)


def test_it_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def test_it_needs_no_login_and_says_no_worker_when_none_beats(client):
    body = client.get("/healthz").json()
    assert body["tasks"]["worker_alive"] is False
    assert body["tasks"]["worker_last_seen"] is None


def test_a_fresh_heartbeat_means_a_live_worker(client):
    WorkerHeartbeat.objects.create(worker_id="host-1", seen_at=timezone.now())
    assert client.get("/healthz").json()["tasks"]["worker_alive"] is True


def test_a_stale_heartbeat_means_a_dead_worker(client):
    stale = timezone.now() - timedelta(seconds=settings.AGORA_WORKER_HEARTBEAT_SECONDS * 3 + 1)
    WorkerHeartbeat.objects.create(worker_id="host-1", seen_at=stale)

    body = client.get("/healthz").json()

    assert body["tasks"]["worker_alive"] is False
    assert body["tasks"]["worker_last_seen"] == stale.isoformat()


def test_it_answers_503_when_the_cache_fails(client):
    with mock.patch("agora.core.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["cache"]["ok"] is False
    assert body["cache"]["error"] == "ConnectionError"
