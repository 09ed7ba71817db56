"""Times in the viewer's zone: an occurrence's start and end as naive wall times the templates print as they are."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .. import recurrence
from ..models import Occurrence


@dataclass
class Times:
    """One date of an event as a viewer sees it: in their zone, with the event's own zone beside."""

    all_day: bool
    start: datetime  # naive wall time in the viewer's zone (all day: the date at 00:00)
    end: datetime  # naive; all day: the last day at 00:00
    event_start: datetime  # naive wall time in the event's zone
    event_end: datetime
    viewer_zone: str
    event_zone: str
    same_zone: bool
    start_utc: datetime
    end_utc: datetime


def occurrence_times(occurrence: Occurrence, viewer_zone: str | None) -> Times:
    event = occurrence.event
    zone_name = recurrence.valid_zone_or_none(viewer_zone) or event.timezone
    if event.all_day:
        start = datetime.combine(occurrence.start_date, time(0))
        end = datetime.combine(occurrence.end_date, time(0))
        return Times(
            True, start, end, start, end, zone_name, event.timezone, True, occurrence.start_utc, occurrence.end_utc
        )
    viewer = zoneinfo.ZoneInfo(zone_name)
    event_zone = zoneinfo.ZoneInfo(event.timezone)
    return Times(
        all_day=False,
        start=occurrence.start_utc.astimezone(viewer).replace(tzinfo=None),
        end=occurrence.end_utc.astimezone(viewer).replace(tzinfo=None),
        event_start=occurrence.start_utc.astimezone(event_zone).replace(tzinfo=None),
        event_end=occurrence.end_utc.astimezone(event_zone).replace(tzinfo=None),
        viewer_zone=zone_name,
        event_zone=event.timezone,
        same_zone=_same_offsets(occurrence, viewer, event_zone),
        start_utc=occurrence.start_utc,
        end_utc=occurrence.end_utc,
    )


def _same_offsets(occurrence: Occurrence, a: zoneinfo.ZoneInfo, b: zoneinfo.ZoneInfo) -> bool:
    if a.key == b.key:
        return True
    return all(
        moment.astimezone(a).utcoffset() == moment.astimezone(b).utcoffset() for moment in (occurrence.start_utc,)
    )


def local_days(times: Times) -> list[date]:
    """The viewer's days a date covers (an evening that ends after midnight is on its first day only)."""
    first = times.start.date()
    last = times.end.date()
    if not times.all_day and last > first and times.end.time() == time(0):
        last -= timedelta(days=1)
    if not times.all_day and last > first and times.end - times.start < timedelta(hours=24):
        last = first
    days: list[date] = []
    day = first
    while day <= last and len(days) < 62:
        days.append(day)
        day += timedelta(days=1)
    return days
