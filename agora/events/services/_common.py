"""What the parts of the event writes share: a refusal naming its field, and telling the people going."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.notifications.services import notify

from ..models import (
    ATTENDING,
    RSVP,
    Event,
    Occurrence,
)


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    return ValidationError({field_name: [message]} if field_name else message, code=code)


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
