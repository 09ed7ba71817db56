"""Moderation's blocks on other apps' pages: the header's review link, and who may flag."""

from __future__ import annotations

from typing import Any

from django import template

from agora import permissions

from ..queries import pending_review_count

register = template.Library()


@register.simple_tag
def review_count(user: Any) -> int | None:
    """Pending items in the queue, for the header: one query, for site moderators and staff only (None
    for everyone else, who never pay for it)."""
    if user is None or not user.is_authenticated or not user.is_staff_or_moderator:
        return None
    return pending_review_count(user)


@register.simple_tag
def may_flag(user: Any) -> bool:
    return permissions.may_flag(user)
