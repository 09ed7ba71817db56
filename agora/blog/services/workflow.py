"""A story's editorial moves: submit and withdraw (authors); claim, request changes, schedule,
publish, decline, unpublish and feature (editors); scheduled stories published when due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.notifications.models import Notification
from agora.notifications.services import notify, post_notify_on_commit

from .. import hooks
from ..models import Story
from ._common import (
    State,
    _editors,
    _locked,
    _move,
    _require_move,
    _require_reason,
    _tell_authors,
    _tell_coauthors,
    _unique_slug,
)
from .topic import _set_topic_hidden, story_topic_open


def _publish(story: Story, *, user: Any, reason: str = "") -> Story:
    """Publish a locked story: open its topic (or bring it back), stamp the date, record the event."""
    fields = ["topic", "published_at", "decline_reason"]
    if story.published_at is None:
        # First publication: the story takes its address from its title (a draft's was a token).
        story.slug = _unique_slug(story.title, exclude_pk=story.pk)
        fields.append("slug")
    if story.topic_id is None:
        story.topic = story_topic_open(story=story)
        # The watchers of the blog category (and of its tags) hear of the new story's discussion.
        post_notify_on_commit(story.topic.posts.get(number=1))
    else:
        _set_topic_hidden(story.topic_id, hidden=False)
    # Re-publishing keeps the first publication date, so lists and feeds do not reorder.
    story.published_at = story.published_at or timezone.now()
    story.decline_reason = ""
    _move(story, to=State.PUBLISHED, user=user, reason=reason, fields=fields)
    content_changed()
    hooks.story_changed.send(story=story)
    return story


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def story_submit(*, user: User, story: Story, note_to_editors: str | None = None) -> Story:
    """An author hands the draft (or the revised story) to the editors: the editor who claimed it is told,
    or the whole board when nobody has yet; and the other authors."""
    story = _locked(story)
    _require_move(user, story, "submit")
    if story.missing_for_submission:
        raise ValidationError(
            _("Before the editors can read it, the story needs a title, a lead and a body."), code="incomplete"
        )
    fields = []
    if note_to_editors is not None:
        story.note_to_editors = note_to_editors.strip()
        fields.append("note_to_editors")
    _move(story, to=State.SUBMITTED, user=user, fields=fields)
    told = [story.claimed_by] if story.claimed_by is not None else _editors()
    notify(users=[*told, *story.authors.all()], kind=Notification.Kind.STORY_SUBMITTED, actor=user, story=story)
    return story


@transaction.atomic
def story_withdraw(*, user: User, story: Story) -> Story:
    """An author takes a submitted story back to work on it, before an editor has claimed it."""
    story = _locked(story)
    _require_move(user, story, "withdraw")
    _move(story, to=State.DRAFT, user=user)
    _tell_coauthors(story, Notification.Kind.STORY_WITHDRAWN, user)
    return story


@transaction.atomic
def story_claim(*, user: User, story: Story) -> Story:
    """An editor takes a submitted story into review (or takes it over from another editor)."""
    story = _locked(story)
    if story.state == State.IN_REVIEW and story.claimed_by_id == user.pk and permissions.is_editor(user):
        return story
    _require_move(user, story, "claim")
    story.claimed_by = user
    _move(story, to=State.IN_REVIEW, user=user, fields=["claimed_by"])
    _tell_authors(story, Notification.Kind.STORY_CLAIMED, user)
    return story


@transaction.atomic
def story_request_changes(*, user: User, story: Story, reason: str) -> Story:
    """An editor sends the story back to its authors, saying what to change."""
    story = _locked(story)
    _require_move(user, story, "request_changes")
    reason = _require_reason(reason, _("sent back"))
    story.scheduled_at = None
    if story.claimed_by_id is None:
        story.claimed_by = user
    _move(story, to=State.CHANGES_REQUESTED, user=user, reason=reason, fields=["scheduled_at", "claimed_by"])
    _tell_authors(story, Notification.Kind.STORY_CHANGES, user)
    return story


# How far ahead a story may be scheduled.
SCHEDULE_HORIZON = timedelta(days=3 * 366)


@transaction.atomic
def story_schedule(*, user: User, story: Story, at: datetime) -> Story:
    """An editor approves the story to appear at `at` (publish_due_stories publishes it then)."""
    story = _locked(story)
    _require_move(user, story, "schedule")
    if at is None or timezone.is_naive(at):
        raise ValidationError(_("Give the time to publish, with its time zone."), code="bad_time")
    now = timezone.now()
    if at <= now:
        raise ValidationError(
            _("That time has passed: choose a time in the future, or publish the story now."), code="past"
        )
    if at > now + SCHEDULE_HORIZON:
        raise ValidationError(_("Choose a time within the next three years."), code="too_far")
    if story.missing_for_submission:
        raise ValidationError(_("A story needs a title, a lead and a body."), code="incomplete")
    story.scheduled_at = at
    _move(story, to=State.SCHEDULED, user=user, reason=at.isoformat(), fields=["scheduled_at"])
    _tell_authors(story, Notification.Kind.STORY_SCHEDULED, user)
    return story


@transaction.atomic
def story_publish(*, user: User, story: Story) -> Story:
    """An editor publishes the story now (or again, after unpublishing): it opens its discussion topic."""
    story = _locked(story)
    _require_move(user, story, "publish")
    if story.missing_for_submission:
        raise ValidationError(_("A story needs a title, a lead and a body."), code="incomplete")
    story = _publish(story, user=user)
    _tell_authors(story, Notification.Kind.STORY_PUBLISHED, user)
    return story


@transaction.atomic
def story_publish_if_due(*, story_id: int, now: datetime | None = None) -> bool:
    """Publish a scheduled story whose time has come; False (and nothing done) otherwise. Safe to repeat."""
    story = Story.objects.select_for_update().filter(pk=story_id).first()
    now = now or timezone.now()
    if story is None or story.state != State.SCHEDULED or story.scheduled_at is None or story.scheduled_at > now:
        return False
    _publish(story, user=None, reason=_("Scheduled for %(at)s") % {"at": story.scheduled_at.isoformat()})
    _tell_authors(story, Notification.Kind.STORY_PUBLISHED, None)
    return True


def stories_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled story whose time has passed, each in its own transaction; returns their ids."""
    now = now or timezone.now()
    due = Story.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at", "pk")
    return [pk for pk in due.values_list("pk", flat=True) if story_publish_if_due(story_id=pk, now=now)]


@transaction.atomic
def story_decline(*, user: User, story: Story, reason: str) -> Story:
    """An editor declines the story; the reason is required and shown to its authors."""
    story = _locked(story)
    _require_move(user, story, "decline")
    reason = _require_reason(reason, _("declined"))
    story.decline_reason = reason
    story.scheduled_at = None
    _move(story, to=State.DECLINED, user=user, reason=reason, fields=["decline_reason", "scheduled_at"])
    _tell_authors(story, Notification.Kind.STORY_DECLINED, user)
    return story


@transaction.atomic
def story_unpublish(*, user: User, story: Story, reason: str) -> Story:
    """An editor takes a published story down; its topic is hidden with it (publishing again restores both)."""
    story = _locked(story)
    _require_move(user, story, "unpublish")
    reason = _require_reason(reason, _("unpublished"))
    if story.topic_id is not None:
        _set_topic_hidden(story.topic_id, hidden=True)
    story.featured = False
    _move(story, to=State.UNPUBLISHED, user=user, reason=reason, fields=["featured"])
    content_changed()
    _tell_authors(story, Notification.Kind.STORY_UNPUBLISHED, user)
    return story


@transaction.atomic
def story_feature(*, user: User, story: Story, featured: bool) -> Story:
    """An editor puts a published story at the top of the blog's front page (one at a time), or takes it off."""
    story = _locked(story)
    if featured:
        _require_move(user, story, "feature")
        Story.objects.filter(featured=True).exclude(pk=story.pk).update(featured=False)
    elif not permissions.is_editor(user):
        raise PermissionDenied(_("Only the editorial board can do this."))
    if story.featured != featured:
        story.featured = featured
        story.save(update_fields=["featured"])
        content_changed()
    return story
