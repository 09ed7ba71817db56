"""Mail tasks: take ids, call a service; safe to run twice (the outbox's dedupe_key and leases see to it)."""

from django_tasks import task

from . import services


@task()
def send_outbox_task() -> int:
    """Send what is due now (queued after a commit; the timed job catches anything this misses)."""
    return services.outbox_send_due()


@task()
def post_mail_task(post_id: int, is_topic: bool) -> int:
    """A new post: mailing-list mode's one email per reader, and a new topic's cross-posting."""
    return services.post_mail(post_id=post_id, is_topic=is_topic)


@task()
def crosspost_story_task(story_id: int) -> int:
    return services.crosspost_story(story_id=story_id)
