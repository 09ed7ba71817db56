"""The event box on a topic page and the organizers' reads (attendees to export, requests waiting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from agora import permissions
from agora.discuss.models import Topic

from .. import recurrence
from ..models import RSVP, Event, Occurrence
from .times import occurrence_times


@dataclass
class EventBox:
    event: Event
    occurrences: list[Occurrence]  # the coming dates shown (and the chosen one)
    selected: Occurrence | None
    my_rsvps: dict[int, RSVP]
    going_anywhere: bool
    can_manage: bool
    can_rsvp: bool
    sees_online_link: bool
    sees_attendees: bool
    attendees: list[RSVP]
    waitlist: list[RSVP]
    pending: list[RSVP]
    organizers: list[Any]
    group_visible: bool
    zone: str
    past_count: int = 0
    rule_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def event_of_topic(topic: Topic) -> Event | None:
    try:
        return topic.event
    except Event.DoesNotExist:
        return None


def event_box(user: Any, topic: Topic, *, zone_name: str, occurrence_id: int | None = None) -> EventBox | None:
    """What the event box on a topic page shows this viewer, in a fixed number of queries: the coming
    dates (ten), the chosen one, the viewer's answers, the organizers, the people going (if the viewer
    may see them) and, for organizers, the requests waiting for approval."""
    event = event_of_topic(topic)
    if event is None:
        return None
    event.topic = topic
    now = timezone.now()
    base = Occurrence.objects.filter(event=event)
    shown = list(base.filter(end_utc__gt=now).order_by("start_utc", "id")[:10])
    if not shown:  # a past event: its last dates
        shown = list(base.order_by("-start_utc", "-id")[:5])[::-1]
    selected = None
    if occurrence_id is not None:
        selected = next((o for o in shown if o.pk == occurrence_id), None) or base.filter(pk=occurrence_id).first()
        if selected is not None and selected not in shown:
            shown = sorted([*shown, selected], key=lambda o: (o.start_utc, o.pk))
    if selected is None and shown:
        selected = next((o for o in shown if o.end_utc > now and not o.cancelled), shown[0])
    for occurrence in shown:
        occurrence.event = event
        occurrence.times = occurrence_times(occurrence, zone_name)
    organizers = list(event.organizers.all())
    event.__dict__["_agora_organizer_ids"] = {u.pk for u in organizers}
    my_rsvps: dict[int, RSVP] = {}
    going_anywhere = False
    if user.is_authenticated:
        mine = RSVP.objects.filter(user=user, occurrence__event=event)
        for rsvp in mine:
            if rsvp.status == RSVP.Status.GOING:
                going_anywhere = True
            my_rsvps[rsvp.occurrence_id] = rsvp
    for occurrence in shown:
        occurrence.my_rsvp = my_rsvps.get(occurrence.pk)
    can_manage = permissions.can_event(user, "manage", event)
    sees_attendees = permissions.can_event(user, "see_attendees", event, going=going_anywhere)
    attendees: list[RSVP] = []
    waitlist: list[RSVP] = []
    pending: list[RSVP] = []
    if selected is not None and (sees_attendees or can_manage):
        statuses = [RSVP.Status.GOING, RSVP.Status.INTERESTED]
        if can_manage:
            statuses += [RSVP.Status.WAITLISTED, RSVP.Status.PENDING]
        for rsvp in (
            RSVP.objects.filter(occurrence=selected, status__in=statuses)
            .select_related("user")
            .order_by("queued_at", "created_at", "id")
        ):
            if rsvp.status == RSVP.Status.WAITLISTED:
                waitlist.append(rsvp)
            elif rsvp.status == RSVP.Status.PENDING:
                pending.append(rsvp)
            else:
                attendees.append(rsvp)
    group_visible = event.group is not None and permissions.can(user, "see", event.group)
    box = EventBox(
        event=event,
        occurrences=shown,
        selected=selected,
        my_rsvps=my_rsvps,
        going_anywhere=going_anywhere,
        can_manage=can_manage,
        can_rsvp=permissions.can_event(user, "rsvp", event),
        sees_online_link=permissions.can_event(user, "see_online_link", event, going=going_anywhere),
        sees_attendees=sees_attendees,
        attendees=attendees,
        waitlist=waitlist,
        pending=pending,
        organizers=organizers,
        group_visible=group_visible,
        zone=zone_name,
        rule_text=recurrence.describe_rrule(event.rrule, event.start_date),
    )
    if selected is not None:
        from .. import ics

        box.extra["google"] = ics.google_link(event, selected, online_link=box.sees_online_link)
        box.extra["outlook"] = ics.outlook_link(event, selected, online_link=box.sees_online_link)
    return box


def attendees_for_export(event: Event, occurrence: Occurrence | None) -> QuerySet[RSVP]:
    """Everyone who answered (organizers only call this), by date then by when they answered."""
    qs = RSVP.objects.filter(occurrence__event=event).select_related("user", "occurrence")
    if occurrence is not None:
        qs = qs.filter(occurrence=occurrence)
    return qs.order_by("occurrence__start_utc", "status", "queued_at", "created_at", "id")


def pending_rsvp_for(user: Any, pk: int) -> RSVP | None:
    """An answer an organizer may decide on (the caller checks manage rights on its event)."""
    return (
        RSVP.objects.filter(pk=pk, occurrence__event__topic_id__in=permissions.visible_topics(user).values("id"))
        .select_related("occurrence", "occurrence__event", "occurrence__event__topic", "user")
        .first()
    )


def event_occurrences_for_manager(event: Event, limit: int = 200) -> list[Occurrence]:
    return list(Occurrence.objects.filter(event=event).order_by("start_utc", "id")[:limit])
