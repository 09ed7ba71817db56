"""Small operational rows: the task worker's heartbeat."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched every few seconds so /healthz can tell it is alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
