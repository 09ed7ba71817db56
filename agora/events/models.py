"""Events: a discussion topic with a time and a place, its occurrences (materialised from its rule) and RSVPs.

The truth of an event's time is its wall clock (dates and times) in its IANA time zone; every
occurrence keeps its own wall clock too, and its UTC start and end are derived from them (recomputed
when the zone data changes, see services.occurrences_recompute_utc). Calendars, maps and feeds read
occurrences by their indexed UTC range and never expand a rule per request.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from agora.discuss.models import Topic
from agora.groups.models import Group


class Event(models.Model):
    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("Tentative")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    class OnlineAudience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MEMBERS = "members", _("Signed-in people")
        ATTENDEES = "attendees", _("People who said they are going")

    class AttendeesVisibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone who sees the event")
        ATTENDEES = "attendees", _("People who said they are going")
        ORGANIZERS = "organizers", _("Organizers only")

    # The event's page and discussion.
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="event")
    timezone = models.CharField(_("time zone"), max_length=64)
    all_day = models.BooleanField(_("all day"), default=False)
    # Wall clock in `timezone`; an all-day event has no times and its end date is its last day.
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_date = models.DateField(_("end date"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    # RFC 5545 RRULE value (without "RRULE:"); empty for a one-off event.
    rrule = models.CharField(_("repeats"), max_length=300, blank=True)
    # Local dates the rule skips (EXDATE), as ISO dates.
    exdates = models.JSONField(default=list, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    online_audience = models.CharField(
        _("who sees the online link"), max_length=10, choices=OnlineAudience.choices, default=OnlineAudience.EVERYONE
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    waitlist = models.BooleanField(_("waiting list when full"), default=True)
    requires_approval = models.BooleanField(_("organizers approve who goes"), default=False)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    attendees_visibility = models.CharField(
        _("who sees who is going"),
        max_length=10,
        choices=AttendeesVisibility.choices,
        default=AttendeesVisibility.EVERYONE,
    )
    organizers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organized_events", blank=True)
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("organizing group"),
    )
    # Language codes as ",en,fr," so one LIKE finds an event by any of them on every database.
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    # RFC 5545 SEQUENCE: bumped whenever the time, place or status changes.
    sequence = models.PositiveIntegerField(default=0)
    # How far the rule's occurrences are written, and whether the rule has run out.
    materialized_until = models.DateTimeField(null=True, blank=True, db_index=True)
    rule_exhausted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    # Set by events.queries for feeds, never stored.
    opening_html: str
    feed_occurrences: list
    organizer_list: list
    # Set by services.event_update: what the change did to dates people had answered.
    schedule_changes: Any

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="event_place")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="event_latitude"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180), name="event_longitude"
            ),
        ]

    def __str__(self) -> str:
        return self.topic.title if self.topic_id else f"event {self.pk}"

    def get_absolute_url(self) -> str:
        return self.topic.get_absolute_url()

    @property
    def title(self) -> str:
        return self.topic.title

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def in_person(self) -> bool:
        return (self.latitude is not None and self.longitude is not None) or bool(self.venue or self.address)

    @property
    def online(self) -> bool:
        return bool(self.online_url)

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def uid(self) -> str:
        """RFC 5545 UID: the same for the event (and every occurrence of it) in every feed, forever."""
        from urllib.parse import urlsplit

        return f"event-{self.pk}@{urlsplit(settings.SITE_URL).hostname or 'agora'}"

    def wall_start(self) -> datetime:
        """The first start on the wall clock (naive)."""
        return datetime.combine(self.start_date, self.start_time or time(0))

    def wall_duration(self) -> timedelta:
        """Wall-clock length: an 18:00-20:00 event stays 18:00-20:00 local on every date of its rule."""
        if self.all_day:
            return timedelta(days=(self.end_date - self.start_date).days + 1)
        return datetime.combine(self.end_date, self.end_time or time(0)) - self.wall_start()


def occurrence_key(wall_start: datetime | date, all_day: bool) -> str:
    """An occurrence's stable key: its start on the rule's wall clock (RFC 5545 RECURRENCE-ID)."""
    return wall_start.strftime("%Y%m%d") if all_day else wall_start.strftime("%Y%m%dT%H%M%S")


class OccurrenceQuerySet(models.QuerySet):
    def overlapping(self, start: datetime, end: datetime) -> OccurrenceQuerySet:
        """Occurrences that touch [start, end): read through the start_utc index."""
        return self.filter(start_utc__lt=end, end_utc__gt=start)

    def upcoming(self, now: datetime | None = None) -> OccurrenceQuerySet:
        return self.filter(end_utc__gt=now or dj_timezone.now())

    def past(self, now: datetime | None = None) -> OccurrenceQuerySet:
        return self.filter(end_utc__lte=now or dj_timezone.now())


class Occurrence(models.Model):
    """One date of an event. A one-off event has one; a recurring event one per date of its rule,
    written up to a horizon and extended by the worker. Moved, cancelled or annotated ones keep their
    key (the rule's date), so RSVPs and feeds follow them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    key = models.CharField(max_length=15)
    start_utc = models.DateTimeField(db_index=True)
    end_utc = models.DateTimeField(db_index=True)
    # The wall clock in the event's zone (the truth; UTC above is derived from it).
    start_date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField()
    end_time = models.TimeField(null=True, blank=True)
    moved = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=1000)
    sequence = models.PositiveIntegerField(default=0)
    # Counters kept on the row, in the same transaction as the RSVP.
    going_count = models.PositiveIntegerField(default=0)
    interested_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    # Set per viewer by events.queries, never stored.
    times: Any
    my_rsvp: Any
    distance: float

    class Meta:
        ordering = ["start_utc", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="unique_occurrence_key")]
        indexes = [models.Index(fields=["event", "start_utc"], name="occurrence_event_start")]

    def __str__(self) -> str:
        return f"{self.event_id} at {self.key}"

    @property
    def overridden(self) -> bool:
        return self.moved or self.cancelled or bool(self.note)

    def is_past(self, now: datetime | None = None) -> bool:
        return self.end_utc <= (now or dj_timezone.now())

    def has_started(self, now: datetime | None = None) -> bool:
        return self.start_utc <= (now or dj_timezone.now())


class RSVP(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        INTERESTED = "interested", _("Interested")
        NOT_GOING = "not_going", _("Not going")
        WAITLISTED = "waitlisted", _("On the waiting list")
        PENDING = "pending", _("Waiting for approval")
        DECLINED = "declined", _("Not approved")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=Status.choices)
    # When the person joined the waiting list (or asked to go): the order places are given in.
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "user"], name="unique_rsvp")]
        indexes = [
            models.Index(fields=["occurrence", "status", "queued_at"], name="rsvp_queue"),
            models.Index(fields=["user", "status"], name="rsvp_user_status"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} {self.status} occurrence {self.occurrence_id}"


ATTENDING = (RSVP.Status.GOING, RSVP.Status.INTERESTED, RSVP.Status.WAITLISTED, RSVP.Status.PENDING)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed URL. Revoking it makes the old URL a 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=dj_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of user {self.user_id}"


class MemberLocation(models.Model):
    """Where a member is, for "events near me"; shown on the member map only if they choose, and then
    only as their city (coordinates rounded to about 10 km)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_location")
    city = models.CharField(_("city"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    show_on_map = models.BooleanField(_("show my city on the member map"), default=False)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        indexes = [models.Index(fields=["show_on_map", "latitude", "longitude"], name="member_map")]

    def __str__(self) -> str:
        return f"user {self.user_id} in {self.city}"


class EventMessage(models.Model):
    """A message organizers sent to the people going (kept for the record; each got it by mail and in
    their notifications)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    occurrence = models.ForeignKey(Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=dj_timezone.now)

    def __str__(self) -> str:
        return self.subject
