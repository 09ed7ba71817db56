"""An event's dates: occurrence rows written from its rule up to the horizon, kept in step with a change of
schedule without losing an answer, and one date cancelled, moved or annotated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.notifications.models import Notification
from agora.notifications.services import notify

from .. import recurrence
from ..models import (
    ATTENDING,
    RSVP,
    Event,
    Occurrence,
    occurrence_key,
)
from ._common import _error, _tell_attendees


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
