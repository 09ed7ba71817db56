"""The dates that ICS feeds write: by filter, one event, a member's private feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from agora import permissions

from ..models import ATTENDING, RSVP, CalendarToken, Event, Occurrence
from .filters import Filters, _event_filter
from .limits import FEED_PAST_DAYS


def feed_events(user: Any, filters: Filters) -> list[Event]:
    """Events for an ICS feed: with a date in the last FEED_PAST_DAYS or later (past ones only with
    when=past or all), each with its changed dates (overrides) and organizers, in three queries."""
    now = timezone.now()
    occurrences = permissions.listed_occurrences(user)
    if filters.when == "past":
        occurrences = occurrences.filter(end_utc__lte=now)
    elif filters.when != "all":
        occurrences = occurrences.filter(end_utc__gt=now - timedelta(days=FEED_PAST_DAYS))
    events = (
        permissions.listed_events(user)
        .filter(_event_filter(user, filters, ""))
        .filter(id__in=occurrences.values("event_id"))
        .select_related("topic", "topic__category", "topic__user")
        .order_by("start_date", "id")
    )
    return _with_feed_rows(user, list(events[:5000]))


def going_event_ids(user: Any, events: list[Event]) -> frozenset[int]:
    """Which of these events the user is going to (a date of): their calendar files carry the online link
    shown to the people going (one query)."""
    if not user.is_authenticated or not events:
        return frozenset()
    return frozenset(
        RSVP.objects.filter(
            user=user, status=RSVP.Status.GOING, occurrence__event_id__in=[e.pk for e in events]
        ).values_list("occurrence__event_id", flat=True)
    )


def private_feed_events(user: Any) -> list[Event]:
    """The events a person organizes or answered going, interested or waiting to, that they may still
    see (private and unlisted ones included): their private feed."""
    mine = Event.objects.filter(
        Q(organizers=user)
        | Q(topic__user=user)
        | Q(occurrences__rsvps__user=user, occurrences__rsvps__status__in=ATTENDING)
    ).values("id")
    events = (
        permissions.visible_events(user)
        .filter(id__in=mine, topic__deleted_at__isnull=True)
        .select_related("topic", "topic__category", "topic__user")
        .order_by("start_date", "id")
    )
    return _with_feed_rows(user, list(events[:5000]))


def _with_feed_rows(user: Any, events: list[Event]) -> list[Event]:
    """Attach to each event its dates that differ from the rule, or its one date (.feed_occurrences), its
    organizers (.organizer_list) and its opening post's HTML (.opening_html): three queries whatever the
    number of events."""
    ids = [e.pk for e in events]
    rows: dict[int, list[Occurrence]] = {pk: [] for pk in ids}
    if ids:
        qs = Occurrence.objects.filter(event_id__in=ids).filter(
            Q(moved=True) | Q(cancelled=True) | ~Q(note="") | Q(event__rrule="")
        )
        for occurrence in qs.order_by("start_utc", "id"):
            rows[occurrence.event_id].append(occurrence)
    organizers: dict[int, list[Any]] = {pk: [] for pk in ids}
    if ids:
        through = Event.organizers.through.objects.filter(event_id__in=ids).select_related("user")
        for link in through:
            organizers[link.event_id].append(link.user)
    opening: dict[int, str] = {}
    if ids:
        opening = dict(
            permissions.visible_posts(user)
            .filter(topic_id__in=[e.topic_id for e in events], number=1)
            .values_list("topic_id", "html")
        )
    for event in events:
        event.opening_html = opening.get(event.topic_id, "")
        event.feed_occurrences = rows[event.pk]
        event.organizer_list = organizers[event.pk]
        event.__dict__["_agora_organizer_ids"] = {u.pk for u in organizers[event.pk]}
    return events


def one_event_feed(user: Any, event: Event) -> list[Event]:
    return _with_feed_rows(user, [event])


def get_feed_owner(token: str) -> Any:
    """The person whose private feed this is, or None (a revoked or unknown token)."""
    row = (
        CalendarToken.objects.filter(token=token[:64], revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return row.user if row else None


def calendar_token(user: Any) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
