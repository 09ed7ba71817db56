"""iCalendar (RFC 5545) output for feeds, one event, and the private feed; and add-to-calendar links.

Each event is one VEVENT with its UID (stable forever), SEQUENCE (bumped on every change of time,
place or status), DTSTAMP, DTSTART/DTEND with TZID (and a VTIMEZONE block per zone) or, for all-day
events, VALUE=DATE with an exclusive DTEND; a recurring event carries its RRULE and EXDATEs, and each
date moved, cancelled or given a note is a VEVENT with the same UID and a RECURRENCE-ID (cancelled ones
STATUS:CANCELLED). The icalendar library folds and escapes. No email address is ever written: organizers
are named with their profile's URL, and attendees not at all.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from agora import permissions
from agora.core.translated_names import translated

from . import recurrence
from .countries import country_name
from .models import Event, Occurrence

PRODID = "-//Agora//Events//EN"
logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _wall(day: date, clock: time | None) -> datetime:
    return datetime.combine(day, clock or time(0))


def location_text(event: Event, *, online_link: bool) -> str:
    """Venue, address and country; the online link where the viewer may see it."""
    parts = [p for p in (event.venue, event.address, country_name(event.country)) if p]
    if event.online_url and online_link:
        parts.append(event.online_url)
    return ", ".join(dict.fromkeys(parts))


def _description(event: Event, *, online_link: bool, note: str = "") -> str:
    text = strip_tags(getattr(event, "opening_html", "") or "").strip()
    if len(text) > 2000:
        text = text[:2000].rsplit(" ", 1)[0] + " …"
    lines = [note, text, _absolute(event.topic.get_absolute_url())]
    if event.online_url and online_link:
        lines.append(event.online_url)
    return "\n\n".join(line for line in lines if line)


def _status(event: Event, occurrence: Occurrence | None = None) -> str:
    if (occurrence is not None and occurrence.cancelled) or event.status == Event.Status.CANCELLED:
        return "CANCELLED"
    if event.status in {Event.Status.TENTATIVE, Event.Status.POSTPONED}:
        return "TENTATIVE"
    return "CONFIRMED"


def _set_times(component: icalendar.Event, event: Event, start: datetime, end: datetime) -> None:
    """DTSTART/DTEND: VALUE=DATE with an exclusive end for all-day events, else TZID wall times (UTC for
    the UTC zone)."""
    if event.all_day:
        component.add("dtstart", start.date())
        component.add("dtend", end.date() + timedelta(days=1))
        return
    zone = zoneinfo.ZoneInfo(event.timezone)
    component.add("dtstart", start.replace(tzinfo=zone))
    component.add("dtend", end.replace(tzinfo=zone))


def _recurrence_id(event: Event, key: str) -> date | datetime:
    if event.all_day:
        return datetime.strptime(key, "%Y%m%d").date()  # noqa: DTZ007 - a date
    naive = datetime.strptime(key, "%Y%m%dT%H%M%S")  # noqa: DTZ007 - wall clock in the event's zone
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(event.timezone))


def _base(event: Event, *, viewer: Any, stamp: datetime, going: bool = False) -> tuple[icalendar.Event, bool]:
    online = bool(event.online_url) and permissions.can_event(viewer, "see_online_link", event, going=going)
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("summary", event.topic.title)
    component.add("url", _absolute(event.topic.get_absolute_url()))
    location = location_text(event, online_link=online)
    if location:
        component.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        component.add("geo", (event.latitude, event.longitude))
    categories = [c for c in [translated(event.topic.category, "name") if event.topic.category else ""] if c]
    if categories:
        component.add("categories", categories)
    for person in getattr(event, "organizer_list", [])[:5]:
        organizer = icalendar.vCalAddress(_absolute(person.get_absolute_url()))
        organizer.params["cn"] = icalendar.vText(person.name)
        component.add("organizer", organizer)
        break  # RFC 5545: one ORGANIZER per component
    return component, online


def event_components(event: Event, *, viewer: Any, stamp: datetime, going: bool = False) -> list[icalendar.Event]:
    """The VEVENTs of one event: the master (with RRULE and EXDATE when it repeats) and one per date
    that differs from its rule (RECURRENCE-ID)."""
    rows: list[Occurrence] = getattr(event, "feed_occurrences", [])
    master, online = _base(event, viewer=viewer, stamp=stamp, going=going)
    master.add("sequence", event.sequence)
    master.add("status", _status(event))
    master.add("description", _description(event, online_link=online))
    components = [master]
    if not event.rrule:
        occurrence = rows[0] if rows else None
        if occurrence is not None:
            _set_times(
                master,
                event,
                _wall(occurrence.start_date, occurrence.start_time),
                _wall(occurrence.end_date, occurrence.end_time),
            )
            if occurrence.cancelled:
                master["status"] = "CANCELLED"
            if occurrence.note:
                master["description"] = _description(event, online_link=online, note=occurrence.note)
            master["sequence"] = event.sequence + occurrence.sequence
        else:
            _set_times(master, event, event.wall_start(), event.wall_start() + _last_day_fix(event))
        return components
    first = recurrence.first_wall(event.rrule, event.wall_start())
    _set_times(master, event, first, first + _last_day_fix(event))
    rule = event.rrule if event.all_day else recurrence.utc_until(event.rrule, recurrence.get_zone(event.timezone))
    master.add("rrule", icalendar.vRecur.from_ical(rule))
    if event.exdates:
        zone = None if event.all_day else zoneinfo.ZoneInfo(event.timezone)
        exdates = []
        for iso in sorted(event.exdates):
            day = date.fromisoformat(iso)
            exdates.append(day if zone is None else datetime.combine(day, event.start_time or time(0), tzinfo=zone))
        master.add("exdate", exdates)
    for occurrence in rows:
        if not occurrence.overridden:
            continue
        override, _online = _base(event, viewer=viewer, stamp=stamp, going=going)
        override.add("recurrence-id", _recurrence_id(event, occurrence.key))
        override.add("sequence", event.sequence + occurrence.sequence)
        override.add("status", _status(event, occurrence))
        override.add("description", _description(event, online_link=online, note=occurrence.note))
        _set_times(
            override,
            event,
            _wall(occurrence.start_date, occurrence.start_time),
            _wall(occurrence.end_date, occurrence.end_time),
        )
        components.append(override)
    return components


def _last_day_fix(event: Event) -> timedelta:
    """The first date's wall end minus its wall start (all day: the span of days, last day included
    by _set_times)."""
    if event.all_day:
        return timedelta(days=(event.end_date - event.start_date).days)
    return event.wall_duration()


# What writing one event's data can raise when that data is out of what iCalendar holds (a COUNT outside
# int32, a date near year 1 or 9999): that event is left out of the feed, never the whole feed broken.
UNWRITABLE = (ValueError, TypeError, OverflowError)


def calendar_bytes(events: list[Event], *, viewer: Any, name: str, going_ids: frozenset[int] = frozenset()) -> bytes:
    """A whole VCALENDAR for these events (fetched with queries.feed_events or friends). A shared feed
    serves everyone: an event whose stored data cannot be written is logged and left out."""
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    try:
        return _calendar(events, viewer=viewer, name=name, going_ids=going_ids, stamp=stamp).to_ical()
    except UNWRITABLE:
        writable = []
        for event in events:
            try:
                _calendar([event], viewer=viewer, name=name, going_ids=going_ids, stamp=stamp).to_ical()
            except UNWRITABLE:
                logger.exception("Event %s left out of a calendar feed: its data cannot be written", event.pk)
            else:
                writable.append(event)
        return _calendar(writable, viewer=viewer, name=name, going_ids=going_ids, stamp=stamp).to_ical()


def _calendar(
    events: list[Event], *, viewer: Any, name: str, going_ids: frozenset[int], stamp: datetime
) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT1H")
    first, last = date.today(), date.today()  # noqa: DTZ011 - only a span for the VTIMEZONE rules
    for event in events:
        for component in event_components(event, viewer=viewer, stamp=stamp, going=event.pk in going_ids):
            cal.add_component(component)
        first = min(first, event.start_date)
        last = max(last, event.end_date)
    # One VTIMEZONE per zone used, with its rules from a year before the first date to years after; the
    # span kept within the years events may use, so no row's date can overflow it.
    first = min(max(first, recurrence.FIRST_DAY), recurrence.LAST_DAY)
    last = min(max(last, recurrence.FIRST_DAY), recurrence.LAST_DAY)
    cal.add_missing_timezones(first_date=first - timedelta(days=366), last_date=last + timedelta(days=366 * 5))
    return cal


# --- Add-to-calendar links ------------------------------------------------------------------------


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(event: Event, occurrence: Occurrence, *, online_link: bool) -> str:
    if event.all_day:
        dates = f"{occurrence.start_date:%Y%m%d}/{occurrence.end_date + timedelta(days=1):%Y%m%d}"
    else:
        dates = f"{_utc_stamp(occurrence.start_utc)}/{_utc_stamp(occurrence.end_utc)}"
    params = {
        "action": "TEMPLATE",
        "text": event.topic.title,
        "dates": dates,
        "details": _description(event, online_link=online_link, note=occurrence.note),
        "location": location_text(event, online_link=online_link),
        "ctz": event.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def outlook_link(event: Event, occurrence: Occurrence, *, online_link: bool) -> str:
    if event.all_day:
        start, end = occurrence.start_date.isoformat(), (occurrence.end_date + timedelta(days=1)).isoformat()
    else:
        start = occurrence.start_utc.astimezone(UTC).isoformat().replace("+00:00", "Z")
        end = occurrence.end_utc.astimezone(UTC).isoformat().replace("+00:00", "Z")
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.topic.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if event.all_day else "false",
        "body": _description(event, online_link=online_link, note=occurrence.note),
        "location": location_text(event, online_link=online_link),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params)
