"""Messages from the organizers to the people going, mailed after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.interface_language import mail_language
from agora.notifications.models import Notification
from agora.notifications.services import notify

from ..models import (
    RSVP,
    Event,
    EventMessage,
    Occurrence,
)
from ._common import _error

Status = RSVP.Status


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
    from ..tasks import send_event_message

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
    texts: dict[str, str] = {}  # rendered once per language: each person reads the mail in theirs
    for person in {p.pk: p for p in people}.values():
        if person.email and permissions.can(person, "see", event.topic):
            language = mail_language(person)
            with translation.override(language):
                if language not in texts:
                    texts[language] = render_to_string("events/email/message.txt", context)
                subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + message.subject
                send_mail(subject, texts[language], None, [person.email])
            sent += 1
    return sent
