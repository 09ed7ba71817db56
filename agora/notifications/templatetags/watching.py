"""The "Watching ▾" control on other apps' pages (topic, category, tag, group), so they never import
notifications: `{% load watching %}{% watch_control user topic=topic %}`."""

from __future__ import annotations

from typing import Any

from django import template

from agora.notifications import queries
from agora.notifications.models import WatchLevel
from agora.notifications.services import TOPIC_LEVELS

register = template.Library()


@register.inclusion_tag("notifications/watch_form.html", takes_context=True)
def watch_control(context: Any, user: Any, level: int | None = None, **target: Any) -> dict[str, Any]:
    """The form with the person's level selected (one query, unless the caller knows the level);
    nothing for visitors."""
    if user is None or not user.is_authenticated:
        return {"show": False}
    ((kind, obj),) = target.items()
    key = {"topic": "pk", "category": "slug", "tag": "name", "group": "name"}[kind]
    if level is None:
        level = queries.watch_level(user, **{kind: obj})
    levels = TOPIC_LEVELS if kind == "topic" else list(reversed(WatchLevel))
    return {
        "show": True,
        "target": kind,
        "key": getattr(obj, key),
        "form_id": f"watch-{kind}-{obj.pk}",
        "level": level,
        "levels": [(int(lv), lv.label) for lv in levels],
        "next": context["request"].get_full_path() if "request" in context else "",
        "csrf_token": context.get("csrf_token"),
    }
