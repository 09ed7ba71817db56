"""Creating and editing events: the fields an event form gives, checked, and the event and its topic written."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.page_cache import content_changed
from agora.discuss import services as discuss_services
from agora.discuss.models import Category, Topic, make_slug
from agora.groups.models import Group
from agora.notifications.models import Notification

from .. import hooks, recurrence
from ..models import (
    RSVP,
    Event,
)
from ._common import _error, _tell_attendees
from .rsvps import _open_places
from .schedule import occurrences_sync

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
    hooks.event_saved.send(event=event)
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
    hooks.event_saved.send(event=event)
    if changed:
        kind = (
            Notification.Kind.EVENT_CANCELLED
            if "status" in changed and event.status == Event.Status.CANCELLED
            else Notification.Kind.EVENT_CHANGED
        )
        # Those told about their own date's move or cancellation are not told twice.
        _tell_attendees(event=event, occurrences=None, actor=user, kind=kind, skip_user_ids=event.schedule_changes.told)
    return event
