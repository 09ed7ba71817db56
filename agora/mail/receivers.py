"""What the mail app does when Discuss and the blog call their hooks: queue the work for after the commit."""

from typing import Any

from . import services


def post_created(*, post: Any, is_topic: bool, **_: Any) -> None:
    services.post_mail_on_commit(post, is_topic=is_topic)


def story_changed(*, story: Any, **_: Any) -> None:
    services.story_mail_on_commit(story)
