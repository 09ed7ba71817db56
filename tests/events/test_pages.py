"""Event pages: the form (create, edit, bad input kept), the event box, calendars and filters, organizer
tools, and that outsiders get 404 on what they may not see."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from agora.discuss.models import Category, Topic
from agora.events.models import RSVP, Event
from tests import factories
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def future(days=10) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def form_data(category, **changes):
    data = {
        "title": "Wikipedia meetup in Lyon",
        "category": str(category.pk),
        "raw": "Come and edit with us.",
        "languages": ["fr"],
        "start_date": future(),
        "start_time": "18:00",
        "end_date": future(),
        "end_time": "20:00",
        "timezone": "Europe/Paris",
        "online_audience": "everyone",
        "status": "confirmed",
        "attendees_visibility": "everyone",
        "waitlist": "on",
        "venue": "Café de la Paix",
        "country": "FR",
        "latitude": "45.764",
        "longitude": "4.8357",
    }
    data.update(changes)
    return data


@pytest.fixture
def organizer_client(client_for, organizer):
    return client_for(organizer)


def test_a_member_creates_an_in_person_event_and_finds_it_everywhere(organizer_client, events_category, client_for):
    response = organizer_client.post("/events/new", form_data(events_category))
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == event.topic.get_absolute_url()
    page = client_for(None).get(event.topic.get_absolute_url()).content.decode()
    assert "Café de la Paix" in page and "Europe/Paris" in page and "France" in page
    day = datetime.fromisoformat(future())
    anon = client_for(None)
    for url in (
        f"/events?date={future()}",
        f"/events?view=week&date={future()}",
        "/events?view=agenda",
        "/events/map",
        "/c/meetups/events?view=agenda",
        "/latest",  # the sidebar
    ):
        assert "Wikipedia meetup in Lyon" in anon.get(url).content.decode(), url
    assert day


def test_an_online_weekly_event_from_the_form_builds_its_rule(organizer_client, events_category):
    data = form_data(
        events_category,
        title="Online office hours",
        venue="",
        country="",
        latitude="",
        longitude="",
        online_url="https://meet.example.org/hours",
        frequency="WEEKLY",
        interval="1",
        weekdays=["WE"],
        ends="count",
        count="6",
    )
    assert organizer_client.post("/events/new", data).status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;BYDAY=WE;COUNT=6" and event.occurrences.count() == 6
    assert event.online and not event.has_place


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": future(5)}, "cannot end before it starts"),
        ({"end_time": "17:00"}, "cannot end before it starts"),
        ({"timezone": "Moon/Tranquility"}, "Unknown time zone"),
        ({"latitude": "91"}, "between -90 and 90"),
        ({"capacity": "-1"}, "at least 1"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=NOPE"}, "not valid"),
        ({"frequency": "WEEKLY", "ends": "until", "until": ""}, "last date"),
        # Huge values: dates near year 1 or 9999 (in any zone), never a 500.
        ({"start_date": "9999-12-30", "end_date": "9999-12-30"}, "between the years 1900 and 2200"),
        ({"start_date": "9999-12-30", "end_date": "9999-12-30", "all_day": "on"}, "between the years 1900 and 2200"),
        ({"start_date": "0001-01-01", "end_date": "0001-01-01"}, "between the years 1900 and 2200"),
        ({"registration_deadline": "0001-01-01T00:00"}, "between the years 1900 and 2200"),
        (
            {"registration_deadline": "9999-12-31T23:59", "timezone": "Pacific/Kiritimati"},
            "between the years 1900 and 2200",
        ),
        ({"frequency": "WEEKLY", "ends": "until", "until": "9999-12-31"}, "between the years 1900 and 2200"),
        ({"exdates": "0001-01-01"}, "between the years 1900 and 2200"),
        ({"rrule": "FREQ=WEEKLY;COUNT=99999999999"}, "1 to 999 times"),
        ({"rrule": "FREQ=DAILY;INTERVAL=0"}, "every 1 to 99"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_the_text_and_makes_nothing(
    organizer_client, events_category, changes, message
):
    response = organizer_client.post("/events/new", form_data(events_category, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'value="Wikipedia meetup in Lyon"' in body and "Come and edit with us." in body
    assert not Topic.objects.filter(title="Wikipedia meetup in Lyon").exists()


def test_the_form_offers_only_categories_that_allow_events(organizer_client, events_category, public_category):
    form = organizer_client.get("/events/new").context["form"]
    assert list(form.fields["category"].queryset) == [events_category]
    response = organizer_client.post("/events/new", form_data(public_category))
    assert response.status_code == 400 and not Event.objects.exists()


def test_below_the_trust_level_the_form_is_refused(client_for, events_category, settings):
    settings.AGORA_EVENT_MIN_TRUST_LEVEL = 2
    newcomer = factories.UserFactory(username="New person", trust_level=1)
    assert client_for(newcomer).get("/events/new").status_code == 403
    assert client_for(None).get("/events/new").status_code == 302


def test_editing_time_and_place_tells_attendees(
    organizer_client, organizer, events_category, client_for, django_capture_on_commit_callbacks
):
    event = make_event(organizer, events_category, start_date=future())
    person = factories.UserFactory(username="Attendee", trust_level=1)
    attendee = client_for(person)
    occurrence = event.occurrences.get()
    assert attendee.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"}).status_code == 302
    form = organizer_client.get(f"/events/{event.pk}/edit").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(venue="A bigger room", start_time="19:00", end_time="21:00", waitlist="on")
    data["start_date"] = data["end_date"] = future()
    data["languages"] = []
    data.pop("group", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(f"/events/{event.pk}/edit", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    event.refresh_from_db()
    assert event.venue == "A bigger room" and event.sequence == 1
    notifications = attendee.get("/notifications").content.decode()
    assert "changed the time or place" in notifications
    assert RSVP.objects.get(user=person).occurrence.start_time.hour == 19


def test_rsvp_and_the_waiting_list_through_the_page(organizer, events_category, client_for):
    event = make_event(organizer, events_category, start_date=future(), capacity=1)
    occurrence = event.occurrences.get()
    first, second = (client_for(factories.UserFactory(username=n, trust_level=1)) for n in ("First", "Second"))
    first.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"})
    page = second.get(f"{event.topic.get_absolute_url()}?occurrence={occurrence.pk}").content.decode()
    assert "Join the waiting list" in page and "1 of 1 taken" in page
    response = second.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"}, follow=True)
    assert "waiting list" in response.content.decode()
    first.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "not_going"})
    assert RSVP.objects.get(user__username="Second").status == "going"


def test_the_answer_given_is_the_one_button_drawn_pressed(organizer, events_category, client_for):
    """Before answering, "Going" invites; after, the chosen answer is the filled button, and only it."""
    event = make_event(organizer, events_category, start_date=future())
    occurrence = event.occurrences.get()
    reader = client_for(factories.UserFactory(username="Reader", trust_level=1))
    url = f"{event.topic.get_absolute_url()}?occurrence={occurrence.pk}"

    def filled() -> list[str]:
        page = reader.get(url).content.decode()
        return re.findall(r'name="status" value="(\w+)" class="[^"]*primary', page)

    assert filled() == ["going"]
    reader.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "interested"})
    assert filled() == ["interested"]


def test_organizer_tools_export_message_and_change_a_date(organizer_client, organizer, events_category, client_for):
    event = make_event(organizer, events_category, start_date=future(), rrule="FREQ=WEEKLY;COUNT=2")
    occurrence = event.occurrences.order_by("start_utc").first()
    person = factories.UserFactory(username="=HYPERLINK(evil)", trust_level=1)
    client_for(person).post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"})
    response = organizer_client.get(f"/events/{event.pk}/attendees.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][2] == "username" and rows[1][2] == "'=HYPERLINK(evil)" and rows[1][4] == "going"
    assert "@" not in response.content.decode()
    response = organizer_client.post(f"/events/{event.pk}/message", {"subject": "Hello", "body": "See you there."})
    assert response.status_code == 302
    edit = organizer_client.post(
        f"/events/date/{occurrence.pk}/edit",
        {
            "cancelled": "on",
            "start_date": occurrence.start_date,
            "start_time": "18:00",
            "end_date": occurrence.end_date,
            "end_time": "20:00",
            "note": "Cancelled: the room flooded.",
        },
    )
    assert edit.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.cancelled and "flooded" in occurrence.note
    # Someone going is no organizer.
    for url in (f"/events/{event.pk}/edit", f"/events/{event.pk}/attendees.csv", f"/events/date/{occurrence.pk}/edit"):
        assert client_for(person).get(url).status_code == 403


def test_outsiders_get_404_on_every_page_of_a_private_event(staff, staff_category, client_for, outsider):
    Category.objects.filter(pk=staff_category.pk).update(allows_events=True)
    event = make_event(staff, staff_category, title="Staff retreat", start_date=future())
    occurrence = event.occurrences.get()
    urls = [
        f"/events/{event.pk}.ics",
        f"/events/{event.pk}/edit",
        f"/events/{event.pk}/attendees.csv",
        f"/events/{event.pk}/message",
        f"/events/date/{occurrence.pk}/edit",
        event.topic.get_absolute_url(),
        f"/c/{staff_category.slug}/events",
    ]
    for client in (client_for(None), client_for(outsider)):
        for url in urls:
            status = client.get(url).status_code
            assert status in (404, 302), url  # a visitor may be sent to log in first, never shown it
        assert client.post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"}).status_code in (404, 302)
    assert client_for(outsider).get(f"/events/{event.pk}.ics").status_code == 404
    assert not RSVP.objects.exists()
    assert client_for(staff).get(f"/events/{event.pk}.ics").status_code == 200


def test_unlisted_events_are_reached_by_link_only(organizer, events_category, client_for):
    event = make_event(organizer, events_category, title="Quiet gathering", start_date=future(), unlisted=True)
    anon = client_for(None)
    assert "Quiet gathering" in anon.get(event.topic.get_absolute_url()).content.decode()
    for url in ("/events?view=agenda", "/events.ics", "/events.geojson", "/events/map", "/latest"):
        assert "Quiet gathering" not in anon.get(url).content.decode(), url


def test_filters_narrow_the_calendar(organizer, events_category, client_for):
    make_event(
        organizer,
        events_category,
        title="Berlin walk",
        start_date=future(),
        country="DE",
        venue="Tor",
        languages=["de"],
    )
    make_event(
        organizer, events_category, title="Online hour", start_date=future(), online_url="https://x.example.org/"
    )
    anon = client_for(None)

    def titles(query):
        return {o.event.topic.title for o in anon.get(f"/events?view=agenda&{query}").context["occurrences"]}

    assert titles("") == {"Berlin walk", "Online hour"}
    assert titles("country=DE") == {"Berlin walk"}
    assert titles("language=de") == {"Berlin walk"}
    assert titles("mode=online") == {"Online hour"}
    assert titles("mode=in_person") == {"Berlin walk"}
    assert titles("category=no-such-category") == set()
    assert titles("when=past") == set()


def test_the_viewers_zone_and_the_week_start_of_their_locale(organizer, events_category, client_for):
    make_event(
        organizer, events_category, start_date="2027-03-10", timezone="Asia/Tokyo", start_time="09:00", end_time="10:00"
    )
    anon = client_for(None)
    response = anon.get("/events?view=week&date=2027-03-10&tz=America/Los_Angeles")
    assert response.cookies["agora_tz"].value == "America/Los_Angeles"
    (_day, items), *_ = [(d, i) for d, i in response.context["week_days"] if i]
    assert items[0].times.start.hour == 16 and items[0].times.start.day == 9  # the day before, in Los Angeles
    assert "Asia/Tokyo" in response.content.decode()
    english = anon.get("/events?date=2027-03-10").context["weeks"][0][0][0]
    french = anon.get("/events?date=2027-03-10", headers={"Accept-Language": "fr"}).context["weeks"][0][0][0]
    assert english.weekday() == 6 and french.weekday() == 0  # Sunday for English, Monday for French
    assert anon.get("/events?date=not-a-date").status_code == 200
    assert anon.get("/events?view=agenda&page=abc").status_code == 404


@pytest.mark.parametrize(
    ("km", "shown"),
    [("nan", 100), ("inf", 100), ("-inf", 100), ("1e999", 100), ("abc", 100), ("-5", 1), ("99999", 2000), ("25", 25)],
)
def test_near_me_takes_any_distance_without_a_500(organizer, events_category, client_for, member, km, shown):
    from agora.events import services

    make_event(
        organizer, events_category, title="Lyon edit-a-thon", start_date=future(), latitude=45.76, longitude=4.83
    )
    services.member_location_set(user=member, city="Lyon", latitude=45.76, longitude=4.83, show_on_map=False)
    response = client_for(member).get("/events/near", {"km": km})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"within {shown} km of Lyon" in body and "Lyon edit-a-thon" in body


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_moving_a_date_out_of_range_is_a_clear_message_and_changes_nothing(
    organizer_client, organizer, events_category, day
):
    event = make_event(organizer, events_category, start_date=future())
    occurrence = event.occurrences.get()
    before = (occurrence.start_utc, occurrence.end_utc, occurrence.sequence)
    response = organizer_client.post(
        f"/events/date/{occurrence.pk}/edit",
        {"start_date": day, "start_time": "00:00", "end_date": day, "end_time": "23:00", "note": "Kept note"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "between the years 1900 and 2200" in body and "Kept note" in body
    occurrence.refresh_from_db()
    assert (occurrence.start_utc, occurrence.end_utc, occurrence.sequence) == before and not occurrence.note


def test_the_organizer_is_told_what_a_new_schedule_did_to_answered_dates(
    organizer_client, organizer, events_category, client_for
):
    event = make_event(organizer, events_category, start_date=future(), rrule="FREQ=WEEKLY;COUNT=4")
    second = event.occurrences.order_by("start_utc")[1]
    person = factories.UserFactory(username="Attendee", trust_level=1)
    client_for(person).post(f"/events/date/{second.pk}/rsvp", {"status": "going"})
    form = organizer_client.get(f"/events/{event.pk}/edit").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "", False)}
    data.update(waitlist="on", ends="count", count="2", interval="2", languages=[])
    data.pop("group", None)
    response = organizer_client.post(f"/events/{event.pk}/edit", data, follow=True)
    assert response.status_code == 200
    assert "1 date that people had answered is not in the new schedule" in response.content.decode()
    second.refresh_from_db()
    assert second.cancelled and RSVP.objects.get(user=person).occurrence_id == second.pk


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6", 3),  # the last weekday of the month
        ("FREQ=WEEKLY", 3),  # no BYDAY: the first date's weekday
        ("FREQ=MONTHLY;BYDAY=1TU,3TU", 3),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", 3),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20", 3),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1,15", 3),
        ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=8", 3),  # as the choices build it
        ("FREQ=DAILY;INTERVAL=3", 3),
        ("", 3),
    ],
)
def test_saving_the_edit_form_unchanged_changes_nothing(
    organizer_client, organizer, events_category, client_for, rule, start
):
    from agora.notifications.models import Notification
    from tests.events.conftest import browser_form_data

    event = make_event(
        organizer,
        events_category,
        start_date=future(start),
        rrule=rule,
        capacity=20,
        venue="Café",
        latitude=45.764,
        longitude=4.8357,
        registration_deadline=datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2),
        exdates=[],
        languages=["fr", "en"],
    )
    occurrence = event.occurrences.order_by("start_utc").first()
    person = factories.UserFactory(username="Attendee", trust_level=1)
    client_for(person).post(f"/events/date/{occurrence.pk}/rsvp", {"status": "going"})
    before_rows = list(event.occurrences.order_by("start_utc").values_list("pk", "key", "start_utc", "cancelled"))
    event.refresh_from_db()
    before = {f.name: getattr(event, f.name) for f in event._meta.concrete_fields if f.name != "updated_at"}
    data = browser_form_data(organizer_client.get(f"/events/{event.pk}/edit").content.decode())
    response = organizer_client.post(f"/events/{event.pk}/edit", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    event.refresh_from_db()
    after = {f.name: getattr(event, f.name) for f in event._meta.concrete_fields if f.name != "updated_at"}
    assert after == before
    assert (
        list(event.occurrences.order_by("start_utc").values_list("pk", "key", "start_utc", "cancelled")) == before_rows
    )
    assert not Notification.objects.filter(user=person, event=event).exists()


def test_a_busy_day_shows_its_first_dates_and_links_to_the_week_with_all_of_them(
    organizer, events_category, client_for
):
    for hour in range(8, 14):
        make_event(
            organizer, events_category, title=f"Session at {hour}", start_time=f"{hour:02}:00", end_time=f"{hour:02}:30"
        )
    anon = client_for(None)
    month = anon.get("/events?date=2030-03-12&tz=Europe/Paris")
    cell = next(
        (items, more) for week in month.context["weeks"] for d, items, more in week if d.day == 12 and d.month == 3
    )
    assert [o.event.topic.title for o in cell[0]] == [f"Session at {h}" for h in range(8, 12)]
    assert cell[1] == 2
    page = month.content.decode()
    assert "+2 more" in page and 'href="/events?view=week&amp;date=2030-03-12' in page
    assert "Session at 13" not in page
    week = anon.get("/events?view=week&date=2030-03-12&tz=Europe/Paris").content.decode()
    assert all(f"Session at {h}" in week for h in range(8, 14))


def test_the_map_lists_its_first_events_and_sends_the_rest_to_the_agenda(
    organizer, events_category, client_for, monkeypatch
):
    from agora.events import queries

    monkeypatch.setattr(queries, "MAP_LIST", 2)
    for day in (10, 11, 12):
        make_event(
            organizer, events_category, title=f"Walk {day}", start_date=f"2030-03-{day}", latitude=48.0, longitude=2.0
        )
    anon = client_for(None)
    page = anon.get("/events/map")
    assert [o.event.topic.title for o in page.context["in_person"]] == ["Walk 10", "Walk 11"]
    assert 'href="/events?view=agenda&amp;mode=in_person"' in page.content.decode()
    assert len(anon.get("/events.geojson").json()["features"]) == 3  # the map itself draws them all
    agenda = anon.get("/events?view=agenda&mode=in_person").context["occurrences"]
    assert [o.event.topic.title for o in agenda] == ["Walk 10", "Walk 11", "Walk 12"]
