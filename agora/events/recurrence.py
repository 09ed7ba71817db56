"""Time zones and recurrence rules: wall clock to UTC, RRULE building, checking and bounded expansion.

Wall-clock times are naive datetimes in the event's IANA zone. A time the clocks skip (spring
forward) or pass twice (fall back) resolves as RFC 5545 3.3.5 says: the offset before the gap, and
the first of the two. All-day occurrences are floating: their UTC range is their dates at 00:00 UTC,
and pages place them by date, never by converting a time.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}


class RuleError(ValueError):
    """A recurrence rule that cannot be used; the message says why, to the person who typed it."""


# Every date an event has (its start and end, a moved date, a rule's end, a date skipped, the registration
# deadline) lies in these years: the calendar's own range. Far from year 1 and 9999, so converting a time
# to any zone, adding the horizon or a VTIMEZONE's years, or expanding a rule never overflows.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)


def date_range_message() -> str:
    return _("Give a date between the years %(first)d and %(last)d.") % {
        "first": FIRST_DAY.year,
        "last": LAST_DAY.year,
    }


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def check_day(day: date) -> date:
    """The date itself, or RuleError when it lies outside the years events may use."""
    if not in_range(day):
        raise RuleError(date_range_message())
    return day


@cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


@cache
def sorted_zone_names() -> list[str]:
    return sorted(zone_names())


def get_zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that IANA name; RuleError for anything else (an unknown name, a path, an empty one)."""
    if name not in zone_names():
        raise RuleError(
            _("Unknown time zone: %(name)s. Pick one from the list, such as Europe/Paris.") % {"name": name}
        )
    return zoneinfo.ZoneInfo(name)


def valid_zone_or_none(name: str | None) -> str | None:
    return name if name and name in zone_names() else None


def wall_to_utc(wall: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """A naive wall-clock time in `zone` as an aware UTC datetime (fold=0: RFC 5545's reading of gaps
    and repeated hours). RuleError for a time so near year 1 or 9999 that UTC falls outside the calendar."""
    try:
        return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    except OverflowError:
        raise RuleError(date_range_message()) from None


def floating_utc(day: date) -> datetime:
    """An all-day date's position on the UTC line: the date itself, at 00:00 UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def occurrence_bounds(
    wall_start: datetime, duration: timedelta, zone: zoneinfo.ZoneInfo, all_day: bool
) -> tuple[datetime, datetime]:
    """UTC start and end of one occurrence from its wall-clock start and wall-clock length."""
    if all_day:
        return floating_utc(wall_start.date()), floating_utc((wall_start + duration).date())
    return wall_to_utc(wall_start, zone), wall_to_utc(wall_start + duration, zone)


def normalise_wall(wall: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The wall time a clock in `zone` really shows for `wall` (02:30 on a spring-forward night is 03:30)."""
    return wall_to_utc(wall, zone).astimezone(zone).replace(tzinfo=None)


# --- Rules ----------------------------------------------------------------------------------------


@dataclass
class RuleSpec:
    """What the event form's "repeats" fields say, in words a person chose."""

    frequency: str = ""  # "", DAILY, WEEKLY, MONTHLY, YEARLY
    interval: int = 1
    weekdays: tuple[str, ...] = ()  # WEEKLY: MO..SU
    monthly_by: str = "day"  # MONTHLY: "day" (the 14th), "weekday" (the second Tuesday), "last" (the last Tuesday)
    until: date | None = None
    count: int | None = None


def build_rrule(spec: RuleSpec, start: date) -> str:
    """An RFC 5545 RRULE value from the form's choices; "" for an event that does not repeat."""
    if not spec.frequency:
        return ""
    if spec.frequency not in FREQUENCIES:
        raise RuleError(_("Choose how often the event repeats."))
    if not 1 <= spec.interval <= 99:
        raise RuleError(_("Repeat every 1 to 99 days, weeks, months or years."))
    parts = [f"FREQ={spec.frequency}"]
    if spec.interval > 1:
        parts.append(f"INTERVAL={spec.interval}")
    if spec.frequency == "WEEKLY":
        days = [d for d in WEEKDAY_CODES if d in set(spec.weekdays)] or [WEEKDAY_CODES[start.weekday()]]
        parts.append("BYDAY=" + ",".join(days))
    elif spec.frequency == "MONTHLY":
        code = WEEKDAY_CODES[start.weekday()]
        if spec.monthly_by == "weekday":
            nth = (start.day - 1) // 7 + 1
            parts.append(f"BYDAY={nth}{code}")
        elif spec.monthly_by == "last":
            parts.append(f"BYDAY=-1{code}")
        else:
            parts.append(f"BYMONTHDAY={start.day}")
    if spec.until and spec.count:
        raise RuleError(_("End the repeats on a date or after a number of times, not both."))
    if spec.until:
        if spec.until < start:
            raise RuleError(_("The repeats cannot end before the event starts."))
        parts.append("UNTIL=" + spec.until.strftime("%Y%m%d"))
    elif spec.count:
        if not 1 <= spec.count <= 999:
            raise RuleError(_("Repeat 1 to 999 times."))
        parts.append(f"COUNT={spec.count}")
    return ";".join(parts)


def parse_rrule(value: str, start: date) -> RuleSpec:
    """The form's fields for a stored rule (the inverse of build_rrule, for the edit form)."""
    spec = RuleSpec()
    if not value:
        return spec
    fields = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    spec.frequency = fields.get("FREQ", "")
    spec.interval = int(fields.get("INTERVAL", "1") or 1)
    byday = fields.get("BYDAY", "")
    if spec.frequency == "WEEKLY":
        spec.weekdays = tuple(d for d in byday.split(",") if d in WEEKDAY_CODES)
    elif spec.frequency == "MONTHLY":
        spec.monthly_by = "last" if byday.startswith("-1") else "weekday" if byday else "day"
    if "UNTIL" in fields:
        spec.until = datetime.strptime(fields["UNTIL"][:8], "%Y%m%d").date()  # noqa: DTZ007 - a date
    if "COUNT" in fields:
        spec.count = int(fields["COUNT"])
    return spec


def check_rrule(value: str, wall_start: datetime) -> str:
    """A typed RRULE, checked: known parts, daily or slower, and at least one date. Returns it cleaned."""
    value = value.strip().removeprefix("RRULE:").strip().upper()
    if not value:
        return ""
    if len(value) > 300 or "\n" in value:
        raise RuleError(_("That repeat rule is too long."))
    try:
        rule = rrulestr(f"RRULE:{value}", dtstart=wall_start)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RuleError(_("That repeat rule is not valid RFC 5545: %(error)s") % {"error": exc}) from None
    if not isinstance(rule, rrule) or rule._freq not in FREQUENCIES.values():
        raise RuleError(_("Events repeat daily, weekly, monthly or yearly at most."))
    if "UNTIL=" in value and "Z" in value.split("UNTIL=", 1)[1].split(";", 1)[0]:
        raise RuleError(_("Give the end of the repeats as a local date (UNTIL=20261231), not in UTC."))
    if rule.after(wall_start - timedelta(seconds=1), inc=True) is None:
        raise RuleError(_("That repeat rule gives no date at all."))
    return value


def rule_walls(
    rule_value: str, wall_start: datetime, *, until: datetime, limit: int, exdates: frozenset[date] = frozenset()
) -> tuple[list[datetime], bool]:
    """The rule's wall-clock starts up to `until` (naive, in the event's zone), at most `limit` of them,
    leaving out the EXDATE dates. Returns (starts, exhausted): exhausted when the rule ends before
    `until` (so nothing is left to extend). Expansion is always bounded, whatever the rule says."""
    if not rule_value:
        return ([] if wall_start.date() in exdates else [wall_start]), True
    rule = rrulestr(f"RRULE:{rule_value}", dtstart=wall_start)
    starts: list[datetime] = []
    exhausted = True
    for index, wall in enumerate(rule):
        if wall > until or index >= limit:
            exhausted = False
            break
        if wall.date() not in exdates:
            starts.append(wall)
    return starts, exhausted


# --- Words --------------------------------------------------------------------------------------


def describe_rrule(value: str, start: date) -> str:
    """The rule in plain words: "Every 2 weeks on Tuesday and Thursday, until 30 June 2026"."""
    if not value:
        return ""
    from django.utils import dates as django_dates
    from django.utils.formats import date_format

    spec = parse_rrule(value, start)
    n = spec.interval
    names = [str(django_dates.WEEKDAYS[WEEKDAY_CODES.index(d)]) for d in spec.weekdays]
    if spec.frequency == "DAILY":
        text = ngettext("Every day", "Every %(n)d days", n) % {"n": n}
    elif spec.frequency == "WEEKLY":
        text = ngettext("Every week", "Every %(n)d weeks", n) % {"n": n}
        if names:
            text += " " + _("on %(days)s") % {"days": ", ".join(names)}
    elif spec.frequency == "MONTHLY":
        text = ngettext("Every month", "Every %(n)d months", n) % {"n": n}
        fields = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
        byday = fields.get("BYDAY", "")
        if byday:
            code = byday[-2:]
            day = str(django_dates.WEEKDAYS[WEEKDAY_CODES.index(code)]) if code in WEEKDAY_CODES else code
            nth = byday[:-2]
            ordinals = {
                "1": _("first"),
                "2": _("second"),
                "3": _("third"),
                "4": _("fourth"),
                "5": _("fifth"),
                "-1": _("last"),
            }
            text += " " + _("on the %(nth)s %(day)s") % {"nth": ordinals.get(nth, nth), "day": day}
        elif "BYMONTHDAY" in fields:
            text += " " + _("on day %(day)s") % {"day": fields["BYMONTHDAY"]}
    elif spec.frequency == "YEARLY":
        text = ngettext("Every year", "Every %(n)d years", n) % {"n": n}
    else:
        return value
    if spec.until:
        text += ", " + _("until %(date)s") % {"date": date_format(spec.until, "DATE_FORMAT")}
    elif spec.count:
        text += ", " + ngettext("%(n)d time", "%(n)d times", spec.count) % {"n": spec.count}
    return text
