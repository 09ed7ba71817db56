"""Time zones and recurrence rules: wall clock to UTC, RRULE building, checking and bounded expansion.

Wall-clock times are naive datetimes in the event's IANA zone. A time the clocks skip (spring
forward) or pass twice (fall back) resolves as RFC 5545 3.3.5 says: the offset before the gap, and
the first of the two. All-day occurrences are floating: their UTC range is their dates at 00:00 UTC,
and pages place them by date, never by converting a time.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta
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


# Parts of an RFC 5545 RRULE an event may use. Sub-daily parts (BYHOUR, BYMINUTE, BYSECOND) would give
# several dates a day; BYEASTER and X- parts are not RFC 5545, and calendar apps would not read them.
RULE_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
SUB_DAILY_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
# Integer list parts: the values RFC 5545 allows (never 0).
NUMBER_PARTS = {
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (-31, 31),
    "BYYEARDAY": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYSETPOS": (-366, 366),
}
BYDAY_ITEM = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
SMALL_INT = re.compile(r"[+-]?\d{1,4}")
MAX_COUNT, MAX_INTERVAL = 999, 99
# A rule must give a date this soon after its start: the bounded search that refuses impossible rules.
FIRST_DATE_WITHIN_YEARS = 5
# The Gregorian calendar repeats itself, weekdays included, every 400 years (146,097 days, 20,871 weeks).
CYCLE_YEARS = 400


def _rule_parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in value.split(";"):
        if not chunk:
            continue
        name, sep, part = chunk.partition("=")
        if not sep or not name or not part:
            raise RuleError(_("That repeat rule is not valid RFC 5545: %(error)s") % {"error": chunk[:40]})
        if name in parts:
            raise RuleError(_("That repeat rule gives %(part)s twice.") % {"part": name[:20]})
        parts[name] = part
    return parts


def _small_int(text: str, low: int, high: int, message: str) -> int:
    if not SMALL_INT.fullmatch(text) or not low <= int(text) <= high:
        raise RuleError(message)
    return int(text)


def inclusive_until(value: str) -> str:
    """A timed event's rule ending on a date ends at the close of that day: "until 3 December" keeps the
    3 December meeting. (dateutil, like RFC 5545, reads a bare date as its midnight, which would drop it.)
    UNTIL=20261203 becomes UNTIL=20261203T235959, on the event's own clock."""
    parts = value.split(";")
    for i, part in enumerate(parts):
        name, _sep, text = part.partition("=")
        if name == "UNTIL" and len(text) == 8 and text.isdigit():
            parts[i] = f"UNTIL={text}T235959"
    return ";".join(parts)


def utc_until(value: str, zone: zoneinfo.ZoneInfo) -> str:
    """The rule as a calendar file must carry it beside a DTSTART with a time zone: RFC 5545 wants a timed
    UNTIL in UTC (UNTIL=20261203T225959Z for 23:59:59 in Paris)."""
    parts = value.split(";")
    for i, part in enumerate(parts):
        name, _sep, text = part.partition("=")
        if name == "UNTIL" and "T" in text and not text.endswith("Z"):
            wall = _until_wall(text)
            if wall is not None:
                parts[i] = "UNTIL=" + wall_to_utc(wall, zone).strftime("%Y%m%dT%H%M%SZ")
    return ";".join(parts)


def _until_wall(text: str) -> datetime | None:
    """UNTIL as dateutil reads it (a date is its midnight), or None when it is neither form."""
    for form in ("%Y%m%d", "%Y%m%dT%H%M%S"):
        try:
            return datetime.strptime(text, form)  # noqa: DTZ007 - the event's wall clock
        except ValueError:
            continue
    return None


def _check_parts(parts: dict[str, str], wall_start: datetime) -> None:
    """Every part known, in range, and used as RFC 5545 allows with its frequency."""
    freq = parts.get("FREQ", "")
    if freq in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise RuleError(_("Events repeat daily, weekly, monthly or yearly at most."))
    if freq not in FREQUENCIES:
        raise RuleError(_("A repeat rule says how often: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if SUB_DAILY_PARTS & parts.keys():
        raise RuleError(_("Events repeat once a day at most: leave out BYHOUR, BYMINUTE and BYSECOND."))
    unknown = sorted(parts.keys() - RULE_PARTS)
    if unknown:
        raise RuleError(
            _("%(part)s is not a part of RFC 5545 repeat rules that events can use.") % {"part": unknown[0][:20]}
        )
    if "INTERVAL" in parts:
        _small_int(parts["INTERVAL"], 1, MAX_INTERVAL, _("Repeat every 1 to 99 days, weeks, months or years."))
    if "COUNT" in parts:
        _small_int(parts["COUNT"], 1, MAX_COUNT, _("Repeat 1 to 999 times."))
        if "UNTIL" in parts:
            raise RuleError(_("End the repeats on a date or after a number of times, not both."))
    if "UNTIL" in parts:
        if parts["UNTIL"].endswith("Z"):
            raise RuleError(_("Give the end of the repeats as a local date (UNTIL=20261231), not in UTC."))
        until = _until_wall(parts["UNTIL"])
        if until is None:
            raise RuleError(_("Give the end of the repeats as a date, such as UNTIL=20261231."))
        if not in_range(until.date()):
            raise RuleError(date_range_message())
        if until.date() < wall_start.date():
            raise RuleError(_("The repeats cannot end before the event starts."))
    for part, (low, high) in NUMBER_PARTS.items():
        for item in parts.get(part, "").split(",") if part in parts else ():
            if not SMALL_INT.fullmatch(item) or int(item) == 0 or not low <= int(item) <= high:
                raise RuleError(
                    _("%(part)s takes numbers from %(low)d to %(high)d (not 0).")
                    % {"part": part, "low": low, "high": high}
                )
    for item in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = BYDAY_ITEM.fullmatch(item)
        if match is None:
            raise RuleError(
                _("BYDAY=%(value)s is not valid: give days such as MO,WE or 2TU (the second Tuesday).")
                % {"value": parts["BYDAY"][:40]}
            )
        if match.group(1):
            nth = int(match.group(1))
            if freq not in {"MONTHLY", "YEARLY"} or "BYWEEKNO" in parts:
                raise RuleError(_("Days such as 2TU (the second Tuesday) are for monthly or yearly repeats."))
            if nth == 0 or abs(nth) > (5 if freq == "MONTHLY" else 53):
                raise RuleError(
                    _("BYDAY=%(value)s is not valid: give days such as MO,WE or 2TU (the second Tuesday).")
                    % {"value": parts["BYDAY"][:40]}
                )
    if "WKST" in parts and parts["WKST"] not in WEEKDAY_CODES:
        raise RuleError(_("WKST takes a day: MO, TU, WE, TH, FR, SA or SU."))
    # RFC 5545 3.3.10: what each part may be used with.
    if freq != "YEARLY" and ({"BYWEEKNO", "BYYEARDAY"} & parts.keys()):
        raise RuleError(_("BYWEEKNO and BYYEARDAY are for yearly repeats."))
    if freq == "WEEKLY" and "BYMONTHDAY" in parts:
        raise RuleError(_("BYMONTHDAY is not for weekly repeats."))
    if "BYSETPOS" in parts and (
        freq == "DAILY"
        or not (parts.keys() & (RULE_PARTS - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYSETPOS"}))
    ):
        raise RuleError(_("BYSETPOS picks among the dates of a week, month or year that other BY parts give."))


def check_rrule(value: str, wall_start: datetime) -> str:
    """A typed RRULE, checked: known RFC 5545 parts in range, daily or slower, and a first date within five
    years of the start (found with bounded work, whatever the rule). Returns it cleaned."""
    value = value.strip().upper().removeprefix("RRULE:").strip()
    if not value:
        return ""
    if len(value) > 300 or "\n" in value or "\r" in value:
        raise RuleError(_("That repeat rule is too long."))
    parts = _rule_parts(value)
    _check_parts(parts, wall_start)
    value = ";".join(f"{name}={part}" for name, part in parts.items())
    try:
        rrulestr(f"RRULE:{value}", dtstart=wall_start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RuleError(_("That repeat rule is not valid RFC 5545: %(error)s") % {"error": exc}) from None
    within = _add_years(wall_start, FIRST_DATE_WITHIN_YEARS)
    if not _expand(value, wall_start, since=wall_start, until=within, limit=1).walls:
        raise RuleError(
            _("That repeat rule gives no date in the %(n)d years from the event's start.")
            % {"n": FIRST_DATE_WITHIN_YEARS}
        )
    return value


def _add_years(moment: datetime, years: int) -> datetime:
    """The same wall time `years` later; a multiple of 400 keeps the weekday and 29 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February into a year that has none
        return moment.replace(year=moment.year + years, day=28)


def _bounded_rule(value: str, parts: dict[str, str], wall_start: datetime, since: datetime) -> tuple[rrule, datetime]:
    """The rule as dateutil runs it, made cheap to expand from `since`, and the start it runs from:

    - the defaults dateutil takes from the first date (the day of the month, the weekday) are spelled out,
      so the first date may move without changing the dates;
    - a rule without COUNT starts at the last of its periods (days, weeks, months, years) that begins by
      `since`, so the work does not grow with the years since the event's first date;
    - a daily rule steps by weeks (the same dates: dateutil's BY filters do not depend on the frequency),
      seven times fewer steps where BY parts skip most days."""
    rule = rrulestr(f"RRULE:{value}", dtstart=wall_start)
    assert isinstance(rule, rrule)
    freq = FREQUENCIES[parts["FREQ"]]
    interval = int(parts.get("INTERVAL", "1"))
    changes: dict = {}
    if not ({"BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"} & parts.keys()):
        if freq == YEARLY:
            changes["bymonthday"] = wall_start.day
            if "BYMONTH" not in parts:
                changes["bymonth"] = wall_start.month
        elif freq == MONTHLY:
            changes["bymonthday"] = wall_start.day
        elif freq == WEEKLY:
            changes["byweekday"] = wall_start.weekday()
    if freq == DAILY and interval == 1 and "BYSETPOS" not in parts:
        changes["freq"] = WEEKLY
        if "BYDAY" not in parts:
            changes["byweekday"] = tuple(range(7))
        freq = WEEKLY
    dtstart = wall_start
    if "COUNT" not in parts and since > wall_start:
        days = (since.date() - wall_start.date()).days
        if freq == DAILY:
            dtstart = wall_start + timedelta(days=days // interval * interval)
        elif freq == WEEKLY:
            dtstart = wall_start + timedelta(weeks=days // 7 // interval * interval)
        elif freq == MONTHLY:
            months = (since.year - wall_start.year) * 12 + since.month - wall_start.month
            index = wall_start.month - 1 + months // interval * interval
            dtstart = wall_start.replace(year=wall_start.year + index // 12, month=index % 12 + 1, day=1)
        else:
            years = (since.year - wall_start.year) // interval * interval
            dtstart = wall_start.replace(year=wall_start.year + years, month=1, day=1)
        changes["dtstart"] = dtstart
    return (rule.replace(**changes) if changes else rule), dtstart


@dataclass
class Expansion:
    walls: list[datetime]  # the starts from `since` to `until`
    goes_on: bool  # a date was found after them (past `until`, or past `limit`)
    seen: int  # every date the walk met, those before `since` included


def _expand(
    value: str,
    wall_start: datetime,
    *,
    since: datetime,
    until: datetime,
    limit: int,
    counted_from: datetime | None = None,
) -> Expansion:
    """The rule's starts from `since` to `until`: at most `limit` of those from `counted_from` on (by
    default, all count).

    The work is bounded whatever the rule. dateutil walks on until it finds a date past `until`, so a
    rule whose BY parts match no day (BYMONTH=2;BYMONTHDAY=30) would walk day by day to the year 9999.
    Here the rule runs a whole number of 400-year cycles later, as near the year 9999 as `until` allows
    (the same dates, weekdays and leap days), so that walk ends within 400 years."""
    parts = _rule_parts(value)
    rule, dtstart = _bounded_rule(value, parts, wall_start, since)
    shift = CYCLE_YEARS * ((MAXYEAR - 1 - until.year) // CYCLE_YEARS)
    if shift:
        rule_until = _until_wall(parts["UNTIL"]) if "UNTIL" in parts else None
        if rule_until is not None and rule_until > until:
            rule_until = None  # it ends after `until`: no date before `until` depends on it
        rule = rule.replace(
            dtstart=_add_years(dtstart, shift), until=_add_years(rule_until, shift) if rule_until else None
        )
    start_from = counted_from or since
    found = Expansion(walls=[], goes_on=False, seen=0)
    counted = 0
    for moved in rule:
        wall = _add_years(moved, -shift) if shift else moved
        found.seen += 1
        if wall < since:
            continue
        if wall > until or counted >= limit:
            found.goes_on = True
            break
        found.walls.append(wall)
        if wall >= start_from:
            counted += 1
    return found


def rule_walls(
    rule_value: str,
    wall_start: datetime,
    *,
    until: datetime,
    limit: int,
    exdates: frozenset[date] = frozenset(),
    since: datetime | None = None,
    counted_from: datetime | None = None,
) -> tuple[list[datetime], bool]:
    """The rule's wall-clock starts from `since` (default: the first date) up to `until` (naive, in the
    event's zone), at most `limit` of those from `counted_from` on, leaving out the EXDATE dates.
    Returns (starts, exhausted): exhausted when the rule has no date after `until` (so nothing is left
    to extend). Expansion is always bounded, whatever the rule says."""
    if not rule_value:
        return ([] if wall_start.date() in exdates else [wall_start]), True
    since = max(since or wall_start, wall_start)
    parts = _rule_parts(rule_value)
    found = _expand(rule_value, wall_start, since=since, until=until, limit=limit, counted_from=counted_from)
    if found.goes_on:
        exhausted = False
    elif "UNTIL" in parts:
        rule_until = _until_wall(parts["UNTIL"])
        exhausted = rule_until is None or rule_until <= until
    elif "COUNT" in parts:
        exhausted = found.seen >= int(parts["COUNT"])  # no later start: the walk began at the first date
    else:
        exhausted = False  # a rule without end always has a next date, however far
    return [wall for wall in found.walls if wall.date() not in exdates], exhausted


def first_wall(rule_value: str, wall_start: datetime) -> datetime:
    """The first start the rule gives from `wall_start` on (EXDATEs aside), or `wall_start` for a rule that
    gives none. RFC 5545 makes DTSTART a date of the series whatever the rule says (and counts it in
    COUNT); the site, like dateutil, gives only the rule's dates, so a calendar file starts the series
    on this date: a Tuesday start "weekly on Wednesdays" is Wednesdays only, in every client."""
    walls, _exhausted = rule_walls(rule_value, wall_start, until=datetime.combine(LAST_DAY, time.max), limit=1)
    return walls[0] if walls else wall_start


# --- Words --------------------------------------------------------------------------------------


def describe_rrule(value: str, start: date) -> str:
    """The rule in plain words: "Every 2 weeks on Tuesday and Thursday, until 30 June 2026"."""
    if not value:
        return ""
    from django.utils import dates as django_dates

    from agora.core.when import when_text

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
        text += ", " + _("until %(date)s") % {"date": when_text(spec.until, "date")}
    elif spec.count:
        text += ", " + ngettext("%(n)d time", "%(n)d times", spec.count) % {"n": spec.count}
    return text
