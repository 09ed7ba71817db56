"""Moderation writes. Every moderator action, by a person or by the system, is recorded here."""

from __future__ import annotations

from typing import Any

from agora.accounts.models import User

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
