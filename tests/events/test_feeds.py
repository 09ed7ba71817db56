"""ICS that real clients read: parsed back with icalendar, expanded with recurring-ical-events and compared
with the dates the site shows; GeoJSON that validates; private events in neither."""

import json
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from django.test import TestCase

from agora.events import services
from agora.events.models import Occurrence
from tests import factories
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return list(cal.walk("VEVENT"))


@pytest.fixture
def series(organizer, events_category):
    """Weekly on Tuesdays at 18:00 in New York, across the US summer time change, with an EXDATE, a
    cancelled date, a moved date and a note."""
    event = make_event(
        organizer,
        events_category,
        title="Weekly Wikidata hour, New York",
        timezone="America/New_York",
        start_date="2027-02-23",
        start_time="18:00",
        end_time="19:30",
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=8",
        exdates=[date(2027, 3, 2)],
        venue="Mid-Manhattan Library",
        latitude=40.7523,
        longitude=-73.9817,
        online_url="https://meet.example.org/wd-hour",
        online_audience="attendees",
    )
    rows = list(event.occurrences.order_by("start_utc"))
    services.occurrence_update(user=organizer, occurrence=rows[2], cancelled=True, note="Room closed, sorry.")
    moved = rows[4]
    services.occurrence_update(
        user=organizer,
        occurrence=moved,
        cancelled=False,
        note="Thursday this time.",
        start=datetime.combine(moved.start_date + timedelta(days=2), moved.start_time),
    )
    event.refresh_from_db()
    return event


def site_dates(event) -> list[tuple[datetime, datetime]]:
    return [
        (o.start_utc, o.end_utc) for o in Occurrence.objects.filter(event=event, cancelled=False).order_by("start_utc")
    ]


def test_the_ics_of_a_series_expands_to_exactly_the_dates_the_site_shows(client, series, organizer):
    cal = parse(client.get(f"/events/{series.pk}.ics"))
    events = vevents(cal)
    master = next(e for e in events if "RRULE" in e)
    assert str(master["UID"]) == series.uid and master["SEQUENCE"] == series.sequence
    assert master["DTSTART"].dt.tzinfo is not None and str(master["DTSTART"].params["TZID"]) == "America/New_York"
    assert "DTSTAMP" in master
    assert [d.dt.date() for d in master["EXDATE"].dts] == [date(2027, 3, 2)]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert {str(e["UID"]) for e in overrides} == {series.uid}
    assert sorted(str(e["STATUS"]) for e in overrides) == ["CANCELLED", "CONFIRMED"]
    assert all(e["SEQUENCE"] >= 1 for e in overrides)
    # VTIMEZONE for the zone used, with its summer time rule.
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["America/New_York"] and zones[0].walk("DAYLIGHT")
    # Expanded by a real client library, minus cancelled ones: the site's dates, to the second.
    expanded = recurring_ical_events.of(cal).between(
        datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    )
    shown = sorted(
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in expanded
        if str(e.get("STATUS", "")) != "CANCELLED"
    )
    assert shown == site_dates(series)
    assert len(shown) == 6  # eight, less the EXDATE and the cancelled one
    # 18:00 local every week, across the change (the moved Thursday too).
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert {e["DTSTART"].dt.astimezone(new_york).hour for e in expanded} == {18}


def test_the_online_link_is_in_a_feed_only_for_those_who_may_see_it(client, client_for, series):
    body = client.get(f"/events/{series.pk}.ics").content.decode()
    assert "meet.example.org" not in body  # for the people going only
    attendee = factories.UserFactory(username="Going person", trust_level=1)
    occurrence = series.occurrences.filter(cancelled=False).order_by("start_utc").last()
    if occurrence.start_utc > datetime.now(UTC):
        services.event_rsvp(user=attendee, occurrence=occurrence, status="going")
        assert "meet.example.org/wd-hour" in client_for(attendee).get(f"/events/{series.pk}.ics").content.decode()


def test_all_day_events_have_an_exclusive_end_date(client, organizer, events_category):
    event = make_event(
        organizer,
        events_category,
        title="Two-day conference",
        all_day=True,
        start_date="2027-07-14",
        end_date="2027-07-15",
    )
    (component,) = vevents(parse(client.get(f"/events/{event.pk}.ics")))
    assert component["DTSTART"].dt == date(2027, 7, 14)
    assert component["DTEND"].dt == date(2027, 7, 16)
    assert component["DTSTART"].params.get("VALUE", "DATE") == "DATE"


def test_a_change_bumps_the_sequence_and_keeps_the_uid(client, organizer, events_category):
    event = make_event(organizer, events_category, start_date="2027-05-05")
    (before,) = vevents(parse(client.get(f"/events/{event.pk}.ics")))
    fields = services.EventFields(
        timezone=event.timezone,
        start_date=date(2027, 5, 6),
        end_date=date(2027, 5, 6),
        start_time=event.start_time,
        end_time=event.end_time,
        venue="A new room",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.event_update(user=organizer, event=event, title=event.topic.title, fields=fields)
    (after,) = vevents(parse(client.get(f"/events/{event.pk}.ics")))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["DTSTART"].dt.date() == date(2027, 5, 6) and "A new room" in str(after["LOCATION"])


def test_text_is_escaped_and_folded_and_no_email_is_ever_written(client, organizer, events_category):
    title = "Semicolons; commas, backslashes \\ and a very long title " + "that goes on and on " * 6
    event = make_event(organizer, events_category, title=title[:250], raw="Line one\n\nLine two, with; marks")
    attendee = factories.UserFactory(username="Mail owner", email="secret-attendee@example.org", trust_level=1)
    services.event_rsvp(user=attendee, occurrence=event.occurrences.get(), status="going")
    raw = client.get(f"/events/{event.pk}.ics").content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"Semicolons\\; commas\\, backslashes \\\\" in raw.replace(b"\r\n ", b"")
    assert b"@example.org" not in raw and b"mailto:" not in raw.lower()
    (component,) = vevents(icalendar.Calendar.from_ical(raw))
    assert str(component["SUMMARY"]) == title[:250].strip()


def test_private_events_are_in_no_public_feed_and_in_the_private_feed_of_who_may_see_them(
    client, client_for, organizer, events_category, staff, staff_category
):
    from agora.discuss.models import Category

    Category.objects.filter(pk=staff_category.pk).update(allows_events=True)
    staff_category.refresh_from_db()
    public = make_event(organizer, events_category, title="Open meetup")
    secret = make_event(staff, staff_category, title="LEAKMARKER staff retreat", latitude=10.0, longitude=10.0)
    for url in (
        "/events.ics",
        "/events.geojson",
        "/events?view=agenda",
        "/events/map",
        f"/c/{staff_category.slug}/events.ics",
    ):
        body = client.get(url).content.decode()
        assert "LEAKMARKER" not in body, url
    assert "Open meetup" in client.get("/events.ics").content.decode()
    assert client.get(f"/events/{secret.pk}.ics").status_code == 404
    # Staff's own private feed has it; after a reset the old link is gone.
    staff_client = client_for(staff)
    feed = staff_client.get("/events/my").context["feed_path"]
    assert "LEAKMARKER staff retreat" in client.get(feed).content.decode()
    staff_client.post("/events/my", {"action": "reset_feed"})
    assert client.get(feed).status_code == 404
    new_feed = staff_client.get("/events/my").context["feed_path"]
    assert new_feed != feed and client.get(new_feed).status_code == 200
    assert public.pk


def test_geojson_validates_with_longitude_first_and_in_range(client, organizer, events_category):
    make_event(organizer, events_category, title="Lyon", latitude=45.764, longitude=4.8357, start_date="2027-04-01")
    make_event(
        organizer,
        events_category,
        title="Online only",
        online_url="https://meet.example.org/o",
        start_date="2027-04-01",
    )
    response = client.get("/events.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) == (4.8357, 45.764)
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert feature["properties"]["title"] == "Lyon" and feature["properties"]["url"].startswith("/t/")
    # The same filters as the calendar.
    assert json.loads(client.get("/events.geojson?mode=online").content)["features"] == []
    assert len(json.loads(client.get("/events.geojson?country=").content)["features"]) == 1


def test_visitors_feeds_are_cached_until_any_write(client, organizer, events_category, settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    make_event(organizer, events_category, title="First cached")
    assert "First cached" in client.get("/events.ics").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_event(organizer, events_category, title="Second after a write")
    assert "Second after a write" in client.get("/events.ics").content.decode()


def test_one_events_data_never_breaks_a_shared_feed(client_for, organizer, events_category):
    """Rows written before the checks (or by hand): a COUNT outside int32, dates in the year 1. Every feed
    still answers, readable, with the other events in it."""
    from agora.events.models import Event

    soon = (datetime.now(UTC) + timedelta(days=5)).date()
    make_event(organizer, events_category, title="Innocent meetup", start_date=soon)
    huge = make_event(organizer, events_category, title="Huge count", start_date=soon, rrule="FREQ=WEEKLY;COUNT=3")
    Event.objects.filter(pk=huge.pk).update(rrule="FREQ=WEEKLY;COUNT=99999999999")
    ancient = make_event(organizer, events_category, title="Year one", start_date=soon, timezone="Asia/Tokyo")
    Event.objects.filter(pk=ancient.pk).update(start_date=date(1, 1, 2), end_date=date(1, 1, 2))
    Occurrence.objects.filter(event=ancient).update(
        start_date=date(1, 1, 2),
        end_date=date(1, 1, 2),
        start_utc=datetime(1, 1, 2, 9, tzinfo=UTC),
        end_utc=datetime(1, 1, 2, 11, tzinfo=UTC),
    )
    anon = client_for(None)
    for url in ("/events.ics", "/c/meetups/events.ics", "/events.ics?when=all", "/events.ics?when=past"):
        cal = parse(anon.get(url))
        titles = {str(e["SUMMARY"]) for e in vevents(cal)}
        assert "Huge count" not in titles and ("Innocent meetup" in titles or "past" in url), url
    assert parse(anon.get(f"/events/{huge.pk}.ics")) is not None
    assert parse(anon.get(f"/events/{ancient.pk}.ics")) is not None


@pytest.mark.parametrize(("new_rule", "later"), [("FREQ=WEEKLY;INTERVAL=2;COUNT=2", 0), ("FREQ=WEEKLY;COUNT=4", 1)])
def test_after_a_change_of_schedule_the_ics_still_expands_to_the_sites_dates(
    client, organizer, events_category, new_rule, later
):
    """Dates kept for their answers (cancelled, or moved to the new schedule) read right in a client."""
    from datetime import time

    start = date(2027, 2, 23)  # a Tuesday
    event = make_event(
        organizer, events_category, timezone="America/New_York", start_date=start, rrule="FREQ=WEEKLY;COUNT=4"
    )
    second = event.occurrences.order_by("start_utc")[1]
    goer = factories.UserFactory(username="Goer", trust_level=1)
    services.event_rsvp(user=goer, occurrence=second, status="going")
    fields = services.EventFields(
        timezone="America/New_York",
        start_date=start + timedelta(days=later),
        end_date=start + timedelta(days=later),
        start_time=time(18),
        end_time=time(20),
        rrule=new_rule,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        event = services.event_update(user=organizer, event=event, title=event.topic.title, fields=fields)
    cal = parse(client.get(f"/events/{event.pk}.ics"))
    expanded = recurring_ical_events.of(cal).between(
        datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    )
    shown = sorted(
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in expanded
        if str(e.get("STATUS", "")) != "CANCELLED"
    )
    assert shown == site_dates(event)


@pytest.mark.parametrize("zone", ["Europe/Paris", "Pacific/Kiritimati", "Pacific/Honolulu"])
def test_a_series_ending_on_a_date_keeps_that_days_meeting_on_the_site_and_in_calendars(
    client, organizer, events_category, zone
):
    """Weekly on Tuesdays at 18:00 "until Tuesday 26 March": the 26 March meeting is the last one, on the
    site and in a real client's expansion of the ICS (whose UNTIL is in UTC, as RFC 5545 wants)."""
    event = make_event(
        organizer,
        events_category,
        timezone=zone,
        start_date="2030-03-05",
        start_time="18:00",
        end_time="19:00",
        rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20300326",
    )
    local = zoneinfo.ZoneInfo(zone)
    site = [start.astimezone(local).date() for start, _end in site_dates(event)]
    assert site == [date(2030, 3, 5), date(2030, 3, 12), date(2030, 3, 19), date(2030, 3, 26)]
    master = next(e for e in vevents(parse(client.get(f"/events/{event.pk}.ics"))) if "RRULE" in e)
    assert master["RRULE"]["UNTIL"][0].tzinfo is not None  # in UTC beside a DTSTART with a zone
    expanded = recurring_ical_events.of(parse(client.get(f"/events/{event.pk}.ics"))).between(
        datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 12, 31, tzinfo=UTC)
    )
    assert sorted(e["DTSTART"].dt.astimezone(UTC) for e in expanded) == [s for s, _e in site_dates(event)]


@pytest.mark.parametrize(
    ("rule", "extra"),
    [
        ("FREQ=WEEKLY;BYDAY=WE;COUNT=3", {}),
        ("FREQ=WEEKLY;BYDAY=WE", {}),
        ("FREQ=MONTHLY;BYDAY=2TH", {}),
        ("FREQ=WEEKLY;BYDAY=WE;COUNT=4", {"all_day": True}),
        ("FREQ=WEEKLY;BYDAY=WE;COUNT=4", {"exdates": [date(2030, 3, 13)]}),  # the first real date skipped
    ],
)
def test_a_series_whose_first_day_is_not_one_of_its_dates_has_the_same_dates_in_calendars(
    client, organizer, events_category, rule, extra
):
    """Starting on a Tuesday, "weekly on Wednesdays": the site's dates are Wednesdays only; RFC 5545 makes
    DTSTART a date of the series (and counts it), so the calendar file starts the series on its first
    Wednesday, and a real client expands it to exactly the site's dates."""
    times = {} if extra.get("all_day") else {"start_time": "18:00", "end_time": "19:00"}
    event = make_event(organizer, events_category, start_date="2030-03-12", rrule=rule, **times, **extra)
    master = next(e for e in vevents(parse(client.get(f"/events/{event.pk}.ics"))) if "RRULE" in e)
    start = master["DTSTART"].dt
    # The rule's first date: the site's first, or a skipped date before it (an EXDATE may name DTSTART).
    first = min([event.occurrences.order_by("start_utc").first().start_date, *extra.get("exdates", [])])
    assert (start if extra.get("all_day") else start.date()) == first > date(2030, 3, 12)
    expanded = recurring_ical_events.of(parse(client.get(f"/events/{event.pk}.ics"))).between(
        datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 9, 1, tzinfo=UTC)
    )
    if extra.get("all_day"):
        shown_days = sorted(e["DTSTART"].dt for e in expanded)
        site_days = [o.start_date for o in event.occurrences.order_by("start_date")]
        assert shown_days == site_days == [date(2030, 3, 13), date(2030, 3, 20), date(2030, 3, 27), date(2030, 4, 3)]
        return
    shown = sorted((e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in expanded)
    assert shown == [d for d in site_dates(event) if d[0] < datetime(2030, 9, 1, tzinfo=UTC)]
    assert date(2030, 3, 12) not in {s.date() for s, _e in shown}
    if "exdates" in extra:
        assert [s.date() for s, _e in shown] == [date(2030, 3, 20), date(2030, 3, 27), date(2030, 4, 3)]
