"""Event tasks: take ids, fetch, call a service; safe to run twice."""

from django_tasks import task

from . import services


@task()
def send_occurrence_reminder(occurrence_id: int, kind: str) -> int:
    """Remind the people going to one date ("day" or "hour" before), by mail and in their notifications."""
    return services.occurrence_remind(occurrence_id=occurrence_id, kind=kind)


@task()
def send_event_message(message_id: int) -> int:
    """Mail an organizer's message to the people it was sent to."""
    return services.event_message_mail(message_id=message_id)
