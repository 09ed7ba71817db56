"""Flags: members report posts and people to the moderators, and enough weight hides a post at once.

As Discourse's `PostActionCreator` and `SpamRule::AutoSilence`: each flag weighs 1 + its flagger's trust
level (staff 5) plus an accuracy bonus from their resolved flags; a post whose pending flags pass
AGORA_FLAG_HIDE_SCORE is hidden pending review and its author told; a new member flagged for spam by
AGORA_AUTO_SILENCE_FLAGGERS people is silenced pending review. Every flag feeds one pending ReviewItem.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.discuss import messages as message_services
from agora.discuss.models import HiddenReason, Post
from agora.notifications.models import Notification
from agora.notifications.services import notify

from . import review
from .models import Flag, ReviewItem
from .services import action_log, user_silence

# Discourse's accuracy bonus: flaggers right more than 70% of the time gain weight, those below lose it,
# both growing with the log of how many flags were resolved; nothing until more than 5 were.
ACCURACY_AXIS = 0.7
ACCURACY_MIN_RESOLVED = 5
STAFF_FLAG_WEIGHT = 5.0
MESSAGE_MAX_LENGTH = 1000


def accuracy_bonus(agreed: int, disagreed: int) -> float:
    """Discourse's ReviewableScore.calc_user_accuracy_bonus."""
    total = agreed + disagreed
    if total <= ACCURACY_MIN_RESOLVED:
        return 0.0
    correct = agreed / total
    if correct >= ACCURACY_AXIS:
        distance = (correct - ACCURACY_AXIS) / (1 - ACCURACY_AXIS)
    else:
        distance = -(ACCURACY_AXIS - correct) / ACCURACY_AXIS
    return round(distance * math.log(total, 4) * 5.0, 2)


def flag_score(user: User) -> float:
    """The weight a new flag by `user` carries (one query: their resolved flags)."""
    base = STAFF_FLAG_WEIGHT if user.is_staff_or_moderator else 1.0 + user.trust_level
    counts = Flag.objects.filter(flagger=user).aggregate(
        agreed=Count("id", filter=Q(status=Flag.Status.AGREED)),
        disagreed=Count("id", filter=Q(status=Flag.Status.DISAGREED)),
    )
    # A flag always weighs something: a poor record lowers the weight, it never makes a flag count against.
    return max(round(base + accuracy_bonus(counts["agreed"], counts["disagreed"]), 2), 0.5)


def _clean_message(kind: str, message: str) -> str:
    message = message.strip()
    if kind not in Flag.Kind.values:
        raise ValidationError(_("Choose why you are flagging this."), code="kind")
    if kind in (Flag.Kind.OTHER, Flag.Kind.MESSAGE_AUTHOR) and not message:
        raise ValidationError(_("Say what is wrong: the moderators (or the author) read your message."), code="message")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A flag's message can have %(n)d characters at most.") % {"n": MESSAGE_MAX_LENGTH}, code="long"
        )
    return message


def _check_may_flag(user: User) -> None:
    if not permissions.may_flag(user):
        raise ValidationError(
            _("Flags unlock at trust level %(n)d: read a little more and they will.")
            % {"n": settings.AGORA_MIN_TRUST_TO_FLAG},
            code="trust",
        )


@transaction.atomic
def flag_post(*, user: User, post: Post, kind: str, message: str = "") -> Flag | None:
    """Flag `post` (which `user` may see: the caller fetched it through the permission module). Returns the
    flag, or None for "message the author", which sends the author a private message instead."""
    _check_may_flag(user)
    post = (
        Post.objects.select_for_update(of=("self",)).select_related("topic", "topic__category", "user").get(pk=post.pk)
    )
    if not permissions.can(user, "see", post) or post.deleted_at is not None:
        raise PermissionDenied
    if post.user_id == user.pk:
        raise ValidationError(_("You cannot flag your own post: edit or delete it instead."), code="own")
    message = _clean_message(kind, message)
    if kind == Flag.Kind.MESSAGE_AUTHOR:
        _message_author(user=user, post=post, message=message)
        return None
    if Flag.objects.filter(flagger=user, post=post).exists():
        raise ValidationError(_("You have flagged this post already: the moderators have it."), code="twice")
    item, _created = _pending_item(kind=ReviewItem.Kind.FLAGGED_POST, post=post, user=post.user)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                flagger=user, post=post, kind=kind, message=message, score=flag_score(user), review_item=item
            )
    except IntegrityError as exc:  # the same flag a moment ago, in another request
        raise ValidationError(_("You have flagged this post already: the moderators have it."), code="twice") from exc
    item.score = _pending_score(item)
    ReviewItem.objects.filter(pk=item.pk).update(score=item.score)
    if _should_hide(flagger=user, post=post, kind=kind, score=item.score):
        hide_for_flags(post=post, score=item.score, item=item)
    if kind == Flag.Kind.SPAM:
        _maybe_auto_silence(post.user)
    return flag


@transaction.atomic
def flag_user(*, user: User, target: User, kind: str, message: str = "") -> Flag:
    """Flag a person (their profile, their name, their behaviour): a queued item for site moderators."""
    _check_may_flag(user)
    if target.pk == user.pk:
        raise ValidationError(_("You cannot flag yourself."), code="own")
    if kind == Flag.Kind.MESSAGE_AUTHOR:
        raise ValidationError(_("Choose why you are flagging this person."), code="kind")
    message = _clean_message(kind, message)
    if Flag.objects.filter(flagger=user, target_user=target, post__isnull=True, status=Flag.Status.PENDING).exists():
        raise ValidationError(_("You have flagged this person already: the moderators have it."), code="twice")
    item, _created = _pending_item(kind=ReviewItem.Kind.QUEUED_USER, post=None, user=target)
    flag = Flag.objects.create(
        flagger=user, target_user=target, kind=kind, message=message, score=flag_score(user), review_item=item
    )
    ReviewItem.objects.filter(pk=item.pk).update(score=_pending_score(item))
    return flag


def _pending_item(*, kind: str, post: Post | None, user: User) -> tuple[ReviewItem, bool]:
    """The pending review item of this post (or person), made on its first flag."""
    lookup: dict[str, Any] = {"kind": kind, "status": ReviewItem.Status.PENDING}
    if post is not None:
        lookup["post"] = post
    else:
        lookup.update(post__isnull=True, user=user)
    item = ReviewItem.objects.select_for_update().filter(**lookup).first()
    if item is not None:
        return item, False
    return ReviewItem.objects.create(kind=kind, post=post, user=user), True


def _pending_score(item: ReviewItem) -> float:
    total = Flag.objects.filter(review_item=item, status=Flag.Status.PENDING).aggregate(total=Sum("score"))["total"]
    return round(total or 0.0, 2)


def _should_hide(*, flagger: User, post: Post, kind: str, score: float) -> bool:
    author = post.user
    if post.hidden_at is not None:
        return False
    # Staff posts are never hidden by members' flags: a moderator decides.
    if author.is_staff_or_moderator and not flagger.is_staff_or_moderator:
        return False
    if score >= settings.AGORA_FLAG_HIDE_SCORE:
        return True
    # A trusted member's spam flag on a brand-new account's post: spam waves are new accounts.
    return (
        kind == Flag.Kind.SPAM
        and author.trust_level == 0
        and (flagger.is_staff_or_moderator or flagger.trust_level >= settings.AGORA_FLAG_SPAM_HIDE_TRUST)
    )


def hide_for_flags(*, post: Post, score: float, item: ReviewItem) -> None:
    """Hide the post pending review, log it as the system's act, and tell the author why."""
    if not review.post_hide_for_review(post=post, reason=HiddenReason.FLAGS, item=item):
        return
    action_log(
        actor=None,
        action="post_hide",
        target=post,
        subject_user=post.user,
        reason=str(HiddenReason.FLAGS.label),
        details={"score": score, "by": "flags"},
    )
    # The notification names the post; the topic page tells the author why and that editing it sends it
    # back to review.
    notify(users=[post.user], kind=Notification.Kind.POST_HIDDEN, post=post)


def _maybe_auto_silence(author: User) -> None:
    """SpamRule::AutoSilence: only new members, only on enough distinct people's spam flags."""
    needed = settings.AGORA_AUTO_SILENCE_FLAGGERS
    if needed <= 0 or author.trust_level > 0 or author.is_staff_or_moderator or author.is_silenced:
        return
    flaggers = (
        Flag.objects.filter(post__user=author, kind=Flag.Kind.SPAM, status=Flag.Status.PENDING)
        .values("flagger_id")
        .distinct()
        .count()
    )
    if flaggers < needed:
        return
    user_silence(
        actor=None,
        user=author,
        until=timezone.now() + timedelta(days=settings.AGORA_AUTO_SILENCE_DAYS),
        reason=_("Silenced by members' spam flags, pending a moderator's review."),
        details={"by": "flags", "flaggers": flaggers},
    )
    item, _created = _pending_item(kind=ReviewItem.Kind.QUEUED_USER, post=None, user=author)
    ReviewItem.objects.filter(pk=item.pk).update(silenced_by_flags=True)
    notify(users=[author], kind=Notification.Kind.SILENCED)


def _message_author(*, user: User, post: Post, message: str) -> None:
    """ "Message the author": a private message from the flagger, no score, no moderator."""
    if not permissions.may_post(user):
        raise ValidationError(_("You cannot send messages while you are silenced."), code="silenced")
    title = _("About your post in “%(title)s”") % {"title": post.topic.title}
    raw = f"{message}\n\n[{_('Your post')}]({post.get_absolute_url()})"
    message_services.message_create(
        sender=user, title=title[: settings.AGORA_TITLE_MAX_LENGTH], raw=raw, recipients=[post.user], groups=[]
    )
