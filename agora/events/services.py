"""Event writes: creating and editing events, their dates (cancel, move, note), RSVPs with capacity,
waiting list and approval, messages to attendees, reminders, private feed tokens and member locations.

Every function is keyword-only and atomic, re-checks who may do it (agora.permissions) and the rules
that guard the data, and keeps the counters on occurrence rows true in the same transaction. An event's
topic is opened by discuss.services.topic_create, so category counters, permissions and the visitors'
page cache stay right. Mail and notifications go out after commit.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.discuss import services as discuss_services
from agora.discuss.models import Category, Topic, make_slug
from agora.groups.models import Group
from agora.notifications.models import Notification
from agora.notifications.services import notify

from . import recurrence
from .models import (
    ATTENDING,
    RSVP,
    CalendarToken,
    Event,
    EventMessage,
    MemberLocation,
    Occurrence,
    occurrence_key,
)

logger = logging.getLogger(__name__)
Status = RSVP.Status


@dataclass
class EventFields:
    """An event's own settings, as the form cleaned them (services check them again)."""

    timezone: str
    start_date: date
    end_date: date
    all_day: bool = False
    start_time: time | None = None
    end_time: time | None = None
    rrule: str = ""
    exdates: Sequence[date] = ()
    venue: str = ""
    address: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    online_audience: str = Event.OnlineAudience.EVERYONE
    capacity: int | None = None
    waitlist: bool = True
    requires_approval: bool = False
    registration_deadline: datetime | None = None
    status: str = Event.Status.CONFIRMED
    attendees_visibility: str = Event.AttendeesVisibility.EVERYONE
    organizers: Sequence[User] = ()
    group: Group | None = None
    languages: Sequence[str] = ()
    unlisted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# Fields whose change attendees are told about (and that bump the ICS SEQUENCE).
TIME_FIELDS = ("timezone", "all_day", "start_date", "start_time", "end_date", "end_time", "rrule", "exdates")
PLACE_FIELDS = ("venue", "address", "country", "latitude", "longitude", "online_url")


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    return ValidationError({field_name: [message]} if field_name else message, code=code)


def check_fields(fields: EventFields) -> EventFields:
    """The rules that guard an event's data; a ValidationError naming the field for each broken one."""
    try:
        zone = recurrence.get_zone(fields.timezone)
    except recurrence.RuleError as exc:
        raise _error(str(exc), "bad_zone", "timezone") from None
    for name in ("start_date", "end_date"):
        if not recurrence.in_range(getattr(fields, name)):
            raise _error(recurrence.date_range_message(), "date_range", name)
    if not all(recurrence.in_range(day) for day in fields.exdates):
        raise _error(recurrence.date_range_message(), "date_range", "exdates")
    if fields.registration_deadline is not None and not recurrence.in_range(fields.registration_deadline.date()):
        raise _error(recurrence.date_range_message(), "date_range", "registration_deadline")
    if fields.all_day:
        fields.start_time = fields.end_time = None
    elif fields.start_time is None or fields.end_time is None:
        raise _error(_("Give a start and an end time, or mark the event as all day."), "no_time", "start_time")
    if fields.end_date < fields.start_date:
        raise _error(_("The event cannot end before it starts."), "end_before_start", "end_date")
    if not fields.all_day:
        start = datetime.combine(fields.start_date, fields.start_time or time(0))
        end = datetime.combine(fields.end_date, fields.end_time or time(0))
        if recurrence.wall_to_utc(end, zone) <= recurrence.wall_to_utc(start, zone):
            raise _error(_("The event cannot end before it starts."), "end_before_start", "end_time")
        if end - start > timedelta(days=366):
            raise _error(_("An event lasts a year at most."), "too_long", "end_date")
    elif (fields.end_date - fields.start_date).days > 366:
        raise _error(_("An event lasts a year at most."), "too_long", "end_date")
    if fields.rrule:
        try:
            fields.rrule = recurrence.check_rrule(
                fields.rrule, datetime.combine(fields.start_date, fields.start_time or time(0))
            )
            if not fields.all_day:
                fields.rrule = recurrence.inclusive_until(fields.rrule)
        except recurrence.RuleError as exc:
            raise _error(str(exc), "bad_rrule", "rrule") from None
    if (fields.latitude is None) != (fields.longitude is None):
        raise _error(_("Give both latitude and longitude, or neither."), "half_place", "latitude")
    if fields.latitude is not None and not (math.isfinite(fields.latitude) and -90 <= fields.latitude <= 90):
        raise _error(_("Latitude is between -90 and 90."), "bad_latitude", "latitude")
    if fields.longitude is not None and not (math.isfinite(fields.longitude) and -180 <= fields.longitude <= 180):
        raise _error(_("Longitude is between -180 and 180."), "bad_longitude", "longitude")
    if fields.capacity is not None and fields.capacity < 1:
        raise _error(_("Capacity is at least 1 (leave it empty for no limit)."), "bad_capacity", "capacity")
    if fields.country and (len(fields.country) != 2 or not fields.country.isalpha()):
        raise _error(_("Choose a country from the list."), "bad_country", "country")
    fields.country = fields.country.upper()
    if fields.online_url and not fields.online_url.lower().startswith(("https://", "http://")):
        raise _error(_("The online link must start with https:// or http://."), "bad_url", "online_url")
    if fields.status not in Event.Status.values:
        raise _error(_("Choose a status from the list."), "bad_status", "status")
    if fields.online_audience not in Event.OnlineAudience.values:
        raise _error(_("Choose who sees the online link."), "bad_audience", "online_audience")
    if fields.attendees_visibility not in Event.AttendeesVisibility.values:
        raise _error(_("Choose who sees who is going."), "bad_audience", "attendees_visibility")
    return fields


def _languages_value(codes: Iterable[str]) -> str:
    codes = [c for c in dict.fromkeys(codes) if c]
    return "," + ",".join(codes) + "," if codes else ""


def _apply(event: Event, fields: EventFields) -> None:
    for name in (*TIME_FIELDS, *PLACE_FIELDS, "online_audience", "capacity", "waitlist", "requires_approval"):
        setattr(event, name, getattr(fields, name))
    event.exdates = sorted({d.isoformat() for d in fields.exdates})
    event.registration_deadline = fields.registration_deadline
    event.status = fields.status
    event.attendees_visibility = fields.attendees_visibility
    event.group = fields.group
    event.languages = _languages_value(fields.languages)


def _check_group(user: User, group: Group | None) -> None:
    if group is not None and not permissions.may_speak_for(user, group):
        raise _error(_("Only the groups you are in can organize your events."), "bad_group", "group")


# --- Creating and editing -----------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    user: User,
    category: Category,
    title: str,
    raw: str,
    fields: EventFields,
    tags: Iterable[str] = (),
) -> Event:
    """Open the event's topic in `category` (through discuss.services.topic_create) and attach the event,
    with its occurrences written up to the horizon."""
    if not permissions.event_categories(user).filter(pk=category.pk).exists():
        raise PermissionDenied(_("You may not create events in this category."))
    check_fields(fields)
    _check_group(user, fields.group)
    language = next(iter(fields.languages), "") or ""
    topic = discuss_services.topic_create(
        user=user, category=category, title=title, raw=raw, tags=tags, language=language
    )
    if fields.unlisted:
        Topic.objects.filter(pk=topic.pk).update(unlisted=True)
        topic.unlisted = True
    now = timezone.now()
    event = Event(topic=topic, created_by=user, created_at=now, updated_at=now)
    _apply(event, fields)
    event.save()
    event.organizers.set({user, *fields.organizers})
    occurrences_sync(event=event, now=now)
    content_changed()
    return event


@transaction.atomic
def event_update(*, user: User, event: Event, title: str, fields: EventFields) -> Event:
    """Change an event's settings; attendees of its coming dates are told when its time, place or status
    changed (and the ICS SEQUENCE moves so their calendars update)."""
    event = Event.objects.select_for_update(of=("self",)).select_related("topic", "topic__category").get(pk=event.pk)
    if not permissions.can_event(user, "manage", event):
        raise PermissionDenied
    check_fields(fields)
    if fields.group != event.group:
        _check_group(user, fields.group)
    before = {name: getattr(event, name) for name in (*TIME_FIELDS, *PLACE_FIELDS, "status")}
    _apply(event, fields)
    after = {name: getattr(event, name) for name in (*TIME_FIELDS, *PLACE_FIELDS, "status")}
    before["exdates"] = sorted(before["exdates"])
    changed = {name for name in after if before[name] != after[name]}
    if changed:
        event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    event.organizers.set({event.topic.user, *fields.organizers})
    topic = event.topic
    title = title.strip()
    topic_changes: dict[str, Any] = {}
    if title and title != topic.title:
        topic_changes.update(title=title, slug=make_slug(title))
    if fields.unlisted != topic.unlisted:
        topic_changes["unlisted"] = fields.unlisted
    if fields.languages and fields.languages[0] != topic.language:
        topic_changes["language"] = fields.languages[0]
    if topic_changes:
        Topic.objects.filter(pk=topic.pk).update(**topic_changes)
        for name, value in topic_changes.items():
            setattr(topic, name, value)
    if changed & set(TIME_FIELDS):
        event.materialized_until = None
        event.rule_exhausted = False
    event.schedule_changes = occurrences_sync(event=event, actor=user)
    _open_places(event=event, actor=user)
    content_changed()
    if changed:
        kind = (
            Notification.Kind.EVENT_CANCELLED
            if "status" in changed and event.status == Event.Status.CANCELLED
            else Notification.Kind.EVENT_CHANGED
        )
        # Those told about their own date's move or cancellation are not told twice.
        _tell_attendees(event=event, occurrences=None, actor=user, kind=kind, skip_user_ids=event.schedule_changes.told)
    return event


def _tell_attendees(
    *,
    event: Event,
    occurrences: list[Occurrence] | None,
    actor: User,
    kind: str,
    skip_user_ids: Iterable[int] = (),
) -> None:
    """Notify, on commit, the people going, interested or waiting for the event's coming dates (or
    the given dates), who may still see it (but not those in `skip_user_ids`)."""
    event_id = event.pk
    skip = frozenset(skip_user_ids)
    occurrence_ids = [o.pk for o in occurrences] if occurrences is not None else None
    actor_id = actor.pk

    def send() -> None:
        live = Event.objects.select_related("topic").filter(pk=event_id).first()
        if live is None:
            return
        rsvps = RSVP.objects.filter(occurrence__event_id=event_id, status__in=ATTENDING).select_related("user")
        if occurrence_ids is not None:
            rsvps = rsvps.filter(occurrence_id__in=occurrence_ids)
        else:
            rsvps = rsvps.filter(occurrence__end_utc__gt=timezone.now())
        people = {r.user_id: r.user for r in rsvps if r.user_id not in skip}
        audience = [p for p in people.values() if permissions.can(p, "see", live.topic)]
        single = occurrence_ids[0] if occurrence_ids and len(occurrence_ids) == 1 else None
        notify(
            users=audience,
            kind=kind,
            actor=User.objects.filter(pk=actor_id).first(),
            topic=live.topic,
            event=live,
            occurrence=Occurrence.objects.filter(pk=single).first() if single else None,
        )

    transaction.on_commit(send)


# --- Occurrences --------------------------------------------------------------------------------


def _horizon(now: datetime) -> datetime:
    return now + timedelta(days=settings.AGORA_EVENT_HORIZON_DAYS)


def _local_fields(wall_start: datetime, duration: timedelta, all_day: bool) -> dict[str, Any]:
    if all_day:
        last = (wall_start + duration - timedelta(days=1)).date()
        return {"start_date": wall_start.date(), "start_time": None, "end_date": last, "end_time": None}
    end = wall_start + duration
    return {
        "start_date": wall_start.date(),
        "start_time": wall_start.time(),
        "end_date": end.date(),
        "end_time": end.time(),
    }


@dataclass
class ScheduleChanges:
    """What occurrences_sync did to dates people had answered when the rule stopped giving them."""

    dates: int = 0  # how many dates the rule gives in the window
    moved: list[Occurrence] = field(default_factory=list)  # to the nearest new date, answers and all
    cancelled: list[Occurrence] = field(default_factory=list)  # kept, cancelled: no new date near
    told: set[int] = field(default_factory=set)  # the people told about those dates (user ids)


# How far a coming date with answers may move to a date of the new schedule (else it is kept, cancelled).
NEAREST_NEW_DATE = timedelta(days=7)


def occurrences_sync(*, event: Event, now: datetime | None = None, actor: User | None = None) -> ScheduleChanges:
    """Write the event's occurrences from its rule up to the horizon: new dates are added, dates not moved
    by hand follow the rule's time, and dates the rule no longer gives are removed when nobody answered
    them. A coming date that people answered (going, interested, waiting, asking) is never deleted: it
    moves, answers and all, to the nearest new date within a week that has no row yet, or else stays as a
    cancelled date; the people who answered it are told on commit (the date's change or its
    cancellation). A past date that had answers stays as it was. At most AGORA_EVENT_MAX_OCCURRENCES
    coming dates whatever the rule, and past ones back as far as the horizon reaches ahead (a series'
    older dates stay as they are)."""
    now = now or timezone.now()
    zone = recurrence.get_zone(event.timezone)
    # Written a horizon ahead of today, or of the first date for an event that starts later.
    horizon = _horizon(max(now, recurrence.wall_to_utc(event.wall_start(), zone)))
    until_wall = horizon.astimezone(zone).replace(tzinfo=None)
    now_wall = now.astimezone(zone).replace(tzinfo=None)
    # The window: from as far back as the horizon reaches ahead (or the first date) to the horizon. The
    # cap counts the coming dates only, so a rule without end keeps its dates however long it has run.
    since_wall = max(event.wall_start(), now_wall - timedelta(days=settings.AGORA_EVENT_HORIZON_DAYS))
    exdates = frozenset(date.fromisoformat(d) for d in event.exdates)
    limit = settings.AGORA_EVENT_MAX_OCCURRENCES
    walls, exhausted = recurrence.rule_walls(
        event.rrule,
        event.wall_start(),
        since=since_wall,
        until=until_wall,
        limit=limit,
        counted_from=now_wall,
        exdates=exdates,
    )
    duration = event.wall_duration()
    rows = Occurrence.objects.filter(event=event)
    if event.rrule and since_wall > event.wall_start():
        # Dates of a long series that ended before the window are its history: kept as they are.
        rows = rows.exclude(end_utc__lte=now, start_date__lt=since_wall.date())
    existing = {o.key: o for o in rows}
    wanted: dict[str, datetime] = {occurrence_key(w, event.all_day): w for w in walls}
    _rekey(event, existing, wanted)
    changes = _keep_answered_dates(event, existing, wanted, now=now, now_wall=now_wall)
    changes.dates = len(wanted)
    to_create, to_update = [], []
    for key, wall in wanted.items():
        start_utc, end_utc = recurrence.occurrence_bounds(wall, duration, zone, event.all_day)
        occurrence = existing.get(key)
        if occurrence is None:
            to_create.append(
                Occurrence(
                    event=event,
                    key=key,
                    start_utc=start_utc,
                    end_utc=end_utc,
                    **_local_fields(wall, duration, event.all_day),
                )
            )
        elif occurrence.key != key or (
            not occurrence.moved and (occurrence.start_utc, occurrence.end_utc) != (start_utc, end_utc)
        ):
            if not occurrence.moved:
                occurrence.start_utc, occurrence.end_utc = start_utc, end_utc
                for name, value in _local_fields(wall, duration, event.all_day).items():
                    setattr(occurrence, name, value)
            occurrence.key = key
            to_update.append(occurrence)
    gone = [o.pk for key, o in existing.items() if key not in wanted]
    if gone:
        Occurrence.objects.filter(pk__in=gone).delete()  # nobody answered them
    for occurrence in changes.cancelled:
        occurrence.save(update_fields=["cancelled", "sequence"])
    Occurrence.objects.bulk_create(to_create, batch_size=500)
    to_update += [o for o in changes.moved if o not in to_update]
    if to_update:
        # Keys first out of the way (a date may take another's old key), then the new values.
        Occurrence.objects.filter(pk__in=[o.pk for o in to_update]).update(
            key=Concat(Value("~"), Cast("id", output_field=CharField()))
        )
        Occurrence.objects.bulk_update(
            to_update,
            ["key", "start_utc", "end_utc", "start_date", "start_time", "end_date", "end_time", "moved", "sequence"],
            batch_size=500,
        )
    if changes.moved or changes.cancelled:
        _tell_schedule_changes(event=event, changes=changes, actor=actor)
    written_until = horizon
    coming = [wall for wall in walls if wall >= now_wall]
    if len(coming) >= limit:
        # The cap stopped the dates short of the horizon: the worker writes more as they come closer.
        written_until = min(horizon, recurrence.wall_to_utc(coming[-1], zone))
    Event.objects.filter(pk=event.pk).update(materialized_until=written_until, rule_exhausted=exhausted)
    event.materialized_until, event.rule_exhausted = written_until, exhausted
    return changes


def _keep_answered_dates(
    event: Event, existing: dict[str, Occurrence], wanted: dict[str, datetime], *, now: datetime, now_wall: datetime
) -> ScheduleChanges:
    """The rows the rule no longer gives but people answered: taken out of `existing` (so they are not
    deleted), each coming one moved to the nearest free new date within a week (put back in `existing`
    under that key) or cancelled. Nothing is written here."""
    changes = ScheduleChanges()
    orphans = sorted((o for key, o in existing.items() if key not in wanted), key=lambda o: o.start_utc)
    if not orphans:
        return changes
    answered = set(
        RSVP.objects.filter(occurrence__in=orphans, status__in=ATTENDING).values_list("occurrence_id", flat=True)
    )
    free = {key: wall for key, wall in wanted.items() if key not in existing and wall >= now_wall}
    for row in orphans:
        if row.pk not in answered:
            continue
        del existing[row.key]
        if row.start_utc <= now or row.cancelled:
            continue  # a past date that had answers is history; a cancelled one stays as it is
        row_wall = datetime.combine(row.start_date, row.start_time or time(0))
        near = [
            (abs(wall - row_wall), wall, key) for key, wall in free.items() if abs(wall - row_wall) <= NEAREST_NEW_DATE
        ]
        row.sequence += 1
        if near:
            _distance, _wall, key = min(near)
            del free[key]
            existing[key] = row
            row.moved = False  # the new schedule's date, at its time
            changes.moved.append(row)
        else:
            row.cancelled = True
            changes.cancelled.append(row)
    return changes


def _tell_schedule_changes(*, event: Event, changes: ScheduleChanges, actor: User | None) -> None:
    """Tell, on commit, the people who answered each date moved (its new time) or cancelled by a change of
    the schedule: read now, in the transaction that changes it."""
    rows = [*changes.moved, *changes.cancelled]
    people: dict[int, list[int]] = {}
    for occurrence_id, user_id in RSVP.objects.filter(occurrence__in=rows, status__in=ATTENDING).values_list(
        "occurrence_id", "user_id"
    ):
        people.setdefault(occurrence_id, []).append(user_id)
        changes.told.add(user_id)
    plan = [
        (row.pk, Notification.Kind.EVENT_CHANGED if row in changes.moved else Notification.Kind.EVENT_CANCELLED)
        for row in rows
        if people.get(row.pk)
    ]
    event_id, actor_id = event.pk, getattr(actor, "pk", None)

    def send() -> None:
        live = Event.objects.select_related("topic").filter(pk=event_id).first()
        if live is None:
            return
        actor_now = User.objects.filter(pk=actor_id).first() if actor_id else None
        occurrences = Occurrence.objects.in_bulk([pk for pk, _kind in plan])
        users = User.objects.in_bulk([pk for ids in people.values() for pk in ids])
        for occurrence_id, kind in plan:
            audience = [
                users[pk]
                for pk in people[occurrence_id]
                if pk in users and permissions.can(users[pk], "see", live.topic)
            ]
            notify(
                users=audience,
                kind=kind,
                actor=actor_now,
                topic=live.topic,
                event=live,
                occurrence=occurrences.get(occurrence_id),
            )

    transaction.on_commit(send)


def _rekey(event: Event, existing: dict[str, Occurrence], wanted: dict[str, datetime]) -> None:
    """Keep the dates (and their answers) through a change of time: a date the rule still gives at
    another hour, or the one date of a one-off event moved to another day, keeps its row under its new
    key. Rows are matched to keys in `existing` (mutated)."""
    unmatched_old = {k: o for k, o in existing.items() if k not in wanted}
    unmatched_new = [k for k in wanted if k not in existing]
    by_day = {k[:8]: k for k in unmatched_old}
    for key in list(unmatched_new):
        old_key = by_day.get(key[:8])
        if old_key is not None and old_key in unmatched_old:
            existing[key] = unmatched_old.pop(old_key)
            del existing[old_key]
            unmatched_new.remove(key)
    if not event.rrule and len(unmatched_new) == 1 and len(unmatched_old) == 1:
        old_key, row = unmatched_old.popitem()
        del existing[old_key]
        existing[unmatched_new[0]] = row
        row.moved = False


def occurrences_extend_due(*, now: datetime | None = None) -> int:
    """Extend every recurring event whose dates are written less than a day short of the horizon (the
    worker runs this on its timer). Safe to run twice, and from several workers: each event is
    re-read under a row lock. Returns how many events were extended."""
    now = now or timezone.now()
    due = list(
        Event.objects.filter(rule_exhausted=False)
        .exclude(rrule="")
        .filter(Q(materialized_until__isnull=True) | Q(materialized_until__lt=_horizon(now) - timedelta(days=1)))
        .values_list("pk", flat=True)[:200]
    )
    for pk in due:
        with transaction.atomic():
            event = Event.objects.select_for_update().filter(pk=pk).first()
            if event is None or event.rule_exhausted:
                continue
            occurrences_sync(event=event, now=now)
    return len(due)


def occurrences_recompute_utc(*, event_ids: Iterable[int] | None = None) -> int:
    """Recompute every occurrence's UTC start and end from its wall clock and its event's zone: after
    the time zone data changed (a country moved its clocks), the stored wall times stay true and UTC
    follows them. Returns how many occurrences moved."""
    events = Event.objects.all()
    if event_ids is not None:
        events = events.filter(pk__in=list(event_ids))
    changed = 0
    for event in events.iterator():
        zone = recurrence.get_zone(event.timezone)
        rows = list(Occurrence.objects.filter(event=event))
        for occurrence in rows:
            start = datetime.combine(occurrence.start_date, occurrence.start_time or time(0))
            end = datetime.combine(occurrence.end_date, occurrence.end_time or time(0))
            if event.all_day:
                bounds = (
                    recurrence.floating_utc(start.date()),
                    recurrence.floating_utc(end.date() + timedelta(days=1)),
                )
            else:
                bounds = (recurrence.wall_to_utc(start, zone), recurrence.wall_to_utc(end, zone))
            if (occurrence.start_utc, occurrence.end_utc) != bounds:
                occurrence.start_utc, occurrence.end_utc = bounds
                changed += 1
        Occurrence.objects.bulk_update(rows, ["start_utc", "end_utc"], batch_size=500)
    if changed:
        content_changed()
    return changed


@transaction.atomic
def occurrence_update(
    *,
    user: User,
    occurrence: Occurrence,
    cancelled: bool,
    note: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> Occurrence:
    """Cancel (or restore) one date, give it a note, or move it (`start`/`end`: naive wall clock in the
    event's zone; None keeps its time). The people going are told of a change of time or a cancellation."""
    occurrence = (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("event", "event__topic", "event__topic__category")
        .get(pk=occurrence.pk)
    )
    event = occurrence.event
    if not permissions.can_event(user, "manage", event):
        raise PermissionDenied
    zone = recurrence.get_zone(event.timezone)
    note = note.strip()
    if len(note) > 1000:
        raise _error(_("A note has 1,000 characters at most."), "long_note", "note")
    moved = False
    if start is not None or end is not None:
        current_start = datetime.combine(occurrence.start_date, occurrence.start_time or time(0))
        current_end = datetime.combine(occurrence.end_date, occurrence.end_time or time(0))
        new_start = start or current_start
        if not recurrence.in_range(new_start.date()):
            raise _error(recurrence.date_range_message(), "date_range", "start_date")
        new_end = end or (new_start + (current_end - current_start))
        if not recurrence.in_range(new_end.date()):
            raise _error(recurrence.date_range_message(), "date_range", "end_date")
        if event.all_day:
            new_start = datetime.combine(new_start.date(), time(0))
            new_end = datetime.combine(max(new_end.date(), new_start.date()), time(0))
            bounds = (
                recurrence.floating_utc(new_start.date()),
                recurrence.floating_utc(new_end.date() + timedelta(days=1)),
            )
        else:
            bounds = (recurrence.wall_to_utc(new_start, zone), recurrence.wall_to_utc(new_end, zone))
        if bounds[1] <= bounds[0]:
            raise _error(_("The event cannot end before it starts."), "end_before_start", "end")
        if bounds != (occurrence.start_utc, occurrence.end_utc):
            moved = True
            occurrence.start_utc, occurrence.end_utc = bounds
            occurrence.start_date, occurrence.end_date = new_start.date(), new_end.date()
            occurrence.start_time = None if event.all_day else new_start.time()
            occurrence.end_time = None if event.all_day else new_end.time()
            occurrence.moved = True
    newly_cancelled = cancelled and not occurrence.cancelled
    if not (moved or newly_cancelled or cancelled != occurrence.cancelled or note != occurrence.note):
        return occurrence
    occurrence.cancelled = cancelled
    occurrence.note = note
    occurrence.sequence += 1
    occurrence.save()
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    content_changed()
    if moved or newly_cancelled:
        kind = Notification.Kind.EVENT_CANCELLED if newly_cancelled else Notification.Kind.EVENT_CHANGED
        _tell_attendees(event=event, occurrences=[occurrence], actor=user, kind=kind)
    return occurrence


# --- RSVP ---------------------------------------------------------------------------------------


def _recount(occurrence: Occurrence) -> None:
    counts = dict(
        RSVP.objects.filter(occurrence=occurrence).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    occurrence.going_count = counts.get(Status.GOING, 0)
    occurrence.interested_count = counts.get(Status.INTERESTED, 0)
    occurrence.waitlist_count = counts.get(Status.WAITLISTED, 0)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        going_count=occurrence.going_count,
        interested_count=occurrence.interested_count,
        waitlist_count=occurrence.waitlist_count,
    )


def recount_occurrence(*, occurrence: Occurrence) -> None:
    """Set a date's counters from its answers (after answers were written directly, as the demo does)."""
    _recount(occurrence)


def _full(occurrence: Occurrence) -> bool:
    capacity = occurrence.event.capacity
    return capacity is not None and occurrence.going_count >= capacity


def _promote(occurrence: Occurrence, *, quiet: frozenset[int] = frozenset()) -> list[RSVP]:
    """Give freed places to the waiting list, first come first served (queued_at, then id). Those given a
    place are told (but for the answers in `quiet`, told otherwise)."""
    promoted: list[RSVP] = []
    capacity = occurrence.event.capacity
    while capacity is None or occurrence.going_count < capacity:
        nxt = (
            RSVP.objects.filter(occurrence=occurrence, status=Status.WAITLISTED)
            .order_by("queued_at", "id")
            .select_related("user")
            .first()
        )
        if nxt is None:
            break
        nxt.status = Status.GOING
        nxt.updated_at = timezone.now()
        nxt.save(update_fields=["status", "updated_at"])
        occurrence.going_count += 1
        occurrence.waitlist_count -= 1
        promoted.append(nxt)
    if promoted:
        _recount(occurrence)
        event = occurrence.event
        people = [rsvp.user for rsvp in promoted if rsvp.pk not in quiet]

        def tell() -> None:
            for person in people:
                notify(
                    users=[person],
                    kind=Notification.Kind.EVENT_PROMOTED,
                    topic=event.topic,
                    event=event,
                    occurrence=occurrence,
                )

        transaction.on_commit(tell)
    return promoted


def _open_places(*, event: Event, actor: User) -> None:
    """After a change of the event's settings, nobody stays stuck: with approval off, the requests waiting
    for it are approved (in the order they came, into the queue); then the places that capacity now
    allows (more places, or no limit) go to the queue in order, on every coming date. With the waiting
    list turned off, people already on it keep their turn; nobody new joins it."""
    if event.status in {Event.Status.CANCELLED, Event.Status.POSTPONED}:
        return
    coming = Occurrence.objects.filter(event=event, start_utc__gt=timezone.now(), cancelled=False)
    asking = RSVP.objects.filter(occurrence__in=coming, status=Status.PENDING)
    waiting = Q(waitlist_count__gt=0)
    if not event.requires_approval:
        waiting |= Q(pk__in=asking.values("occurrence_id"))
    ids = list(coming.filter(waiting).values_list("pk", flat=True))
    for pk in ids:
        occurrence = Occurrence.objects.select_for_update(of=("self",)).get(pk=pk)
        occurrence.event = event  # the settings just saved (capacity, waiting list, approval)
        approved: list[RSVP] = []
        if not event.requires_approval:
            approved = list(RSVP.objects.filter(occurrence=occurrence, status=Status.PENDING).select_related("user"))
            now = timezone.now()
            for rsvp in approved:
                rsvp.status, rsvp.updated_at = Status.WAITLISTED, now
                rsvp.queued_at = rsvp.queued_at or rsvp.created_at
            RSVP.objects.bulk_update(approved, ["status", "updated_at", "queued_at"])
            _recount(occurrence)
        # The approved are told once, that they are approved (going or waiting), not also "promoted".
        _promote(occurrence, quiet=frozenset(rsvp.pk for rsvp in approved))
        if approved:
            transaction.on_commit(
                partial(
                    notify,
                    users=[rsvp.user for rsvp in approved],
                    kind=Notification.Kind.EVENT_APPROVED,
                    actor=actor,
                    topic=event.topic,
                    event=event,
                    occurrence=occurrence,
                )
            )


def _locked_occurrence(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("event", "event__topic", "event__topic__category")
        .get(pk=occurrence.pk)
    )


@transaction.atomic
def event_rsvp(*, user: User, occurrence: Occurrence, status: str) -> RSVP:
    """Say going, interested or not going to one date. Going to a full date joins the waiting list
    (if the event keeps one); going to an event that needs approval asks its organizers. A place freed
    goes to the first on the waiting list. Refused, with the reason and nothing changed: a cancelled or
    postponed event or date, a date that has started, a registration deadline passed, a full date with
    no waiting list."""
    if status not in {Status.GOING, Status.INTERESTED, Status.NOT_GOING}:
        raise _error(_("Choose going, interested or not going."), "bad_rsvp")
    occurrence = _locked_occurrence(occurrence)
    event = occurrence.event
    if not permissions.can_event(user, "rsvp", event):
        raise PermissionDenied
    now = timezone.now()
    if event.status == Event.Status.CANCELLED or occurrence.cancelled:
        raise _error(_("This event is cancelled: nobody can say they are going."), "cancelled")
    if event.status == Event.Status.POSTPONED:
        raise _error(_("This event is postponed: answers open again when it has a new date."), "postponed")
    if occurrence.start_utc <= now:
        raise _error(_("This date has already started or passed."), "past")
    rsvp = RSVP.objects.filter(occurrence=occurrence, user=user).first()
    previous = rsvp.status if rsvp else None
    new: str
    if (
        status != Status.NOT_GOING
        and event.registration_deadline
        and event.registration_deadline <= now
        and previous not in {Status.GOING, Status.INTERESTED, Status.WAITLISTED, Status.PENDING}
    ):
        raise _error(_("Registration for this event has closed."), "deadline")
    if status == Status.GOING:
        if rsvp is not None and previous in {Status.GOING, Status.WAITLISTED, Status.PENDING}:
            return rsvp  # asked again: nothing to do
        if previous == Status.DECLINED:
            raise _error(_("The organizers did not approve your place at this date."), "declined")
        if event.requires_approval and not permissions.is_event_organizer(user, event):
            new = Status.PENDING
        elif _full(occurrence):
            if not event.waitlist:
                raise _error(_("This date is full, and its organizers keep no waiting list."), "full")
            new = Status.WAITLISTED
        else:
            new = Status.GOING
    else:
        if previous == Status.DECLINED:
            raise _error(_("The organizers did not approve your place at this date."), "declined")
        new = status
    if rsvp is None:
        rsvp = RSVP(occurrence=occurrence, user=user, status=new, created_at=now)
    rsvp.status = new
    rsvp.updated_at = now
    rsvp.queued_at = now if new in {Status.WAITLISTED, Status.PENDING} else None
    rsvp.save()
    _recount(occurrence)
    if previous == Status.GOING and new != Status.GOING:
        _promote(occurrence)
    if new == Status.PENDING:
        organizers = [event.topic.user, *event.organizers.all()]
        transaction.on_commit(
            lambda: notify(
                users=organizers,
                kind=Notification.Kind.EVENT_REQUEST,
                actor=user,
                topic=event.topic,
                event=event,
                occurrence=occurrence,
            )
        )
    content_changed()
    return rsvp


@transaction.atomic
def rsvp_decide(*, user: User, rsvp: RSVP, approve: bool) -> RSVP:
    """An organizer approves (a place, or the waiting list when full) or declines a request to go."""
    occurrence = _locked_occurrence(rsvp.occurrence)
    event = occurrence.event
    if not permissions.can_event(user, "manage", event):
        raise PermissionDenied
    rsvp = RSVP.objects.select_for_update().select_related("user").get(pk=rsvp.pk)
    if rsvp.status not in {Status.PENDING, Status.WAITLISTED, Status.GOING} or (
        not approve and rsvp.status == Status.DECLINED
    ):
        raise _error(_("This answer is not waiting for a decision."), "not_pending")
    previous = rsvp.status
    if approve:
        if previous != Status.PENDING:
            raise _error(_("This answer is not waiting for a decision."), "not_pending")
        if _full(occurrence):
            if not event.waitlist:
                raise _error(_("This date is full: free a place first."), "full")
            rsvp.status = Status.WAITLISTED
        else:
            rsvp.status = Status.GOING
        kind = Notification.Kind.EVENT_APPROVED
    else:
        rsvp.status = Status.DECLINED
        kind = Notification.Kind.EVENT_DECLINED
    rsvp.updated_at = timezone.now()
    rsvp.save(update_fields=["status", "updated_at"])
    _recount(occurrence)
    if previous == Status.GOING:
        _promote(occurrence)
    person = rsvp.user
    transaction.on_commit(
        lambda: notify(users=[person], kind=kind, actor=user, topic=event.topic, event=event, occurrence=occurrence)
    )
    content_changed()
    return rsvp


# --- Messages to attendees ----------------------------------------------------------------------


@transaction.atomic
def event_message_send(
    *,
    user: User,
    event: Event,
    subject: str,
    body: str,
    occurrence: Occurrence | None = None,
    include_waitlist: bool = False,
) -> EventMessage:
    """An organizer writes to the people going (to one date, or to any coming date), and optionally to
    those waiting: each gets it by mail (their address is never shown to anyone) and in notifications."""
    if not permissions.can_event(user, "manage", event):
        raise PermissionDenied
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise _error(_("Write a subject and a message."), "empty")
    if len(subject) > 200 or len(body) > 5000:
        raise _error(_("The subject has 200 characters at most, the message 5,000."), "too_long")
    statuses = [Status.GOING, *([Status.WAITLISTED] if include_waitlist else [])]
    rsvps = RSVP.objects.filter(occurrence__event=event, status__in=statuses).select_related("user")
    if occurrence is not None:
        rsvps = rsvps.filter(occurrence=occurrence)
    else:
        rsvps = rsvps.filter(occurrence__end_utc__gt=timezone.now())
    people = [p for p in {r.user_id: r.user for r in rsvps}.values() if p.pk != user.pk and p.is_active]
    people = [p for p in people if permissions.can(p, "see", event.topic)]
    message = EventMessage.objects.create(
        event=event, occurrence=occurrence, sender=user, subject=subject, body=body, recipients=len(people)
    )
    notify(users=people, kind=Notification.Kind.EVENT_MESSAGE, actor=user, topic=event.topic, event=event)
    message_id = message.pk
    transaction.on_commit(lambda: _enqueue_message_mail(message_id))
    return message


def _enqueue_message_mail(message_id: int) -> None:
    from .tasks import send_event_message

    send_event_message.enqueue(message_id)


def event_message_mail(*, message_id: int) -> int:
    """Mail one organizer message to its recipients (fetched again: who is still going and may see it)."""
    message = EventMessage.objects.select_related("event", "event__topic", "sender").filter(pk=message_id).first()
    if message is None:
        return 0
    event = message.event
    statuses = [Status.GOING, Status.WAITLISTED]
    rsvps = RSVP.objects.filter(occurrence__event=event, status__in=statuses).select_related("user")
    if message.occurrence_id:
        rsvps = rsvps.filter(occurrence_id=message.occurrence_id)
    told = set(
        Notification.objects.filter(
            kind=Notification.Kind.EVENT_MESSAGE, event=event, created_at__gte=message.created_at
        ).values_list("user_id", flat=True)
    )
    people = [r.user for r in rsvps if r.user_id in told]
    sent = 0
    context = {"message": message, "event": event, "link": settings.SITE_URL + event.topic.get_absolute_url()}
    text = render_to_string("events/email/message.txt", context)
    for person in {p.pk: p for p in people}.values():
        if person.email and permissions.can(person, "see", event.topic):
            send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + message.subject, text, None, [person.email])
            sent += 1
    return sent


# --- Reminders ----------------------------------------------------------------------------------

REMINDERS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Claim the dates starting within a day (or an hour) whose reminder has not gone out, and send it
    (a task per date and kind). A claim is one UPDATE ... WHERE reminded_*_at IS NULL, so two workers
    never send the same reminder. A date that starts within the hour skips the day's reminder."""
    now = now or timezone.now()
    claimed = 0
    for kind, ahead in REMINDERS.items():
        column = f"reminded_{kind}_at"
        candidates = Occurrence.objects.filter(
            start_utc__gt=now,
            start_utc__lte=now + ahead,
            cancelled=False,
            going_count__gt=0,
            **{f"{column}__isnull": True},
        ).exclude(event__status__in=[Event.Status.CANCELLED, Event.Status.POSTPONED])
        for pk, start_utc in candidates.values_list("pk", "start_utc")[:500]:
            with transaction.atomic():
                if not Occurrence.objects.filter(pk=pk, **{f"{column}__isnull": True}).update(**{column: now}):
                    continue  # another worker claimed it
                if kind == "day" and start_utc - now <= REMINDERS["hour"]:
                    continue  # too late for "tomorrow": the hour's reminder follows
                claimed += 1
                transaction.on_commit(partial(_enqueue_reminder, pk, kind))
    return claimed


def _enqueue_reminder(occurrence_id: int, kind: str) -> None:
    from .tasks import send_occurrence_reminder

    send_occurrence_reminder.enqueue(occurrence_id, kind)


def occurrence_remind(*, occurrence_id: int, kind: str) -> int:
    """Remind the people going to one date: by mail, and in their notifications. Returns how many.
    Run by a task; safe to run twice (a second run finds everyone told already)."""
    occurrence = (
        Occurrence.objects.select_related("event", "event__topic").filter(pk=occurrence_id, cancelled=False).first()
    )
    if occurrence is None or occurrence.event.status in {Event.Status.CANCELLED, Event.Status.POSTPONED}:
        return 0
    event = occurrence.event
    if getattr(occurrence, f"reminded_{kind}_at", None) is None:
        return 0  # never claimed: reminders_send_due decides what is due
    notification_kind = Notification.Kind.EVENT_REMINDER_HOUR if kind == "hour" else Notification.Kind.EVENT_REMINDER
    # People told by an earlier run of this same reminder are not told again.
    told = set(
        Notification.objects.filter(kind=notification_kind, occurrence=occurrence).values_list("user_id", flat=True)
    )
    going = RSVP.objects.filter(occurrence=occurrence, status=Status.GOING).select_related("user")
    people = [
        r.user
        for r in going
        if r.user.is_active and r.user_id not in told and permissions.can(r.user, "see", event.topic)
    ]
    if not people:
        return 0
    notify(users=people, kind=notification_kind, topic=event.topic, event=event, occurrence=occurrence)
    from .queries import occurrence_times

    for person in people:
        if not person.email:
            continue
        times = occurrence_times(occurrence, viewer_zone=person.timezone or event.timezone)
        context = {
            "event": event,
            "occurrence": occurrence,
            "times": times,
            "kind": kind,
            "person": person,
            "online_url": event.online_url
            if permissions.can_event(person, "see_online_link", event, going=True)
            else "",
            "link": f"{settings.SITE_URL}{event.topic.get_absolute_url()}?occurrence={occurrence.pk}",
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("events/email/reminder_subject.txt", context).strip()
        body = render_to_string("events/email/reminder_message.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
    return len(people)


# --- Private feeds and member locations -----------------------------------------------------------


@transaction.atomic
def calendar_token_for(*, user: User) -> CalendarToken:
    """The person's private feed token (made on first use)."""
    token = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
    return token or CalendarToken.objects.create(user=user)


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarToken:
    """Revoke the person's feed token (its URL answers 404 from now on) and make a new one."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return CalendarToken.objects.create(user=user)


@transaction.atomic
def member_location_set(
    *, user: User, city: str, latitude: float, longitude: float, show_on_map: bool
) -> MemberLocation:
    city = city.strip()
    if not city:
        raise _error(_("Name your city."), "no_city", "city")
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise _error(_("Latitude is between -90 and 90."), "bad_latitude", "latitude")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise _error(_("Longitude is between -180 and 180."), "bad_longitude", "longitude")
    location, _created = MemberLocation.objects.update_or_create(
        user=user,
        defaults={
            "city": city[:100],
            "latitude": latitude,
            "longitude": longitude,
            "show_on_map": show_on_map,
            "updated_at": timezone.now(),
        },
    )
    return location


def member_location_clear(*, user: User) -> None:
    MemberLocation.objects.filter(user=user).delete()
