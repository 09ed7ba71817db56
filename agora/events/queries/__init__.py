"""Event reads: calendars, the map, lists, feeds and the event box, through the permission module.

Everything starts from permissions.listed_occurrences / listed_events (or visible_* for pages reached by
link) and reads occurrences by their indexed UTC range: a fixed number of queries whatever the number
of events and dates. Times are turned into the viewer's zone here, in Python, as naive wall times the
templates print as they are.

The reads are in parts, one per kind of page; this package names them all, so callers import
`agora.events.queries`: `times` (the viewer's zone), `filters` (the query string of every calendar, map
and feed), `calendar` (month, week, agenda, upcoming), `maps` (map, GeoJSON, near me, member map), `feeds`
(ICS), `box` (the event box on a topic page and the organizers' reads), `limits` (how much a page shows).
"""

from .box import (
    EventBox,
    attendees_for_export,
    event_box,
    event_occurrences_for_manager,
    event_of_topic,
    pending_rsvp_for,
)
from .calendar import (
    agenda_occurrences,
    annotate_times,
    annotate_times_for_event,
    month_grid,
    place_by_day,
    range_occurrences,
    upcoming_occurrences,
    week_start,
    zone_bounds,
)
from .feeds import calendar_token, feed_events, get_feed_owner, going_event_ids, one_event_feed, private_feed_events
from .filters import Filters, filtered_occurrences, parse_filters
from .limits import AGENDA_PAGE, DAY_CELL, EARTH_KM, FEED_PAST_DAYS, MAP_LIMIT, MAP_LIST, UPCOMING_SIDEBAR
from .maps import (
    bounding_box,
    geojson,
    location_of,
    map_occurrences,
    member_map_points,
    occurrences_near,
    online_occurrences,
)
from .times import Times, local_days, occurrence_times

__all__ = [
    "AGENDA_PAGE",
    "DAY_CELL",
    "EARTH_KM",
    "FEED_PAST_DAYS",
    "MAP_LIMIT",
    "MAP_LIST",
    "UPCOMING_SIDEBAR",
    "EventBox",
    "Filters",
    "Times",
    "agenda_occurrences",
    "annotate_times",
    "annotate_times_for_event",
    "attendees_for_export",
    "bounding_box",
    "calendar_token",
    "event_box",
    "event_occurrences_for_manager",
    "event_of_topic",
    "feed_events",
    "filtered_occurrences",
    "geojson",
    "get_feed_owner",
    "going_event_ids",
    "local_days",
    "location_of",
    "map_occurrences",
    "member_map_points",
    "month_grid",
    "occurrence_times",
    "occurrences_near",
    "one_event_feed",
    "online_occurrences",
    "parse_filters",
    "pending_rsvp_for",
    "place_by_day",
    "private_feed_events",
    "range_occurrences",
    "upcoming_occurrences",
    "week_start",
    "zone_bounds",
]
