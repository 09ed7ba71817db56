"""Event writes: creating and editing events, their dates (cancel, move, note), RSVPs with capacity,
waiting list and approval, messages to attendees, reminders, private feed tokens and member locations.

Every function is keyword-only and atomic, re-checks who may do it (agora.permissions) and the rules
that guard the data, and keeps the counters on occurrence rows true in the same transaction. An event's
topic is opened by discuss.services.topic_create, so category counters, permissions and the visitors'
page cache stay right. Mail and notifications go out after commit.

The writes are in parts, one per concern; this package names them all, so callers import
`agora.events.services` and never need to know which part holds a function:
- `editing`: the fields of an event, checked; creating and editing an event and its topic.
- `schedule`: the dates (occurrence rows) from the rule up to the horizon, a change of schedule, one date's
  cancel, move or note, and UTC recomputed after a tzdata update.
- `rsvps`: answers per date, capacity, the waiting list and approval.
- `messages`: organizers' messages to the people going.
- `reminders`: a day and an hour before each date.
- `members`: a member's private calendar feed token and their place on the member map.
"""

from .editing import EventFields, check_fields, event_create, event_update
from .members import calendar_token_for, calendar_token_reset, member_location_clear, member_location_set
from .messages import event_message_mail, event_message_send
from .reminders import occurrence_remind, reminders_send_due
from .rsvps import event_rsvp, recount_occurrence, rsvp_decide
from .schedule import (
    ScheduleChanges,
    occurrence_update,
    occurrences_extend_due,
    occurrences_recompute_utc,
    occurrences_sync,
)

__all__ = [
    "EventFields",
    "ScheduleChanges",
    "calendar_token_for",
    "calendar_token_reset",
    "check_fields",
    "event_create",
    "event_message_mail",
    "event_message_send",
    "event_rsvp",
    "event_update",
    "member_location_clear",
    "member_location_set",
    "occurrence_remind",
    "occurrence_update",
    "occurrences_extend_due",
    "occurrences_recompute_utc",
    "occurrences_sync",
    "recount_occurrence",
    "reminders_send_due",
    "rsvp_decide",
]
