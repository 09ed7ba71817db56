"""Dates, times and numbers in templates, one style per kind of place (agora.core.when says which).

{% load when %}
{{ topic.bumped_at|when }}                  <time datetime=… title=…>3 hours ago</time>
{{ entry.created_at|when:"datetime" }}      the same element around "Dec 7, 2026, 3:30 PM"
{{ page.updated_at|when_text:"date" }}      the text alone, for blocktranslate and attributes
{{ day|iso }}                               ISO 8601, for datetime attributes and links
{{ topic.views|compact }}  {{ n|number }}   counts in the reader's digits
"""

from django import template

from agora.core import when as formats

register = template.Library()


@register.filter
def when(value, kind: str = "list"):
    return formats.when_html(value, kind)


@register.filter
def when_text(value, kind: str = "list") -> str:
    return formats.when_text(value, kind)


@register.filter
def iso(value) -> str:
    return formats.iso(value)


@register.filter
def until(start, end) -> str:
    """A span of days: {{ period_start|until:period_end }} -> "Dec 7 – 13, 2026"."""
    if not start or not end:
        return ""
    return formats.date_range(start, end)


@register.filter
def weekday(day, width: str = "abbreviated") -> str:
    """A calendar column's heading: {{ d|weekday }} "Mon", {{ d|weekday:"wide" }} "Monday"."""
    return formats.weekday_name(day, width) if day else ""


@register.filter
def number(value) -> str:
    return formats.number(value)


@register.filter
def compact(value) -> str:
    return formats.compact(value)
