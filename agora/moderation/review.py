"""The review queue's writes: what a moderator does to a flagged post, a held post or a queued person.

Every action claims its item with one conditional UPDATE on (id, version, pending): of two moderators
acting at once, the second changes nothing and is told who was first (Discourse's reviewables carry the
same version). Everything is logged in the staff action log, and the flaggers are told their flag was
handled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.discuss import services as discuss_services
from agora.discuss.models import HiddenReason, Post, Topic
from agora.notifications.models import Notification
from agora.notifications.services import notify

from . import queries
from .models import Flag, ReviewItem
from .services import action_log, user_silence, user_suspend, user_unsilence

POST_ACTIONS = ("keep", "hide", "delete")
PENALTIES = ("", "silence", "suspend")
MAX_PENALTY_DAYS = 3650


def _check_reviewer(actor: User, item: ReviewItem) -> None:
    """The item must be in the actor's queue (a group moderator's reaches only their categories)."""
    if not queries.review_items_for(actor).filter(pk=item.pk).exists():
        raise PermissionDenied


def _claim(*, actor: User, item: ReviewItem, version: int, status: str, action: str) -> ReviewItem:
    """Take the item from pending to `status`, if nobody else did first (optimistic locking)."""
    _check_reviewer(actor, item)
    claimed = ReviewItem.objects.filter(pk=item.pk, version=version, status=ReviewItem.Status.PENDING).update(
        status=status,
        version=F("version") + 1,
        handled_by=actor,
        handled_at=timezone.now(),
        action=action,
    )
    current = ReviewItem.objects.select_related("handled_by", "post", "post__topic", "user").get(pk=item.pk)
    if not claimed:
        if current.status != ReviewItem.Status.PENDING:
            who = current.handled_by.name if current.handled_by else _("the system")
            raise ValidationError(
                _("Already handled by %(name)s (%(what)s): nothing was changed.")
                % {"name": who, "what": current.get_status_display()},
                code="handled",
            )
        raise ValidationError(_("This item changed since you opened the page: look at it again."), code="stale")
    return current


def _resolve_flags(*, actor: User, item: ReviewItem, status: str) -> None:
    """Resolve the item's pending flags (which feeds the flaggers' accuracy) and tell the flaggers."""
    pending = Flag.objects.filter(review_item=item, status=Flag.Status.PENDING)
    flagger_ids = list(pending.values_list("flagger_id", flat=True))
    if not flagger_ids:
        return
    pending.update(status=status, handled_by=actor, handled_at=timezone.now())
    post = item.post
    shown = (
        post is not None
        and post.deleted_at is None
        and not Topic.objects.filter(pk=post.topic_id, deleted_at__isnull=False).exists()
    )
    notify(
        users=User.objects.filter(pk__in=flagger_ids),
        kind=Notification.Kind.FLAG_RESOLVED,
        actor=actor,
        post=post if shown else None,
    )


def _log(actor: User, item: ReviewItem, action: str, reason: str = "", **details: Any) -> None:
    target = item.post if item.post is not None else item.user
    action_log(
        actor=actor,
        action=action,
        target=target,
        subject_user=item.user,
        reason=reason,
        details={"review_item": item.pk, **details},
    )


def _penalty_until(days: int) -> Any:
    if not 1 <= days <= MAX_PENALTY_DAYS:
        raise ValidationError(_("Choose a period from 1 to %(n)d days.") % {"n": MAX_PENALTY_DAYS}, code="period")
    return timezone.now() + timedelta(days=days)


def _apply_penalty(*, actor: User, person: User, penalty: str, days: int, reason: str, item: ReviewItem) -> None:
    until = _penalty_until(days)
    details = {"review_item": item.pk}
    if penalty == "silence":
        user_silence(actor=actor, user=person, until=until, reason=reason, details=details)
        notify(users=[person], kind=Notification.Kind.SILENCED, actor=actor)
    else:
        user_suspend(actor=actor, user=person, until=until, reason=reason)


def post_hide_for_review(*, post: Post, reason: HiddenReason, item: ReviewItem) -> bool:
    """Hide a post pending review; a hidden opening post takes its topic out of the lists too (as
    Discourse makes the topic invisible), remembered on the item so that showing the post lists it again.
    Returns whether the post was visible."""
    if not discuss_services.post_hide(post=post, reason=reason):
        return False
    if post.number == 1:
        # The system acts here with no person, so not through topic_set_status (a moderator's form).
        unlisted = Topic.objects.filter(pk=post.topic_id, is_message=False, unlisted=False).update(unlisted=True)
        if unlisted:
            ReviewItem.objects.filter(pk=item.pk).update(unlisted_topic=True)
            item.unlisted_topic = True
    return True


def _post_show(item: ReviewItem) -> bool:
    post = item.post
    assert post is not None
    shown = discuss_services.post_unhide(post=post)
    if shown and (item.unlisted_topic or _unlisted_by_earlier_item(item)):
        Topic.objects.filter(pk=post.topic_id).update(unlisted=False)
    return shown


def _unlisted_by_earlier_item(item: ReviewItem) -> bool:
    """A post re-queued by its author's edit: the item that hid it (and unlisted its topic) came before."""
    return ReviewItem.objects.filter(post_id=item.post_id, unlisted_topic=True).exclude(pk=item.pk).exists()


def _hide(actor: User, item: ReviewItem) -> None:
    post = item.post
    assert post is not None
    if post_hide_for_review(post=post, reason=HiddenReason.MODERATOR, item=item):
        _log(actor, item, "post_hide", reason=str(HiddenReason.MODERATOR.label))
        notify(users=[post.user], kind=Notification.Kind.POST_HIDDEN, actor=actor, post=post)


def _delete(actor: User, item: ReviewItem, reason: str = "") -> None:
    post = item.post
    assert post is not None
    if post.deleted_at is None:
        discuss_services.post_delete(user=actor, post=post)  # logged by discuss (hooks.moderator_acted)
        post.deleted_at = timezone.now()


@transaction.atomic
def review_agree(
    *,
    actor: User,
    item: ReviewItem,
    version: int,
    post_action: str = "keep",
    penalty: str = "",
    days: int = 0,
    reason: str = "",
) -> ReviewItem:
    """Agree with the flags: keep the post hidden (or hide it) or delete it, and optionally silence or
    suspend its author for `days`. For a queued person: keep the silence (or suspend them), and agree with
    the flags on their posts waiting in the queue too, so a spam wave clears in one pass."""
    if item.kind == ReviewItem.Kind.HELD_POST:
        return post_approve(actor=actor, item=item, version=version)
    if post_action not in POST_ACTIONS:
        raise ValidationError(_("Choose what to do with the post."), code="post_action")
    if penalty not in PENALTIES:
        raise ValidationError(_("Choose what to do to the author."), code="penalty")
    reason = reason.strip()
    item = _claim(
        actor=actor, item=item, version=version, status=ReviewItem.Status.APPROVED, action=f"agree_{post_action}"
    )
    if item.kind == ReviewItem.Kind.FLAGGED_POST:
        if post_action == "delete":
            _delete(actor, item, reason)
        else:
            _hide(actor, item)
    else:
        for other in queries.pending_post_items_of(actor, item.user):
            try:
                with transaction.atomic():
                    review_agree(actor=actor, item=other, version=other.version, post_action=post_action)
            except ValidationError:
                pass  # another moderator took that one in the meantime
    if penalty == "suspend" or (penalty == "silence" and not item.user.is_silenced):
        _apply_penalty(actor=actor, person=item.user, penalty=penalty, days=days, reason=reason, item=item)
    _resolve_flags(actor=actor, item=item, status=Flag.Status.AGREED)
    _log(actor, item, "review_agree", reason=reason, post_action=post_action, penalty=penalty, days=days)
    return item


@transaction.atomic
def review_disagree(*, actor: User, item: ReviewItem, version: int, reason: str = "") -> ReviewItem:
    """Disagree with the flags: show the post again (and lift a silence the flags caused); the flaggers'
    accuracy drops. For a queued person: lift the silence the flags caused."""
    if item.kind == ReviewItem.Kind.HELD_POST:
        return post_reject(actor=actor, item=item, version=version, reason=reason)
    item = _claim(actor=actor, item=item, version=version, status=ReviewItem.Status.REJECTED, action="disagree")
    if item.kind == ReviewItem.Kind.FLAGGED_POST:
        post = item.post
        assert post is not None
        if _post_show(item):
            _log(actor, item, "post_unhide", reason=reason)
            notify(users=[post.user], kind=Notification.Kind.POST_SHOWN, actor=actor, post=post)
        # The flags that hid this post may be the ones that silenced its author: lift that too.
        silenced = queries.pending_silence_item_of(item.user)
        # People are site moderators' to judge: a group moderator's disagreement leaves the silence queued.
        if silenced is not None and queries.review_items_for(actor).filter(pk=silenced.pk).exists():
            review_disagree(actor=actor, item=silenced, version=silenced.version, reason=reason)
    elif item.silenced_by_flags and item.user.is_silenced:
        user_unsilence(actor=actor, user=item.user, reason=reason or _("The flags were not agreed with."))
    _resolve_flags(actor=actor, item=item, status=Flag.Status.DISAGREED)
    _log(actor, item, "review_disagree", reason=reason)
    return item


@transaction.atomic
def review_ignore(*, actor: User, item: ReviewItem, version: int, reason: str = "") -> ReviewItem:
    """Set the flags aside: the post stays as it is and the flaggers' accuracy is untouched."""
    item = _claim(actor=actor, item=item, version=version, status=ReviewItem.Status.IGNORED, action="ignore")
    _resolve_flags(actor=actor, item=item, status=Flag.Status.IGNORED)
    _log(actor, item, "review_ignore", reason=reason)
    return item


@transaction.atomic
def post_approve(*, actor: User, item: ReviewItem, version: int) -> ReviewItem:
    """Approve a held post: everyone sees it, pending flags on it are set aside, its author is told."""
    if item.kind != ReviewItem.Kind.HELD_POST:
        raise ValidationError(_("Only a post waiting for approval can be approved."), code="kind")
    item = _claim(actor=actor, item=item, version=version, status=ReviewItem.Status.APPROVED, action="approve")
    post = item.post
    assert post is not None
    # Back in its topic's and category's counts, and its mentions sent (held back while it waited).
    discuss_services.post_release(post=post)
    for flagged in ReviewItem.objects.filter(
        kind=ReviewItem.Kind.FLAGGED_POST, post=post, status=ReviewItem.Status.PENDING
    ):
        review_ignore(actor=actor, item=flagged, version=flagged.version)
    notify(users=[post.user], kind=Notification.Kind.POST_APPROVED, actor=actor, post=post)
    _log(actor, item, "post_approve")
    return item


@transaction.atomic
def post_reject(*, actor: User, item: ReviewItem, version: int, reason: str = "") -> ReviewItem:
    """Reject a held post: it is deleted (a held opening post takes its topic with it); its author is told."""
    if item.kind != ReviewItem.Kind.HELD_POST:
        raise ValidationError(_("Only a post waiting for approval can be rejected."), code="kind")
    item = _claim(actor=actor, item=item, version=version, status=ReviewItem.Status.REJECTED, action="reject")
    _delete(actor, item, reason)
    # The post is gone: the notification names nothing the author could no longer open.
    notify(users=[item.user], kind=Notification.Kind.POST_REJECTED, actor=actor)
    _log(actor, item, "post_reject", reason=reason)
    return item


@transaction.atomic
def held_post_queue(*, post: Post) -> ReviewItem | None:
    """Put a post held for approval (Post.pending_approval) in the queue, once."""
    fresh = Post.objects.filter(pk=post.pk, pending_approval=True, deleted_at__isnull=True).first()
    if fresh is None:
        return None
    item, _created = ReviewItem.objects.get_or_create(
        kind=ReviewItem.Kind.HELD_POST,
        post=fresh,
        status=ReviewItem.Status.PENDING,
        defaults={"user_id": fresh.user_id},
    )
    return item


@transaction.atomic
def flagged_post_requeue(*, post: Post) -> ReviewItem | None:
    """The author edited a post the flags hid: it stays hidden, and goes back to the queue (once)."""
    if post.hidden_at is None or post.hidden_reason != HiddenReason.FLAGS:
        return None
    item, created = ReviewItem.objects.get_or_create(
        kind=ReviewItem.Kind.FLAGGED_POST,
        post=post,
        status=ReviewItem.Status.PENDING,
        defaults={"user_id": post.user_id},
    )
    if created:
        action_log(
            actor=None, action="post_requeue", target=post, subject_user=post.user, reason=_("edited by its author")
        )
    return item
