"""RSVPs with capacity, the waiting list in order, approval, refusals that change nothing, changes told to
attendees, reminders by real mail, organizer messages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import TestCase

from agora.events import services
from agora.events.models import RSVP, Event, Occurrence
from agora.notifications.models import Notification
from tests import factories
from tests.accounts.conftest import Inbox
from tests.accounts.conftest import smtp_server as smtp_server  # the fixture
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def people(n: int, prefix: str = "Attendee"):
    return [factories.UserFactory(username=f"{prefix} {i}", trust_level=1) for i in range(n)]


def soon() -> str:
    return (datetime.now(UTC) + timedelta(days=10)).date().isoformat()


@pytest.fixture
def full_event(organizer, events_category):
    """Two places, at one coming date."""
    return make_event(organizer, events_category, start_date=soon(), capacity=2)


def answer(user, occurrence, status="going"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.event_rsvp(user=user, occurrence=occurrence, status=status)


def test_going_fills_places_then_the_waiting_list_promotes_in_order(full_event):
    occurrence = full_event.occurrences.get()
    a, b, c, d = people(4)
    assert answer(a, occurrence).status == RSVP.Status.GOING
    assert answer(b, occurrence).status == RSVP.Status.GOING
    assert answer(c, occurrence).status == RSVP.Status.WAITLISTED
    assert answer(d, occurrence).status == RSVP.Status.WAITLISTED
    occurrence.refresh_from_db()
    assert (occurrence.going_count, occurrence.waitlist_count) == (2, 2)
    # A place frees up: the first to wait (c, not d) gets it, and is told.
    answer(a, occurrence, "not_going")
    statuses = dict(RSVP.objects.filter(occurrence=occurrence).values_list("user__username", "status"))
    assert statuses == {
        "Attendee 0": "not_going",
        "Attendee 1": "going",
        "Attendee 2": "going",
        "Attendee 3": "waitlisted",
    }
    assert Notification.objects.filter(user=c, kind=Kind.EVENT_PROMOTED, occurrence=occurrence).count() == 1
    assert not Notification.objects.filter(user=d, kind=Kind.EVENT_PROMOTED).exists()
    # Asking again changes nothing; going again after leaving waits behind d.
    assert answer(b, occurrence).status == RSVP.Status.GOING
    assert answer(a, occurrence).status == RSVP.Status.WAITLISTED
    answer(b, occurrence, "interested")
    assert RSVP.objects.get(user=d, occurrence=occurrence).status == RSVP.Status.GOING
    assert RSVP.objects.get(user=a, occurrence=occurrence).status == RSVP.Status.WAITLISTED
    occurrence.refresh_from_db()
    assert (occurrence.going_count, occurrence.interested_count, occurrence.waitlist_count) == (2, 1, 1)


def test_a_full_date_without_a_waiting_list_refuses_and_changes_nothing(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), capacity=1, waitlist=False)
    occurrence = event.occurrences.get()
    a, b = people(2)
    answer(a, occurrence)
    with pytest.raises(ValidationError, match="full"):
        answer(b, occurrence)
    assert not RSVP.objects.filter(user=b).exists()


def test_approval_asks_the_organizers_who_approve_or_decline(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), requires_approval=True, capacity=1)
    occurrence = event.occurrences.get()
    a, b = people(2)
    rsvp_a = answer(a, occurrence)
    assert rsvp_a.status == RSVP.Status.PENDING
    assert Notification.objects.filter(user=organizer, kind=Kind.EVENT_REQUEST).count() == 1
    rsvp_b = answer(b, occurrence)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.rsvp_decide(user=organizer, rsvp=rsvp_a, approve=True).status == RSVP.Status.GOING
        # Full now: an approved request waits for a place.
        assert services.rsvp_decide(user=organizer, rsvp=rsvp_b, approve=True).status == RSVP.Status.WAITLISTED
    assert Notification.objects.filter(user=a, kind=Kind.EVENT_APPROVED).exists()
    with pytest.raises(PermissionDenied):
        services.rsvp_decide(user=b, rsvp=rsvp_a, approve=False)
    c = people(1, "Late")[0]
    rsvp_c = answer(c, occurrence)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.rsvp_decide(user=organizer, rsvp=rsvp_c, approve=False).status == RSVP.Status.DECLINED
    assert Notification.objects.filter(user=c, kind=Kind.EVENT_DECLINED).exists()
    with pytest.raises(ValidationError, match="did not approve"):
        answer(c, occurrence)


@pytest.mark.parametrize("case", ["cancelled_event", "cancelled_date", "past", "postponed", "deadline"])
def test_answers_to_a_cancelled_past_or_closed_date_are_refused_and_change_nothing(organizer, events_category, case):
    start = (datetime.now(UTC) - timedelta(days=3)).date().isoformat() if case == "past" else soon()
    fields = {"status": Event.Status.CANCELLED} if case == "cancelled_event" else {}
    if case == "postponed":
        fields["status"] = Event.Status.POSTPONED
    if case == "deadline":
        fields["registration_deadline"] = datetime.now(UTC) - timedelta(hours=1)
    event = make_event(organizer, events_category, start_date=start, **fields)
    occurrence = event.occurrences.get()
    if case == "cancelled_date":
        Occurrence.objects.filter(pk=occurrence.pk).update(cancelled=True)
    person = people(1)[0]
    with pytest.raises(ValidationError):
        answer(person, occurrence)
    assert not RSVP.objects.filter(user=person).exists()
    occurrence.refresh_from_db()
    assert occurrence.going_count == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_date": "2030-05-02", "end_date": "2030-05-01"}, "end_date"),
        ({"start_time": "18:00", "end_time": "17:00"}, "end_time"),
        ({"latitude": 91.0, "longitude": 10.0}, "latitude"),
        ({"latitude": 10.0, "longitude": -181.0}, "longitude"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=ZZ"}, "rrule"),
        ({"rrule": "FREQ=SECONDLY"}, "rrule"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"start_date": "0001-01-02", "end_date": "0001-01-02", "timezone": "Asia/Tokyo"}, "start_date"),
        ({"start_date": "9999-12-30", "end_date": "9999-12-30", "all_day": True}, "start_date"),
        ({"start_date": "2030-05-02", "end_date": "9999-12-30", "all_day": True}, "end_date"),
        ({"registration_deadline": datetime(1, 1, 1, tzinfo=UTC)}, "registration_deadline"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_made(organizer, events_category, fields, field):
    from agora.discuss.models import Topic

    with pytest.raises(ValidationError) as caught:
        make_event(organizer, events_category, title="A refused event", **fields)
    assert field in caught.value.message_dict
    assert not Topic.objects.filter(title="A refused event").exists()
    assert not Event.objects.exists()


def test_only_categories_that_allow_events_and_the_right_trust_level(
    organizer, public_category, events_category, settings
):
    with pytest.raises(PermissionDenied):
        make_event(organizer, public_category)
    newcomer = factories.UserFactory(username="Newcomer", trust_level=0)
    settings.AGORA_EVENT_MIN_TRUST_LEVEL = 1
    with pytest.raises(PermissionDenied):
        make_event(newcomer, events_category)
    settings.AGORA_EVENT_MIN_TRUST_LEVEL = 0
    assert make_event(newcomer, events_category).pk


def test_the_topic_is_opened_through_discuss_so_counters_are_kept(organizer, events_category):
    make_event(organizer, events_category)
    events_category.refresh_from_db()
    assert (events_category.topic_count, events_category.post_count) == (1, 1)


def test_changing_the_time_tells_the_people_going_and_bumps_the_sequence(organizer, events_category):
    from agora.events.forms import initial_for  # noqa: F401 - the edit form reads the same fields

    event = make_event(organizer, events_category, start_date=soon())
    occurrence = event.occurrences.get()
    going, waiting = people(2)
    answer(going, occurrence)
    fields = services.EventFields(
        timezone=event.timezone,
        start_date=event.start_date,
        end_date=event.end_date,
        start_time=event.start_time.replace(hour=19),
        end_time=event.end_time.replace(hour=21),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.event_update(user=organizer, event=event, title=event.topic.title, fields=fields)
    event.refresh_from_db()
    occurrence.refresh_from_db()
    assert event.sequence == 1 and occurrence.start_utc.hour == 18  # 19:00 in Paris in spring/summer... or winter
    assert Notification.objects.filter(user=going, kind=Kind.EVENT_CHANGED, event=event).count() == 1
    assert RSVP.objects.get(user=going).occurrence_id == occurrence.pk  # the answer followed the date
    # Someone else may not edit it.
    with pytest.raises(PermissionDenied):
        services.event_update(user=waiting, event=event, title="Taken over", fields=fields)


def test_cancelling_and_moving_one_date_of_a_series(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), rrule="FREQ=WEEKLY;COUNT=3")
    _first, second, third = event.occurrences.order_by("start_utc")
    person = people(1)[0]
    answer(person, second)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.occurrence_update(user=organizer, occurrence=second, cancelled=True, note="The room is closed.")
    second.refresh_from_db()
    assert second.cancelled and second.sequence == 1
    assert Notification.objects.filter(user=person, kind=Kind.EVENT_CANCELLED, occurrence=second).exists()
    moved_start = datetime.combine(third.start_date + timedelta(days=1), third.start_time)
    services.occurrence_update(user=organizer, occurrence=third, cancelled=False, start=moved_start)
    third.refresh_from_db()
    assert (
        third.moved
        and third.start_date == moved_start.date()
        and third.key.startswith((moved_start.date() - timedelta(days=1)).strftime("%Y%m%d"))
    )
    # Re-syncing the rule keeps the moved date where it was put.
    services.occurrences_sync(event=event)
    third.refresh_from_db()
    assert third.start_date == moved_start.date()


def test_the_organizer_messages_the_people_going_by_mail(organizer, events_category, smtp_server, settings):
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    event = make_event(organizer, events_category, start_date=soon())
    occurrence = event.occurrences.get()
    going, other = people(2)
    answer(going, occurrence)
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = services.event_message_send(
            user=organizer, event=event, subject="Bring a laptop", body="And a charger."
        )
    assert message.recipients == 1
    mail = inbox.wait(1)[0]
    assert mail["To"] == going.email and "Bring a laptop" in mail["Subject"]
    assert "And a charger." in Inbox.body(mail) and other.email not in mail.as_string()
    assert Notification.objects.filter(user=going, kind=Kind.EVENT_MESSAGE).exists()


def test_reminders_a_day_and_an_hour_before_by_mail_and_notification_once_each(
    organizer,
    events_category,
    smtp_server,
    settings,
):
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    event = make_event(organizer, events_category, start_date=soon(), online_url="https://meet.example.org/r")
    occurrence = event.occurrences.get()
    going, interested = people(2)
    answer(going, occurrence)
    answer(interested, occurrence, "interested")
    day_before = occurrence.start_utc - timedelta(hours=20)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send_due(now=day_before) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send_due(now=day_before + timedelta(minutes=5)) == 0  # claimed once
    mail = inbox.wait(1)[0]
    assert mail["To"] == going.email and "Tomorrow" in mail["Subject"]
    body = Inbox.body(mail)
    assert "https://meet.example.org/r" in body and event.topic.get_absolute_url() in body
    hour_before = occurrence.start_utc - timedelta(minutes=50)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send_due(now=hour_before) == 1
    assert "an hour" in inbox.wait(2)[1]["Subject"]
    reminders = [Kind.EVENT_REMINDER, Kind.EVENT_REMINDER_HOUR]
    assert Notification.objects.filter(user=going, kind__in=reminders).count() == 2
    assert not Notification.objects.filter(user=interested, kind__in=reminders).exists()
    # The task run again sends nothing more.
    assert services.occurrence_remind(occurrence_id=occurrence.pk, kind="hour") == 0
    assert len(inbox.messages) == 2


def test_the_worker_heartbeat_runs_the_event_jobs(organizer, events_category, settings):
    from agora.core.management.commands.run_worker import run_timed_jobs

    settings.AGORA_EVENT_HORIZON_DAYS = 20
    event = make_event(organizer, events_category, start_date=datetime.now(UTC).date().isoformat(), rrule="FREQ=DAILY")
    Event.objects.filter(pk=event.pk).update(materialized_until=datetime.now(UTC))
    Occurrence.objects.filter(event=event, start_utc__gt=datetime.now(UTC) + timedelta(days=5)).delete()
    with transaction.atomic():
        run_timed_jobs()
    assert event.occurrences.count() >= 20


def weekly_fields(start, rule, **changes):
    from datetime import time

    values = {
        "timezone": "Europe/Paris",
        "start_date": start,
        "end_date": start,
        "start_time": time(18),
        "end_time": time(20),
        "rrule": rule,
    }
    values.update(changes)
    return services.EventFields(**values)


def test_a_new_weekday_moves_each_answered_date_to_the_new_one_and_tells_who_answered(organizer, events_category):
    start = (datetime.now(UTC) + timedelta(days=10)).date()
    event = make_event(organizer, events_category, start_date=start, rrule="FREQ=WEEKLY;COUNT=4")
    second = event.occurrences.order_by("start_utc")[1]
    goer, watcher = people(2)
    answer(goer, second)
    answer(watcher, second, "interested")
    with TestCase.captureOnCommitCallbacks(execute=True):
        event = services.event_update(
            user=organizer,
            event=event,
            title=event.topic.title,
            fields=weekly_fields(start + timedelta(days=1), "FREQ=WEEKLY;COUNT=4"),
        )
    second.refresh_from_db()
    # The same row (its answers with it), now on the new weekday a day later; the others follow the rule.
    assert second.start_date == start + timedelta(days=8) and not second.cancelled and second.sequence == 1
    assert RSVP.objects.get(user=goer).occurrence_id == second.pk and second.going_count == 1
    assert sorted(o.start_date for o in event.occurrences.all()) == [
        start + timedelta(days=1 + 7 * i) for i in range(4)
    ]
    assert [o.pk for o in event.schedule_changes.moved] == [second.pk] and not event.schedule_changes.cancelled
    # Each is told once, about their date (not twice with the event-wide "changed").
    for person in (goer, watcher):
        told = Notification.objects.filter(user=person, event=event)
        assert [(n.kind, n.occurrence_id) for n in told] == [(Kind.EVENT_CHANGED, second.pk)]


def test_a_date_the_new_schedule_drops_is_kept_cancelled_with_its_answers_and_they_are_told(
    organizer, events_category, client_for
):
    start = (datetime.now(UTC) + timedelta(days=10)).date()
    event = make_event(organizer, events_category, start_date=start, rrule="FREQ=WEEKLY;COUNT=4")
    first, second, third, _fourth = event.occurrences.order_by("start_utc")
    goer, other = people(2)
    answer(goer, second)
    answer(other, third, "not_going")  # no one to keep a date for
    with TestCase.captureOnCommitCallbacks(execute=True):
        event = services.event_update(
            user=organizer,
            event=event,
            title=event.topic.title,
            fields=weekly_fields(start, "FREQ=WEEKLY;INTERVAL=2;COUNT=2"),  # the first and third stay
        )
    second.refresh_from_db()
    assert second.cancelled and second.sequence == 1 and second.start_date == start + timedelta(days=7)
    assert RSVP.objects.get(user=goer).occurrence_id == second.pk
    dates = sorted((o.start_date, o.cancelled) for o in event.occurrences.all())
    assert dates == [(start, False), (start + timedelta(days=7), True), (start + timedelta(days=14), False)]
    assert [o.pk for o in event.schedule_changes.cancelled] == [second.pk]
    told = Notification.objects.filter(user=goer, event=event)
    assert [(n.kind, n.occurrence_id) for n in told] == [(Kind.EVENT_CANCELLED, second.pk)]
    assert first.pk in {o.pk for o in event.occurrences.all()}
    # The notification names the date.
    from django.test import Client

    from agora.core.when import when_text

    browser = Client()
    browser.force_login(goer)
    line = browser.get("/notifications").content.decode()
    assert "cancelled an event you are going to" in line and when_text(second.start_date, "date") in line
    # Saved again, nothing more happens: the cancelled date stays, nobody is told twice.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.occurrences_sync(event=event)
    assert Notification.objects.filter(user=goer, event=event).count() == 1
    assert event.occurrences.filter(pk=second.pk, cancelled=True).exists()


def test_a_past_date_with_answers_stays_as_it_was_when_the_schedule_changes(organizer, events_category):
    start = (datetime.now(UTC) - timedelta(days=15)).date()
    event = make_event(organizer, events_category, start_date=start, rrule="FREQ=WEEKLY;COUNT=6")
    past = event.occurrences.order_by("start_utc").first()
    goer = people(1)[0]
    RSVP.objects.create(occurrence=past, user=goer, status=RSVP.Status.GOING)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.event_update(
            user=organizer,
            event=event,
            title=event.topic.title,
            fields=weekly_fields(start + timedelta(days=2), "FREQ=WEEKLY;COUNT=6"),
        )
    past.refresh_from_db()
    assert past.start_date == start and not past.cancelled
    assert RSVP.objects.get(user=goer).occurrence_id == past.pk
    assert not Notification.objects.filter(user=goer, kind=Kind.EVENT_CANCELLED).exists()


def settings_of(event, **changes):
    values = {
        "timezone": event.timezone,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "start_time": event.start_time,
        "end_time": event.end_time,
        "capacity": event.capacity,
        "waitlist": event.waitlist,
        "requires_approval": event.requires_approval,
    }
    values.update(changes)
    return services.EventFields(**values)


def update(organizer, event, **changes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.event_update(
            user=organizer, event=event, title=event.topic.title, fields=settings_of(event, **changes)
        )


def statuses(occurrence):
    return dict(RSVP.objects.filter(occurrence=occurrence).values_list("user__username", "status"))


def test_more_places_or_no_limit_promote_the_waiting_list_in_order(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), capacity=1)
    occurrence = event.occurrences.get()
    a, b, c = people(3)
    for person in (a, b, c):
        answer(person, occurrence)
    assert statuses(occurrence) == {"Attendee 0": "going", "Attendee 1": "waitlisted", "Attendee 2": "waitlisted"}
    event = update(organizer, event, capacity=2)
    assert statuses(occurrence) == {"Attendee 0": "going", "Attendee 1": "going", "Attendee 2": "waitlisted"}
    assert Notification.objects.filter(user=b, kind=Kind.EVENT_PROMOTED, occurrence=occurrence).count() == 1
    assert not Notification.objects.filter(user=c, kind=Kind.EVENT_PROMOTED).exists()
    update(organizer, event, capacity=None)
    assert set(statuses(occurrence).values()) == {"going"}
    occurrence.refresh_from_db()
    assert (occurrence.going_count, occurrence.waitlist_count) == (3, 0)
    assert Notification.objects.filter(user=c, kind=Kind.EVENT_PROMOTED, occurrence=occurrence).count() == 1


def test_turning_approval_off_approves_the_requests_in_order(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), capacity=2, requires_approval=True)
    occurrence = event.occurrences.get()
    a, b, c = people(3)
    for person in (a, b, c):
        assert answer(person, occurrence).status == RSVP.Status.PENDING
    update(organizer, event, requires_approval=False)
    assert statuses(occurrence) == {"Attendee 0": "going", "Attendee 1": "going", "Attendee 2": "waitlisted"}
    for person in (a, b, c):  # each told once: approved (going, or waiting for a place)
        told = Notification.objects.filter(user=person, occurrence=occurrence).values_list("kind", flat=True)
        assert list(told) == [Kind.EVENT_APPROVED]
    # The one waiting gets the next place, as anyone on the waiting list.
    answer(a, occurrence, "not_going")
    assert statuses(occurrence)["Attendee 2"] == "going"


def test_turning_the_waiting_list_off_keeps_the_turn_of_those_on_it(organizer, events_category):
    event = make_event(organizer, events_category, start_date=soon(), capacity=1)
    occurrence = event.occurrences.get()
    a, b, c = people(3)
    answer(a, occurrence)
    answer(b, occurrence)
    event = update(organizer, event, waitlist=False)
    assert statuses(occurrence)["Attendee 1"] == "waitlisted"
    with pytest.raises(ValidationError, match="no waiting list"):
        answer(c, occurrence)  # nobody new joins it
    answer(a, occurrence, "not_going")
    assert statuses(occurrence)["Attendee 1"] == "going"
    # Turned off together with more places: those waiting get them at once.
    d = people(1, "Late")[0]
    event = update(organizer, event, waitlist=True)
    answer(d, occurrence)
    update(organizer, event, waitlist=False, capacity=2)
    assert statuses(occurrence)["Late 0"] == "going"
