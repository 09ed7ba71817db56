"""`{{ category|translated:"name" }}`: a category's, tag's or group's name or description in the reader's
language (agora.core.translated_names). Load with `{% load names %}`."""

from typing import Any

from django import template

from agora.core.translated_names import translated as translated_field

register = template.Library()


@register.filter
def translated(obj: Any, field: str = "name") -> Any:
    """The reader's translation of `obj`'s `field` (name by default), else the row's own text."""
    if obj is None or obj == "":
        return ""
    return translated_field(obj, field)
