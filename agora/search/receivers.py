"""What the search index does when Discuss, the blog, events and accounts call their hooks: enqueue the
task that reindexes the thing by id, once the write commits (never for a rolled-back write)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from agora.discuss.models import Post, Topic

from . import tasks


def _on_commit(task: Any, pk: int) -> None:
    transaction.on_commit(lambda: task.enqueue(pk))


def _post_or_topic(post: Post) -> None:
    # The opening post stands for its topic: its title and language are its replies' too.
    if post.number == 1:
        _on_commit(tasks.index_topic, post.topic_id)
    else:
        _on_commit(tasks.index_post, post.pk)


def post_created(*, post: Post, is_topic: bool, **_: Any) -> None:
    _on_commit(tasks.index_post, post.pk)


def post_changed(*, post: Post, **_: Any) -> None:
    _post_or_topic(post)


def moderator_acted(*, action: str, target: Any, details: dict[str, Any] | None = None, **_: Any) -> None:
    """Moves, merges, splits, retitles, recategorisations, hiding: reindex what changed."""
    if isinstance(target, Topic):
        _on_commit(tasks.index_topic, target.pk)
    elif isinstance(target, Post):
        _post_or_topic(target)
    other = (details or {}).get("to_topic")
    if isinstance(other, int):
        _on_commit(tasks.index_topic, other)


def story_changed(*, story: Any, **_: Any) -> None:
    _on_commit(tasks.index_story, story.pk)


def event_saved(*, event: Any, **_: Any) -> None:
    _on_commit(tasks.index_event, event.pk)


def profile_updated(*, user: Any, **_: Any) -> None:
    _on_commit(tasks.index_user, user.pk)


def user_signed_up(*, user: Any, **_: Any) -> None:
    _on_commit(tasks.index_user, user.pk)
