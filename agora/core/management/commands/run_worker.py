"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads and, on the same
timer, the jobs that must happen at a time rather than after a write (agora.core.timed_jobs: the apps
add theirs, such as scheduled stories and event reminders a day and an hour before)."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from agora.core.models import WorkerHeartbeat
from agora.core.timed_jobs import timed_jobs

logger = logging.getLogger(__name__)


def run_timed_jobs() -> None:
    """What is due by the clock, every beat: the jobs the apps added (agora.core.timed_jobs). Each is
    safe to run twice and from several workers at once, so no leader is needed."""
    for job in timed_jobs():
        try:
            job()
        except Exception:  # one failing job must not hold up the others; the next beat tries again
            logger.exception("The timed job %s failed", job.__name__)


class Command(DBWorkerCommand):
    help = "Run the task worker (django-tasks database backend) and keep its heartbeat fresh."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker reloads on code changes when DEBUG is on, in a child process that outlives a
        # SIGTERM to its parent; `make run` must be able to stop its worker, so reload is opt-in.
        parser.set_defaults(reload=False)

    def handle(self, *args, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        stop = threading.Event()

        def beat() -> None:
            while not stop.is_set():
                try:
                    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})
                except Exception:  # a missed beat must not kill the worker
                    logger.exception("Worker heartbeat failed")
                try:
                    run_timed_jobs()
                except Exception:  # nor a failed job; the next beat tries again
                    logger.exception("A timed job failed")
                finally:
                    close_old_connections()
                stop.wait(settings.AGORA_WORKER_HEARTBEAT_SECONDS)

        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
