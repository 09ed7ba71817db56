"""RSVPs: answers per date with capacity, the waiting list promoted in order, and approval by the organizers."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.notifications.models import Notification
from agora.notifications.services import notify

from ..models import (
    RSVP,
    Event,
    Occurrence,
)
from ._common import _error

Status = RSVP.Status


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
