"""Moderation writes. Every moderator action, by a person or by the system, is recorded here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.notifications.models import Notification
from agora.notifications.services import notify

from .models import ModeratorAction


def action_log(
    *,
    actor: User | None,
    action: str,
    target: Any = None,
    target_kind: str = "",
    target_label: str = "",
    subject_user: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ModeratorAction:
    """Record an action in the staff action log (append-only). `target` is a model instance (a topic,
    a post, a user, ...) whose kind, id and label are read from it; or pass `target_kind` alone."""
    target_id = None
    if target is not None:
        target_kind = target_kind or target._meta.model_name
        target_id = target.pk
        target_label = target_label or _label(target)
    return ModeratorAction.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_kind=target_kind or ModeratorAction.TargetKind.SITE,
        target_id=target_id,
        target_label=target_label[:300],
        subject_user=subject_user,
        reason=reason,
        details=details or {},
    )


def _label(target: Any) -> str:
    title = getattr(target, "title", None)
    if title:
        return str(title)
    if target._meta.model_name == "post":
        return f"{target.topic.title} #{target.number}"
    return str(target)


def _check_may_moderate(actor: User, target: User) -> None:
    if not permissions.can_moderate_user(actor, target):
        if actor.pk == target.pk:
            raise ValidationError(_("You cannot do that to yourself."), code="self")
        if target.is_staff or target.is_moderator:
            raise ValidationError(_("Staff and moderators cannot be silenced or suspended here."), code="staff")
        raise PermissionDenied


def _check_until(until: datetime, reason: str) -> str:
    if until <= timezone.now():
        raise ValidationError(_("Choose a time in the future."), code="past")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why: the person is shown the reason."), code="no_reason")
    return reason


@transaction.atomic
def user_silence(
    *, actor: User | None, user: User, until: datetime, reason: str, details: dict[str, Any] | None = None
) -> None:
    """Silence `user` until `until`: they read but cannot post, reply or send messages. `actor` None is
    the system acting on flags (it has already checked its rule)."""
    if actor is not None:
        _check_may_moderate(actor, user)
    reason = _check_until(until, reason)
    User.objects.filter(pk=user.pk).update(silenced_until=until, silence_reason=reason)
    user.silenced_until, user.silence_reason = until, reason
    action_log(
        actor=actor,
        action="user_silence",
        target=user,
        subject_user=user,
        reason=reason,
        details={"until": until.isoformat(), **(details or {})},
    )
    # The person is told (the reason and the end show on every composer they open); from the site, not
    # from the moderator by name.
    transaction.on_commit(
        lambda: notify(users=User.objects.filter(pk=user.pk), kind=Notification.Kind.SILENCED, actor=None)
    )


@transaction.atomic
def user_unsilence(*, actor: User | None, user: User, reason: str = "") -> None:
    if actor is not None:
        _check_may_moderate(actor, user)
    User.objects.filter(pk=user.pk).update(silenced_until=None, silence_reason="")
    user.silenced_until, user.silence_reason = None, ""
    action_log(actor=actor, action="user_unsilence", target=user, subject_user=user, reason=reason)


@transaction.atomic
def user_suspend(*, actor: User, user: User, until: datetime, reason: str) -> None:
    """Suspend `user` until `until`: they cannot sign in, and the sessions they have end at once (the
    authentication backends refuse a suspended user on every request, accounts.backends)."""
    _check_may_moderate(actor, user)
    reason = _check_until(until, reason)
    User.objects.filter(pk=user.pk).update(suspended_until=until, suspend_reason=reason)
    user.suspended_until, user.suspend_reason = until, reason
    action_log(
        actor=actor,
        action="user_suspend",
        target=user,
        subject_user=user,
        reason=reason,
        details={"until": until.isoformat()},
    )


@transaction.atomic
def user_unsuspend(*, actor: User, user: User, reason: str = "") -> None:
    _check_may_moderate(actor, user)
    User.objects.filter(pk=user.pk).update(suspended_until=None, suspend_reason="")
    user.suspended_until, user.suspend_reason = None, ""
    action_log(actor=actor, action="user_unsuspend", target=user, subject_user=user, reason=reason)
