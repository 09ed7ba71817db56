"""Template helpers for the blog's blocks on other apps' pages (a group's page shows its stories), so the
apps below the blog never import it."""

from __future__ import annotations

from typing import Any

from django import template

from agora.blog import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def group_stories(context, group) -> list[Any]:
    """The newest published stories that speak for `group` (one query): {% group_stories group as stories %}."""
    request = context.get("request")
    return queries.group_stories(getattr(request, "user", None), group)
