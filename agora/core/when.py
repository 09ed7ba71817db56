"""Dates, times and numbers in the reader's language (CLDR through Babel), one style per kind of place.

The kinds (docs/languages.md, "Dates, times and numbers"):

- ``list``: lists and post headers. A relative time ("3 hours ago", "in 2 days") within a week, then
  the medium date.
- ``date``: a day named in a sentence or a byline ("Dec 7, 2026", "7 déc. 2026").
- ``datetime``: tables, logs, histories and deadlines: the medium date and the time of day.
- ``month``: archive and month headings ("December 2026").
- ``day``, ``weekday``, ``daynum``, ``time``: calendars and event lines ("Mon, Dec 7, 2026",
  "Mon, Dec 7", "7", "6:00 PM"); ranges go through :func:`event_span` and :func:`date_range`.
- ``full``: the long form a ``<time>`` element's title shows on hover.

Aware datetimes are shown in the active time zone (the member's own, set by
``ReaderMiddleware``, else the site's), unless a zone is passed (events keep their own). These
run in hot loops (every row of a topic list, every post of a topic page): Locale objects and compiled
patterns are cached per language, so a row costs a pattern's application and nothing more.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, format_interval, format_timedelta, match_skeleton, parse_pattern
from babel.numbers import format_compact_decimal, format_decimal
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

# How far from now a list still says "3 days ago" rather than a date.
RELATIVE_LIMIT = dt.timedelta(days=7)
# Under this, a past time is "now" (Babel would say "12 seconds ago", already stale when read).
JUST_NOW = dt.timedelta(seconds=45)

# Date skeletons per kind: CLDR finds each language's own order, month names and punctuation.
_DATE_SKELETONS = {
    "list": "yMMMd",
    "date": "yMMMd",
    "datetime": "yMMMd",
    "month": "yMMMM",
    "day": "yMMMEd",
    "weekday": "MMMEd",
    "daynum": "d",
    "full": "yMMMMEEEEd",  # a date alone; a datetime's full form is the locale's full date
}
KINDS = frozenset(_DATE_SKELETONS) | {"time"}


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(to_locale(language).split("_")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def reader_locale(language: str | None = None) -> Locale:
    """The Babel Locale of `language`, or of the active interface language; parsed once per language."""
    return _locale(language or get_language() or "en")


@cache
def _skeleton_pattern(locale: Locale, skeleton: str) -> DateTimePattern:
    skeletons = locale.datetime_skeletons
    if skeleton not in skeletons:
        skeleton = match_skeleton(skeleton, skeletons) or "yMMMd"
    return parse_pattern(skeletons[skeleton])


@cache
def _time_skeleton(locale: Locale) -> str:
    # The language's own clock: 24-hour where its short time pattern uses H, 12-hour with a day period
    # where it uses h.
    return "Hm" if "H" in locale.time_formats["short"].pattern else "hm"


@cache
def _full_patterns(locale: Locale) -> tuple[DateTimePattern, DateTimePattern]:
    # The title on hover: the full date, and the time with the zone's long name ("Central European
    # Standard Time"; the generic names read "Unknown Region" for UTC).
    time = _skeleton_pattern(locale, _time_skeleton(locale)).pattern + " zzzz"
    return locale.date_formats["full"], parse_pattern(time)


@lru_cache(maxsize=1024)
def _zone_name(locale: Locale, sample: dt.datetime) -> str:
    # Babel looks the zone's name up through its metazones on every call; a page shows few zones.
    return str(parse_pattern("zzzz").apply(sample, locale))


def _full_time(value: dt.datetime, locale: Locale, pattern: DateTimePattern) -> str:
    key = getattr(value.tzinfo, "key", None)
    if key is None:
        return str(pattern.apply(value, locale))
    # One name per zone, standard or summer time: keyed by a sample instant with the same offset.
    offset = value.utcoffset() or dt.timedelta(0)
    sample = dt.datetime(value.year, value.month, 1, tzinfo=value.tzinfo)
    if sample.utcoffset() != offset:
        sample = dt.datetime(value.year, value.month, value.day, value.hour, tzinfo=value.tzinfo)
    time = _pattern(locale, _time_skeleton(locale), value)
    return f"{time} {_zone_name(locale, sample)}"


@cache
def _glue(locale: Locale, width: str) -> str:
    return str(locale.datetime_formats[width])


def _local(value: dt.datetime, zone: dt.tzinfo | str | None) -> dt.datetime:
    if timezone.is_naive(value):
        return value
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return timezone.localtime(value, zone)


def _pattern(locale: Locale, skeleton: str, value: dt.date) -> str:
    return _skeleton_pattern(locale, skeleton).apply(value, locale)


@cache
def _now_word(locale: Locale) -> str | None:
    # CLDR's "now" ("maintenant", "الآن"); Babel has no public accessor for the relative date fields.
    try:
        return str(locale._data["date_fields"]["second"]["relative"][0])
    except (KeyError, TypeError):
        return None


# Babel's units and its default threshold: a delta is named in the largest unit it reaches 0.85 of.
_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("week", 7 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)
_THRESHOLD = 0.85


# (language, unit, count, direction) -> words. Babel's words depend on nothing else, so the first
# delta that rounds to "3 hours ago" names every other; bounded, as there are few such keys.
_relative_cache: dict[tuple[str, str, int, bool], str] = {}


def _relative(value: dt.datetime, now: dt.datetime, locale: Locale) -> str:
    delta = value - now
    if dt.timedelta(0) >= delta > -JUST_NOW:
        word = _now_word(locale)
        if word:
            return word
    seconds = delta.total_seconds()
    size = abs(seconds)
    for unit, unit_seconds in _UNITS:
        if size / unit_seconds >= _THRESHOLD:
            key = (str(locale), unit, max(1, round(size / unit_seconds)), seconds > 0)
            break
    else:
        return format_timedelta(delta, add_direction=True, locale=locale)
    words = _relative_cache.get(key)
    if words is None:
        words = format_timedelta(delta, add_direction=True, locale=locale)
        if len(_relative_cache) < 10_000:
            _relative_cache[key] = words
    return words


def relative(value: dt.datetime, *, now: dt.datetime | None = None, language: str | None = None) -> str:
    """ "3 hours ago", "in 2 days", "now", in the reader's language."""
    return _relative(value, now or timezone.now(), reader_locale(language))


def _words(value: dt.date, kind: str, locale: Locale, now: dt.datetime | None) -> str:
    # `value` is already on the clock shown.
    if isinstance(value, dt.datetime):
        if kind == "list":
            now = now or timezone.now()
            if abs(value - now) < RELATIVE_LIMIT:
                return _relative(value, now, locale)
        elif kind == "time":
            return _pattern(locale, _time_skeleton(locale), value)
        elif kind == "datetime":
            time = _pattern(locale, _time_skeleton(locale), value)
            day = _pattern(locale, "yMMMd", value)
            return _glue(locale, "medium").replace("{1}", day).replace("{0}", time)
        elif kind == "full":
            day_pattern, time_pattern = _full_patterns(locale)
            day, time = day_pattern.apply(value, locale), _full_time(value, locale, time_pattern)
            return _glue(locale, "full").replace("{1}", day).replace("{0}", time)
    elif kind == "time":
        return ""
    return _pattern(locale, _DATE_SKELETONS.get(kind, "yMMMd"), value)


def when_text(
    value: dt.date | dt.datetime | None,
    kind: str = "list",
    *,
    zone: dt.tzinfo | str | None = None,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> str:
    """`value` as the kind of place `kind` shows it, in the reader's language and zone ("" for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value, zone)
    return _words(value, kind, reader_locale(language), now)


def iso(value: dt.date | dt.datetime | None, *, zone: dt.tzinfo | str | None = None) -> str:
    """ISO 8601 for machines (`datetime` attributes): local to the zone shown, with its offset."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return _local(value, zone).isoformat(timespec="seconds")
    return value.isoformat()


def when_html(
    value: dt.date | dt.datetime | None,
    kind: str = "list",
    *,
    zone: dt.tzinfo | str | None = None,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> SafeString:
    """`<time datetime="ISO" title="the full date and time">` around `when_text(value, kind)`."""
    if value is None or value == "":
        return SafeString("")
    locale = reader_locale(language)
    if isinstance(value, dt.datetime):
        # One conversion to the zone shown serves the words, the title and the ISO form (a topic page
        # draws one per post).
        local = _local(value, zone)
        text = _words(local, kind, locale, now)
        title = _words(local, "full", locale, None)
        return SafeString(
            f'<time datetime="{local.isoformat(timespec="seconds")}" title="{escape(title)}">{escape(text)}</time>'
        )
    return SafeString(f'<time datetime="{value.isoformat()}">{escape(_words(value, kind, locale, now))}</time>')


def date_range(start: dt.date, end: dt.date, skeleton: str = "yMMMd", *, language: str | None = None) -> str:
    """ "Dec 7 – 13, 2026": a span of days with what the two ends share written once."""
    return format_interval(start, end, skeleton, locale=reader_locale(language))


def event_span(start: dt.datetime, end: dt.datetime, all_day: bool, *, language: str | None = None) -> str:
    """An event's date and times as given (already on the clock meant): "Mon, Dec 7, 2026, 6:00 – 8:00 PM"."""
    locale = reader_locale(language)
    if all_day:
        if start.date() == end.date():
            return _pattern(locale, "yMMMEd", start)
        return format_interval(start.date(), end.date(), "yMMMEd", locale=locale)
    hours = _time_skeleton(locale)
    if start.date() == end.date():
        day = _pattern(locale, "yMMMEd", start)
        times = format_interval(start.replace(tzinfo=None), end.replace(tzinfo=None), hours, locale=locale)
        return _glue(locale, "medium").replace("{1}", day).replace("{0}", times)
    glue = _glue(locale, "medium")
    first = glue.replace("{1}", _pattern(locale, "MMMEd", start)).replace("{0}", _pattern(locale, hours, start))
    last = glue.replace("{1}", _pattern(locale, "yMMMEd", end)).replace("{0}", _pattern(locale, hours, end))
    return f"{first} – {last}"


def weekday_name(day: dt.date, width: str = "abbreviated", *, language: str | None = None) -> str:
    """The day of the week as a calendar's column heading writes it ("Mon", "lundi")."""
    return str(reader_locale(language).days["stand-alone"][width][day.weekday()])


def first_weekday(language: str | None = None) -> int:
    """The first day of the week where the language is chiefly written (0 Monday … 6 Sunday)."""
    return int(reader_locale(language).first_week_day)


@cache
def _latin_digits(locale: Locale) -> bool:
    return bool(locale.default_numbering_system == "latn")


def number(value: int | float | None, *, language: str | None = None) -> str:
    """A count in the reader's digits and grouping ("12,34,567" in Hindi)."""
    if value is None or value == "":
        return ""
    locale = reader_locale(language)
    # Most counts in a list are small: below 1000 a whole number needs no grouping, and where the
    # language writes Latin digits it is written as Python writes it (Babel takes some 20 µs).
    if isinstance(value, int) and 0 <= value < 1000 and _latin_digits(locale):
        return str(value)
    return format_decimal(value, locale=locale)


# Counts up to this are written in full even where space is tight.
COMPACT_FROM = 10_000


def compact(value: int | float | None, *, language: str | None = None) -> str:
    """A count where the design is tight: in full up to 9,999, then "12K", "1.2M" in the reader's words."""
    if value is None or value == "":
        return ""
    if abs(value) < COMPACT_FROM:
        return number(value, language=language)
    return format_compact_decimal(value, locale=reader_locale(language), fraction_digits=1)


@cache
def _zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    from babel.core import get_global
    from babel.dates import get_timezone_location

    locale = reader_locale(language)
    territories = get_global("zone_territories")
    choices = []
    for name in sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}):
        territory = territories.get(name)
        if not territory or territory in ("001", "ZZ"):
            # UTC, Etc/GMT+5 and the like name no place: their name says what they are.
            choices.append((name, name.replace("_", " ")))
            continue
        city = get_timezone_location(name, locale=locale, return_city=True)
        country = locale.territories.get(territory, territory)
        label = city if city == country else f"{city} ({country})"
        choices.append((name, f"{label} · {name.replace('_', ' ')}"))
    return tuple(choices)


def zone_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(IANA name, "Kolkata (India) · Asia/Kolkata") for a time zone picker, in the reader's language,
    in the order of the names (so by region, as people look for them)."""
    return list(_zone_choices(language or get_language() or "en"))
