"""The calendar pages: a month, a week, the agenda and the upcoming dates, read by indexed UTC ranges."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from agora import permissions
from agora.discuss.models import Category
from agora.groups.models import Group

from .. import recurrence
from ..models import Event, Occurrence
from .filters import Filters, _with_event, filtered_occurrences
from .limits import UPCOMING_SIDEBAR
from .times import local_days, occurrence_times


def range_occurrences(user: Any, filters: Filters, start: datetime, end: datetime) -> list[Occurrence]:
    """Every listed date touching [start, end) (aware UTC bounds), with its event, in one query. The bounds
    are widened by a day each way so all-day dates (floating) are found from any zone; callers place
    them by date."""
    qs = filtered_occurrences(user, filters).overlapping(start - timedelta(days=1), end + timedelta(days=1))
    return list(qs.order_by("start_utc", "id")[:5000])


def month_grid(first_weekday: int, year: int, month: int) -> list[list[date]]:
    """Weeks (lists of 7 dates) covering the month, starting on the locale's first day (0 = Sunday)."""
    first = date(year, month, 1)
    # Python: Monday=0..Sunday=6; Django's FIRST_DAY_OF_WEEK: Sunday=0..Saturday=6.
    offset = (first.weekday() + 1 - first_weekday) % 7
    start = first - timedelta(days=offset)
    weeks = []
    day = start
    while True:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
        if day.month != month or len(weeks) == 6:
            break
    return weeks


def week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() + 1 - first_weekday) % 7)


def zone_bounds(first: date, last: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants of the viewer's days first 00:00 to the day after last 00:00."""
    zone = zoneinfo.ZoneInfo(zone_name)
    return (
        recurrence.wall_to_utc(datetime.combine(first, time(0)), zone),
        recurrence.wall_to_utc(datetime.combine(last + timedelta(days=1), time(0)), zone),
    )


def place_by_day(occurrences: list[Occurrence], zone_name: str, days: list[date]) -> dict[date, list[Occurrence]]:
    """Each date under the viewer's days it covers (annotated with .times)."""
    wanted = set(days)
    by_day: dict[date, list[Occurrence]] = {d: [] for d in days}
    for occurrence in occurrences:
        occurrence.times = occurrence_times(occurrence, zone_name)
        for day in local_days(occurrence.times):
            if day in wanted:
                by_day[day].append(occurrence)
    return by_day


def agenda_occurrences(user: Any, filters: Filters) -> QuerySet[Occurrence]:
    """Coming dates soonest first; past ones latest first; or all, in time order."""
    qs = filtered_occurrences(user, filters)
    now = timezone.now()
    if filters.when == "past":
        return qs.past(now).order_by("-start_utc", "-id")
    if filters.when == "all":
        return qs.order_by("start_utc", "id")
    return qs.upcoming(now).order_by("start_utc", "id")


def annotate_times(occurrences: list[Occurrence], zone_name: str) -> list[Occurrence]:
    for occurrence in occurrences:
        occurrence.times = occurrence_times(occurrence, zone_name)
    return occurrences


def annotate_times_for_event(occurrences: list[Occurrence], event: Event, zone_name: str) -> list[Occurrence]:
    for occurrence in occurrences:
        occurrence.event = event
    return annotate_times(occurrences, zone_name)


def upcoming_occurrences(
    user: Any, *, limit: int = UPCOMING_SIDEBAR, group: Group | None = None, category: Category | None = None
) -> list[Occurrence]:
    """The next dates for a sidebar (one query): not cancelled, of events not cancelled."""
    qs = _with_event(permissions.listed_occurrences(user)).upcoming().filter(cancelled=False)
    qs = qs.exclude(event__status=Event.Status.CANCELLED)
    if group is not None:
        qs = qs.filter(event__group=group)
    if category is not None:
        qs = qs.filter(event__topic__category=category)
    return list(qs.order_by("start_utc", "id")[:limit])
