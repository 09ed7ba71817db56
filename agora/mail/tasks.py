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
    queued = services.mailing_list_fanout(post_id=post_id)
    if is_topic:
        from agora.discuss.models import Post

        topic_id = Post.objects.filter(pk=post_id).values_list("topic_id", flat=True).first()
        if topic_id is not None:
            queued += services.crosspost_topic(topic_id=topic_id)
    return queued


@task()
def crosspost_story_task(story_id: int) -> int:
    return services.crosspost_story(story_id=story_id)
