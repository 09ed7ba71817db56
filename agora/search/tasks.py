"""Search tasks: (re)index one thing by id. Enqueued on commit by search.receivers; safe to run twice
(each rewrites the thing's documents from its live row)."""

from django_tasks import task

from . import services


@task()
def index_post(post_id: int) -> None:
    services.post_index(post_id=post_id)


@task()
def index_topic(topic_id: int) -> None:
    services.topic_index(topic_id=topic_id)


@task()
def index_story(story_id: int) -> None:
    services.story_index(story_id=story_id)


@task()
def index_event(event_id: int) -> None:
    services.event_index(event_id=event_id)


@task()
def index_user(user_id: int) -> None:
    services.user_index(user_id=user_id)
