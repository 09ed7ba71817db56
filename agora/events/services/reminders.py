"""Reminders a day and an hour before a date, claimed so that two workers never send one twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agora import permissions
from agora.core.interface_language import mail_language
from agora.notifications.models import Notification
from agora.notifications.services import notify

from ..models import (
    RSVP,
    Event,
    Occurrence,
)

Status = RSVP.Status


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
    from ..tasks import send_occurrence_reminder

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
    from ..queries import occurrence_times

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
        with translation.override(mail_language(person)):  # in the language the person reads the site in
            subject = render_to_string("events/email/reminder_subject.txt", context).strip()
            body = render_to_string("events/email/reminder_message.txt", context)
            send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
    return len(people)
