"""Notification writes: one function every app calls to tell people something happened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .models import Notification


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    kind: str,
    actor: Any = None,
    topic: Any = None,
    post: Any = None,
    group: Any = None,
) -> list[Notification]:
    """Tell each of `users` (never the actor) that `kind` happened. Callers pass only people who may
    see the object; reads filter again through the permission module, so access lost later hides it."""
    actor_id = getattr(actor, "pk", None)
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk == actor_id or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, actor=actor, topic=topic, post=post, group=group))
    return Notification.objects.bulk_create(rows)
