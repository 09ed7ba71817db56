"""Time zones are exact: wall clock in the event's zone is the truth, across summer time changes, for
all-day events seen from the ends of the world, and in zones with half-hour offsets."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from agora.events import queries, recurrence, services
from agora.events.models import Occurrence
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_an_event_on_the_night_europe_changes_clocks_lasts_its_real_length(organizer, events_category):
    # 29 March 2026, Paris: 02:00 CET becomes 03:00 CEST. 01:00 to 04:00 on the wall is two real hours.
    event = make_event(organizer, events_category, start_date="2026-03-29", start_time="01:00", end_time="04:00")
    occurrence = event.occurrences.get()
    assert occurrence.start_utc == utc(2026, 3, 29, 0, 0)
    assert occurrence.end_utc == utc(2026, 3, 29, 2, 0)
    times = queries.occurrence_times(occurrence, "UTC")
    assert (times.start.hour, times.end.hour) == (0, 2)


def test_a_time_the_clocks_skip_reads_as_rfc_5545_says(organizer, events_category):
    # 02:30 does not exist in Paris that night: the offset before the gap applies (01:30 UTC, shown 03:30).
    event = make_event(organizer, events_category, start_date="2026-03-29", start_time="02:30", end_time="05:00")
    occurrence = event.occurrences.get()
    assert occurrence.start_utc == utc(2026, 3, 29, 1, 30)
    assert queries.occurrence_times(occurrence, "Europe/Paris").start.time() == time(3, 30)
    # And on the night clocks go back, 02:30 happens twice: the first one counts.
    autumn = make_event(organizer, events_category, start_date="2026-10-25", start_time="02:30", end_time="03:30")
    assert autumn.occurrences.get().start_utc == utc(2026, 10, 25, 0, 30)


def test_a_weekly_event_at_18_new_york_time_keeps_18_local_across_the_us_change(organizer, events_category):
    # The US changes on 8 March 2026; Europe three weeks later. Tuesdays at 18:00 in New York.
    event = make_event(
        organizer,
        events_category,
        timezone="America/New_York",
        start_date="2026-02-24",
        start_time="18:00",
        end_time="19:30",
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    )
    rows = list(event.occurrences.order_by("start_utc"))
    assert [o.start_date for o in rows] == [date(2026, 2, 24) + timedelta(weeks=i) for i in range(6)]
    assert all(o.start_time == time(18, 0) and o.end_time == time(19, 30) for o in rows)
    # EST (UTC-5) before the change, EDT (UTC-4) after: the UTC hour moves, the local one does not.
    assert [o.start_utc.hour for o in rows] == [23, 23, 22, 22, 22, 22]
    assert all(o.end_utc - o.start_utc == timedelta(minutes=90) for o in rows)
    for occurrence in rows:
        assert queries.occurrence_times(occurrence, "America/New_York").start.time() == time(18, 0)
    # Seen from Paris, where clocks have not changed yet, the gap is 5 hours for two weeks (not 6).
    paris = [queries.occurrence_times(o, "Europe/Paris").start.hour for o in rows]
    assert paris == [0, 0, 23, 23, 23, 0]


@pytest.mark.parametrize("viewer", ["Pacific/Honolulu", "Pacific/Kiritimati", "UTC", "Asia/Kolkata"])
def test_an_all_day_event_stays_on_its_date_from_utc_minus_10_to_utc_plus_14(organizer, events_category, viewer):
    event = make_event(
        organizer,
        events_category,
        timezone="Europe/Berlin",
        all_day=True,
        start_date="2026-07-14",
        end_date="2026-07-15",
    )
    occurrence = event.occurrences.get()
    times = queries.occurrence_times(occurrence, viewer)
    assert times.all_day and (times.start.date(), times.end.date()) == (date(2026, 7, 14), date(2026, 7, 15))
    assert queries.local_days(times) == [date(2026, 7, 14), date(2026, 7, 15)]
    # Placed in a viewer's month grid on those two days only.
    bounds = queries.zone_bounds(date(2026, 7, 13), date(2026, 7, 16), viewer)
    found = queries.range_occurrences(organizer, queries.Filters(when="all"), *bounds)
    by_day = queries.place_by_day(found, viewer, [date(2026, 7, d) for d in (13, 14, 15, 16)])
    assert [len(by_day[date(2026, 7, d)]) for d in (13, 14, 15, 16)] == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        ("Asia/Kolkata", utc(2026, 5, 1, 4, 0)),
        ("Asia/Kathmandu", utc(2026, 5, 1, 3, 45)),
        ("Australia/Adelaide", utc(2026, 5, 1, 0, 0)),
    ],
)
def test_an_event_in_a_zone_with_a_half_hour_offset(organizer, events_category, zone, expected_utc):
    # 09:30 local: Kolkata is UTC+5:30, Kathmandu +5:45, Adelaide +9:30 in May (no summer time then).
    event = make_event(
        organizer, events_category, timezone=zone, start_date="2026-05-01", start_time="09:30", end_time="11:00"
    )
    occurrence = event.occurrences.get()
    assert occurrence.start_utc == expected_utc
    times = queries.occurrence_times(occurrence, "Europe/London")
    assert times.event_start.time() == time(9, 30) and not times.same_zone


def test_utc_is_recomputed_from_the_wall_clock_when_zone_data_changes(organizer, events_category):
    event = make_event(organizer, events_category, start_date="2026-06-10", rrule="FREQ=DAILY;COUNT=3")
    # As if the rows were written under older zone rules that put Paris one hour off.
    Occurrence.objects.filter(event=event).update(start_utc=utc(2000, 1, 1), end_utc=utc(2000, 1, 1, 2))
    assert services.occurrences_recompute_utc() == 3
    assert [o.start_utc for o in event.occurrences.order_by("start_utc")] == [
        utc(2026, 6, 10, 16),
        utc(2026, 6, 11, 16),
        utc(2026, 6, 12, 16),
    ]
    assert services.occurrences_recompute_utc() == 0  # nothing left to fix


def test_an_unknown_time_zone_is_refused_with_a_clear_message_and_nothing_is_made(organizer, events_category):
    with pytest.raises(ValidationError) as caught:
        make_event(organizer, events_category, title="Nowhere meetup", timezone="Mars/Olympus_Mons")
    assert "Unknown time zone" in str(caught.value)
    from agora.discuss.models import Topic

    assert not Topic.objects.filter(title="Nowhere meetup").exists()


def test_expansion_of_a_rule_without_end_is_bounded(organizer, events_category, settings):
    settings.AGORA_EVENT_HORIZON_DAYS = 60
    event = make_event(organizer, events_category, start_date="2026-01-01", rrule="FREQ=DAILY")
    count = event.occurrences.count()
    first = event.occurrences.order_by("start_utc").first().start_utc
    last = event.occurrences.order_by("start_utc").last().start_utc
    assert not event.rule_exhausted and last - max(first, datetime.now(UTC)) <= timedelta(days=61)
    settings.AGORA_EVENT_MAX_OCCURRENCES = 10
    capped = make_event(organizer, events_category, title="Capped forever", start_date="2026-01-01", rrule="FREQ=DAILY")
    now = datetime.now(UTC)
    # The cap counts coming dates (past ones reach back as far as the horizon ahead: 60 days here).
    assert capped.occurrences.filter(start_utc__gt=now).count() == 10 and count >= 10
    assert capped.occurrences.filter(start_utc__lte=now).count() <= 61
    assert capped.materialized_until < now + timedelta(days=11)  # so the worker writes more as they come


@pytest.mark.parametrize(("rule", "years"), [("FREQ=DAILY", 1.7), ("FREQ=WEEKLY;BYDAY=MO,TH", 5)])
def test_a_rule_without_end_keeps_its_coming_dates_however_long_it_has_run(
    organizer, events_category, settings, rule, years
):
    """500 dates after its first one, a series 'forever' still has its dates up to the horizon."""
    horizon = timedelta(days=settings.AGORA_EVENT_HORIZON_DAYS)
    start = datetime.now(UTC).date() + timedelta(days=1)
    event = make_event(organizer, events_category, start_date=start.isoformat(), rrule=rule)
    later = datetime.now(UTC) + timedelta(days=int(365 * years))
    assert services.occurrences_extend_due(now=later) == 1
    event.refresh_from_db()
    coming = event.occurrences.filter(start_utc__gt=later).order_by("start_utc")
    assert coming.count() >= (horizon.days - 7) * (1 if rule == "FREQ=DAILY" else 2 / 7)
    assert coming.last().start_utc > later + horizon - timedelta(days=7)
    assert not event.rule_exhausted and event.materialized_until >= later + horizon - timedelta(days=1)
    assert services.occurrences_extend_due(now=later) == 0  # written that far: not due again today
    # Its history stays: the first dates were written once and are kept.
    assert event.occurrences.filter(start_date__lt=start + timedelta(days=7)).exists()


def test_the_worker_extends_recurring_events_up_to_the_horizon_and_is_safe_twice(organizer, events_category, settings):
    settings.AGORA_EVENT_HORIZON_DAYS = 30
    today = datetime.now(UTC).date()
    event = make_event(organizer, events_category, start_date=today.isoformat(), rrule="FREQ=WEEKLY")
    before = event.occurrences.count()
    later = datetime.now(UTC) + timedelta(days=60)
    assert services.occurrences_extend_due(now=later) == 1
    after = event.occurrences.count()
    assert after > before
    assert services.occurrences_extend_due(now=later) == 0  # already written that far
    assert event.occurrences.count() == after


def test_rules_in_words_and_back(organizer):
    start = date(2026, 3, 10)  # the second Tuesday of March
    spec = recurrence.RuleSpec(frequency="MONTHLY", monthly_by="weekday", count=5)
    value = recurrence.build_rrule(spec, start)
    assert value == "FREQ=MONTHLY;BYDAY=2TU;COUNT=5"
    assert recurrence.parse_rrule(value, start).monthly_by == "weekday"
    assert "second" in recurrence.describe_rrule(value, start)
    weekly = recurrence.build_rrule(recurrence.RuleSpec(frequency="WEEKLY", interval=2, weekdays=("TU", "TH")), start)
    assert weekly == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"
    with pytest.raises(recurrence.RuleError):
        recurrence.check_rrule("FREQ=MINUTELY", datetime(2026, 1, 1))
    with pytest.raises(recurrence.RuleError):
        recurrence.check_rrule("FREQ=WEEKLY;BYDAY=XX", datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=DAILY;INTERVAL=0", "every 1 to 99"),
        ("FREQ=WEEKLY;INTERVAL=100", "every 1 to 99"),
        ("FREQ=WEEKLY;COUNT=99999999999", "1 to 999 times"),
        ("FREQ=WEEKLY;COUNT=1000", "1 to 999 times"),
        ("FREQ=WEEKLY;COUNT=0", "1 to 999 times"),
        ("FREQ=DAILY;BYEASTER=0", "BYEASTER is not a part"),
        ("FREQ=DAILY;X-NAME=1", "X-NAME is not a part"),
        ("FREQ=DAILY;BYHOUR=9,18", "once a day at most"),
        (
            "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,15,30,45",
            "once a day",
        ),
        ("FREQ=WEEKLY;BYSECOND=1", "once a day at most"),
        ("FREQ=HOURLY", "daily, weekly, monthly or yearly"),
        ("BYDAY=MO", "FREQ="),
        ("FREQ=WEEKLY;FREQ=DAILY", "FREQ twice"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20300101", "not both"),
        ("FREQ=WEEKLY;UNTIL=20300101T000000Z", "not in UTC"),
        ("FREQ=WEEKLY;UNTIL=99991231", "between the years 1900 and 2200"),
        ("FREQ=WEEKLY;UNTIL=20200101", "cannot end before"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY takes numbers"),
        ("FREQ=MONTHLY;BYMONTHDAY=99999999999", "BYMONTHDAY takes numbers"),
        ("FREQ=YEARLY;BYSETPOS=0;BYDAY=MO", "BYSETPOS takes numbers"),
        ("FREQ=WEEKLY;BYDAY=2TU", "monthly or yearly"),
        ("FREQ=MONTHLY;BYDAY=6TU", "BYDAY=6TU is not valid"),
        ("FREQ=MONTHLY;BYWEEKNO=3", "for yearly repeats"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "not for weekly"),
        ("FREQ=DAILY;BYSETPOS=1;BYDAY=MO", "BYSETPOS picks"),
        ("FREQ=WEEKLY;WKST=XX", "WKST takes a day"),
        # Rules that give no date: refused after a bounded search, not a walk to the year 9999.
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no date in the 5 years"),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "no date in the 5 years"),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", "no date in the 5 years"),  # every 7 days from a Tuesday
    ],
)
def test_a_typed_rule_is_checked_fully_with_a_clear_message(rule, message):
    with pytest.raises(recurrence.RuleError, match=message):
        recurrence.check_rrule(rule, datetime(2030, 3, 12, 18))  # a Tuesday


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6",
        "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20300601",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    ],
)
def test_expert_rules_are_kept(rule):
    assert recurrence.check_rrule(f" rrule:{rule.lower()} ", datetime(2030, 3, 12, 18)) == rule


def test_an_impossible_rule_costs_a_bounded_walk_not_one_to_the_year_9999(
    organizer, events_category, client_for, monkeypatch
):
    """dateutil walks period by period until it finds a date: count the periods it builds while the form
    refuses a rule that matches no day. Unbounded, that is every day to the year 9999 (about 2.9 million);
    bounded, a few hundred years of weeks at most."""
    from dateutil import rrule as dateutil_rrule

    periods = 0
    for name in ("ydayset", "mdayset", "wdayset", "ddayset"):
        original = getattr(dateutil_rrule._iterinfo, name)

        def counting(self, *args, _original=original):
            nonlocal periods
            periods += 1
            return _original(self, *args)

        monkeypatch.setattr(dateutil_rrule._iterinfo, name, counting)
    response = client_for(organizer).post(
        "/events/new",
        {
            "title": "Every 30 February",
            "category": events_category.pk,
            "raw": "Never.",
            "start_date": "2030-03-12",
            "start_time": "18:00",
            "end_date": "2030-03-12",
            "end_time": "20:00",
            "timezone": "Europe/Paris",
            "online_audience": "everyone",
            "status": "confirmed",
            "attendees_visibility": "everyone",
            "rrule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        },
    )
    assert response.status_code == 400 and "no date in the 5 years" in response.content.decode()
    assert 0 < periods < 25_000


def test_a_bounded_expansion_gives_exactly_dateutils_dates():
    """The bounded walk (a later start for rules without COUNT, 400-year cycles, daily rules stepped by
    weeks) gives the dates dateutil gives, whatever the window."""
    import random

    from dateutil.rrule import rrulestr

    rules = [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3;BYMONTH=2,3",
        "FREQ=DAILY;BYDAY=MO,WE",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,MO",
        "FREQ=MONTHLY;INTERVAL=5",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;INTERVAL=7",
        "FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=30",
        "FREQ=MONTHLY;UNTIL=20400101",
    ]
    rng = random.Random(6)
    for rule in rules:
        for _ in range(12):
            start = datetime(rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28), rng.choice([0, 18]))
            since = start + timedelta(days=rng.randint(-10, 4000))
            until = since + timedelta(days=rng.randint(0, 900))
            expected = rrulestr(f"RRULE:{rule}", dtstart=start).between(max(since, start), until, inc=True)
            walls, _exhausted = recurrence.rule_walls(rule, start, since=since, until=until, limit=10_000)
            assert walls == expected, (rule, start, since, until)
