"""Live updates: events published after a write commits, streamed to open pages (server-sent events)."""

from typing import Any


def publish(channel: str, event: str, data: dict[str, Any]) -> None:
    """Publish `event` on `channel` once the caller's transaction commits (see services.live_publish)."""
    from .services import live_publish

    live_publish(channel=channel, event=event, data=data)
