"""Small operational rows: the task worker's heartbeat."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched every few seconds so /healthz can tell it is alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class RemoteImage(models.Model):
    """An image by address from user content, fetched once by the server and kept in our storage, so
    readers load it from us and their addresses never reach its host. A failed fetch is remembered too,
    and tried again only after AGORA_REMOTE_IMAGE_RETRY_SECONDS."""

    url_hash = models.CharField(max_length=64, unique=True)  # sha256 of the address
    url = models.TextField()
    file = models.FileField(upload_to="remote/", blank=True)
    ok = models.BooleanField(default=False)
    error = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField()
    retry_after = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.url[:100]
