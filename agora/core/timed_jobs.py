"""What the task worker runs by the clock on every beat rather than after a write (scheduled stories,
the dates of recurring events up to their horizon, event reminders). Core names none of them: each app
adds its own in its AppConfig.ready(), so the ground floor never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable

_JOBS: list[Callable[[], object]] = []


def add_timed_job(job: Callable[[], object]) -> None:
    """Run `job()` on every beat of every worker. It must be safe to run twice and from several workers
    at once (re-check under a row lock), so no leader is needed. Adding it again changes nothing."""
    if job not in _JOBS:
        _JOBS.append(job)


def timed_jobs() -> tuple[Callable[[], object], ...]:
    """The jobs in the order they were added (the order of INSTALLED_APPS)."""
    return tuple(_JOBS)
