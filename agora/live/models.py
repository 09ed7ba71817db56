"""Live updates' rows: the embedded broker's backlog, which the web and worker processes both write."""

from django.db import models


class LiveEvent(models.Model):
    """One published event. The embedded broker (no Redis) stores every event here, so a task worker
    publishes as well as the web process; each web process polls `id > last` and fans out in memory.
    The id is the event's id on the stream (monotonic: SQLite never reuses one, PostgreSQL inserts
    one at a time under an advisory lock). The newest AGORA_LIVE_BACKLOG_TOTAL rows are kept, and one
    row on the empty channel notes where pruning stopped."""

    channel = models.CharField(max_length=100, db_index=True)
    event = models.CharField(max_length=40)
    data = models.TextField()  # JSON, as sent: never private content, only ids and counts
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.pk} {self.channel} {self.event}"
