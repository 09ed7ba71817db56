"""Syndication tasks: one poll of one feed (the timed job and the staff's "poll now" enqueue it)."""

from django_tasks import task

from . import services


@task()
def poll_feed(feed_id: int, force: bool = False) -> dict:
    """Poll the feed and publish its new items; safe to run twice (items are unique per feed)."""
    result = services.feed_poll(feed_id=feed_id, force=force)
    return {"created": result.created, "seen": result.seen, "not_modified": result.not_modified, "error": result.error}
