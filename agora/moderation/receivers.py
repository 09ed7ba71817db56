"""What moderation does when Discuss calls up through its hooks (connected in apps.ModerationConfig)."""

from __future__ import annotations

from typing import Any

from agora.discuss.models import Post

from . import review


def post_edited(*, post: Post, editor: Any) -> None:
    """An author's edit of a post hidden by flags leaves it hidden and puts it back in the queue."""
    if editor is not None and editor.pk == post.user_id:
        review.flagged_post_requeue(post=post)


def post_created(*, post: Post, is_topic: bool) -> None:
    """A post held for approval joins the queue. The hold is set by new members' limits, whose receiver of
    this hook is connected first (apps.ModerationConfig.ready)."""
    if post.pending_approval:
        review.held_post_queue(post=post)
