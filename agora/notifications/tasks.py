"""Notification tasks: take ids, fetch, call a service; safe to run twice."""

from django_tasks import task

from . import services


@task()
def notify_mentions_task(post_id: int, previous_names: list[str]) -> int:
    """Tell the people and groups a post @mentions (previous_names: those an edit's earlier text had)."""
    return len(services.notify_mentions(post_id=post_id, previous_names=previous_names))


@task()
def notify_post_task(post_id: int) -> int:
    """Tell everyone a new post concerns: mentions, replies, quotes, then its watchers in bulk."""
    return len(services.post_notify(post_id=post_id))
