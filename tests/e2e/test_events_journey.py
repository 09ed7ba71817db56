"""Events in a real browser, with JavaScript and without: a member creates an in-person one-off event and
an online weekly event, finds both in the month, week and agenda views and on the map (whose list stays
when tiles fail), RSVPs, joins the waiting list of a full event and is promoted, and subscribes to the ICS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from agora.events import services
from agora.events.models import RSVP, Event
from tests import factories
from tests.e2e.helpers import log_in, verified_user
from tests.events.conftest import make_event

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_creating_finding_answering_and_subscribing(js, site, open_context, settings):
    # Tiles from the test server itself (any image will do); the geocoder is off: coordinates are typed.
    settings.AGORA_MAP_TILES_URL = f"{site}/static/agora/favicon.svg?{{z}}/{{x}}/{{y}}"
    category = factories.make_category("Meetups", slug="meetups", allows_events=True)
    member = verified_user(username="Ines Organiser", email="ines@example.org", trust_level=2, timezone="Europe/Lisbon")
    day = (datetime.now(UTC) + timedelta(days=9)).date()
    context = open_context(javascript=js)
    page = context.new_page()
    log_in(page, site, member.username)

    # An in-person one-off event.
    page.goto(f"{site}/events/new?category=meetups")
    page.fill("#id_title", "Lisbon photo walk")
    page.fill("#id_raw", "We photograph tiles and trams for Commons.")
    page.fill("#id_start_date", day.isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_date", day.isoformat())
    page.fill("#id_end_time", "13:00")
    assert page.input_value("#id_timezone") == "Europe/Lisbon"  # the creator's zone by default
    page.fill("#id_venue", "Praça do Comércio")
    page.select_option("#id_country", "PT")
    page.fill("#id_latitude", "38.7075")
    page.fill("#id_longitude", "-9.1364")
    _submit(page, "#event-submit")
    walk = Event.objects.get(topic__title="Lisbon photo walk")
    assert page.url.endswith(walk.topic.get_absolute_url())
    assert "Praça do Comércio" in page.inner_text("#event")

    # An online weekly event, every Wednesday, four times.
    page.goto(f"{site}/events/new?category=meetups")
    page.fill("#id_title", "Online Wikidata hour")
    page.fill("#id_raw", "Questions about Wikidata, every Wednesday.")
    page.fill("#id_start_date", day.isoformat())
    page.fill("#id_start_time", "18:00")
    page.fill("#id_end_date", day.isoformat())
    page.fill("#id_end_time", "19:00")
    page.fill("#id_timezone", "UTC")
    page.fill("#id_online_url", "https://meet.example.org/wikidata-hour")
    # With JavaScript, the parts of a rule show once it repeats; without, they are always there.
    assert page.is_visible("#id_weekdays") is not js
    page.select_option("#id_frequency", "WEEKLY")
    assert page.is_visible("#id_weekdays")
    page.check("#id_weekdays input[value=WE]")
    page.check("#id_ends input[value=count]")
    page.fill("#id_count", "4")
    _submit(page, "#event-submit")
    hour = Event.objects.get(topic__title="Online Wikidata hour")
    assert hour.rrule == "FREQ=WEEKLY;BYDAY=WE;COUNT=4" and hour.occurrences.count() == 4

    # Both in the month, week and agenda views, and on the map page.
    for url in (f"/events?date={day}", f"/events?view=week&date={day}", "/events?view=agenda"):
        page.goto(f"{site}{url}")
        text = page.inner_text("main")
        assert "Lisbon photo walk" in text, url
        if url.endswith("agenda"):
            assert "Online Wikidata hour" in text
    page.goto(f"{site}/events?view=agenda&mode=online")
    assert "Online Wikidata hour" in page.inner_text("main") and "Lisbon photo walk" not in page.inner_text("main")
    page.goto(f"{site}/events/map")
    assert "Lisbon photo walk" in page.inner_text(".map-lists")
    assert "Online Wikidata hour" in page.inner_text(".map-lists")
    if js:
        page.wait_for_selector("#event-map[data-markers='1']")
        assert page.locator("#event-map .leaflet-marker-icon").count() == 1
        assert not page.is_visible(".map-fallback")
    else:
        assert page.is_visible(".map-fallback")

    # Someone else RSVPs to the walk.
    guest = verified_user(username="Guest Goer", email="guest@example.org", trust_level=1)
    other = open_context(javascript=js).new_page()
    log_in(other, site, guest.username)
    other.goto(f"{site}{walk.topic.get_absolute_url()}")
    _submit(other, "#rsvp button[value=going]")
    assert "You are going." in other.inner_text("body")
    assert RSVP.objects.get(user=guest).status == "going"

    # A full event: the member joins its waiting list and is promoted when a place frees up.
    host = factories.UserFactory(username="Full host", trust_level=2)
    full = make_event(host, category, title="Tiny workshop", start_date=day.isoformat(), capacity=1)
    occurrence = full.occurrences.get()
    services.event_rsvp(user=guest, occurrence=occurrence, status="going")
    page.goto(f"{site}{full.topic.get_absolute_url()}")
    assert "1 of 1 taken" in page.inner_text("#event")
    _submit(page, "#rsvp button[value=going]")
    assert "waiting list" in page.inner_text("body")
    assert RSVP.objects.get(user=member, occurrence=occurrence).status == "waitlisted"
    other.goto(f"{site}{full.topic.get_absolute_url()}")
    _submit(other, "#rsvp button[value=not_going]")
    assert RSVP.objects.get(user=member, occurrence=occurrence).status == "going"
    page.goto(f"{site}/notifications")
    assert "has a place for you now" in page.inner_text("main")

    # Subscribe: the webcal link's calendar holds both events, as a calendar app reads it.
    page.goto(f"{site}/events")
    webcal = page.get_attribute("a.subscribe", "href")
    assert webcal.startswith("webcal://")
    response = page.request.get("http://" + webcal.removeprefix("webcal://"))
    calendar = icalendar.Calendar.from_ical(response.body())
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert {"Lisbon photo walk", "Online Wikidata hour", "Tiny workshop"} <= titles

    for ctx in (context, other.context):
        ctx.probe.assert_clean()


def test_the_map_still_lists_events_when_tiles_cannot_load(site, open_context, settings):
    settings.AGORA_MAP_TILES_URL = "https://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    # The policy allows the tile host (settings add it at start-up; here, by hand), so what fails is the
    # connection, not the Content-Security-Policy.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], "https://127.0.0.1:9"]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    category = factories.make_category("Meetups", slug="meetups", allows_events=True)
    host = factories.UserFactory(username="Map host", trust_level=2)
    day = (datetime.now(UTC) + timedelta(days=4)).date().isoformat()
    make_event(host, category, title="Porto meetup", start_date=day, latitude=41.15, longitude=-8.61, venue="Ribeira")
    context = open_context(javascript=True)
    context.probe.allow("Failed to load resource", "ERR_CONNECTION_REFUSED")
    page = context.new_page()
    page.goto(f"{site}/events/map")
    page.wait_for_selector("#event-map[data-markers='1']")
    assert "Porto meetup" in page.inner_text(".map-lists")
    context.probe.assert_clean()
