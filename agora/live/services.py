"""Live updates' writes: publishing an event when the caller's transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .brokers import get_broker

log = logging.getLogger(__name__)


def topic_channel(topic_id: int) -> str:
    return f"topic:{topic_id}"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


def live_publish(*, channel: str, event: str, data: dict[str, Any]) -> None:
    """Publish once the caller's transaction commits (at once outside one), so a rolled-back write is
    never announced and a page fetching the change finds it. `data` holds ids and counts only: pages
    fetch the content through views that check permissions. A broker failure is logged, never raised:
    the write stands, and pages show it on their next load."""

    def send() -> None:
        try:
            get_broker().publish(channel, event, data)
        except Exception:
            log.exception("live updates: could not publish %s on %s", event, channel)

    transaction.on_commit(send)


def live_publish_post(*, post: Any, event: str) -> None:
    """A post was created, edited, deleted, restored or liked: its topic's channel hears the post's number
    and id, its like count and the topic's counts (read after commit, so concurrent replies announce the
    counts they left). A post held for approval is announced when released, not before."""
    topic_id, post_id, number = post.topic_id, post.pk, post.number

    def send() -> None:
        from agora.discuss.models import Post  # any app may read any app's models

        row = (
            Post.objects.filter(pk=post_id)
            .values("pending_approval", "like_count", "topic__reply_count", "topic__highest_post_number")
            .first()
        )
        if row is None or row["pending_approval"]:
            return
        data = {
            "topic": topic_id,
            "id": post_id,
            "number": number,
            "likes": row["like_count"],
            "replies": row["topic__reply_count"],
            "highest": row["topic__highest_post_number"],
        }
        try:
            get_broker().publish(topic_channel(topic_id), event, data)
        except Exception:
            log.exception("live updates: could not publish %s on topic %s", event, topic_id)

    transaction.on_commit(send)
