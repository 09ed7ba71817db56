"""Blog tasks: scheduled publishing."""

from django_tasks import task

from . import services


@task()
def publish_due_stories() -> list[int]:
    """Publish every scheduled story whose time has passed; returns their ids. Safe to run twice: a story
    is published only while it is still scheduled, checked under a row lock."""
    return services.stories_publish_due()
