"""Editorial comments: notes between a story's authors and the editors, never shown to readers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.discuss.rendering import render_post_html
from agora.notifications.models import Notification
from agora.notifications.services import notify

from ..models import EditorialComment, Story
from ._common import _locked


@transaction.atomic
def editorial_comment_add(*, user: User, story: Story, raw: str) -> EditorialComment:
    """A note between the authors and the editors, never shown to readers."""
    story = _locked(story)
    if not permissions.can_story(user, "comment", story):
        raise PermissionDenied
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Write something first."), code="empty")
    if len(raw) > settings.AGORA_POST_MAX_LENGTH:
        raise ValidationError(
            _("A comment has %(n)d characters at most.") % {"n": settings.AGORA_POST_MAX_LENGTH}, code="too_long"
        )
    comment = EditorialComment.objects.create(story=story, user=user, raw=raw, html=render_post_html(raw))
    # The conversation: the authors, the editor who claimed the story, and the editors who wrote here before,
    # as long as they are still editors (one query).
    authors = Story.authors.through.objects.filter(story_id=story.pk).values("user_id")
    commenters = story.editorial_comments.values("user_id")
    editors = permissions.editors_q()
    told = User.objects.filter(
        Q(pk__in=authors) | (Q(pk=story.claimed_by_id) & editors) | (Q(pk__in=commenters) & editors)
    )
    notify(users=told, kind=Notification.Kind.STORY_COMMENT, actor=user, story=story)
    return comment
