"""Template helpers for events: times as words in the viewer's zone, and the blocks other apps' pages show
(the "upcoming events" sidebar block, the event box on a topic page), so the apps below never import events."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from agora.core import when
from agora.core.languages import language_name
from agora.events import queries
from agora.events.countries import country_name

register = template.Library()


def _span(start, end, all_day: bool) -> str:
    # Already on the clock meant (the viewer's or the event's): no zone conversion here.
    return when.event_span(start, end, all_day)


@register.filter
def span(times) -> str:
    """The date in the viewer's zone: "Tue, Mar 12, 2030, 6:00 – 8:00 PM" in the reader's language."""
    if not times:
        return ""
    return _span(times.start, times.end, times.all_day)


@register.filter
def event_span(times) -> str:
    """The same date on the event's own clock."""
    if not times:
        return ""
    return _span(times.event_start, times.event_end, times.all_day)


@register.filter
def clock(times) -> str:
    """The start time alone (a calendar cell), or "all day"."""
    if not times:
        return ""
    return _("all day") if times.all_day else when.when_text(times.start, "time", zone=times.start.tzinfo)


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def language_names(codes) -> str:
    """An event's languages named in the reader's language: "French, Arabic"."""
    return ", ".join(language_name(code) for code in codes or ())


@register.simple_tag(takes_context=True)
def event_box(context, topic):
    """The event `topic` is the page of, if any: its dates, answers and tools for this viewer (one query
    when the topic has an event, joined by get_topic_for_user; none else). {% event_box topic as box %}."""
    from agora.events.views import viewer_zone

    request = context["request"]
    raw = request.GET.get("occurrence", "")
    occurrence_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    return queries.event_box(request.user, topic, zone_name=viewer_zone(request), occurrence_id=occurrence_id)


@register.inclusion_tag("events/upcoming.html", takes_context=True)
def upcoming_events(context, group=None, category=None):
    """The next dates the viewer may see (one query), for the sidebars of Discuss, the blog and groups."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"upcoming": []}
    from agora.events.views import viewer_zone

    group = group or None  # a variable the page does not have arrives as ""
    category = category or None
    occurrences = queries.upcoming_occurrences(user, group=group, category=category)
    zone = viewer_zone(request)
    queries.annotate_times(occurrences, zone)
    return {"upcoming": occurrences, "upcoming_group": group, "upcoming_category": category, "zone": zone}
