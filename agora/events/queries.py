"""Event reads: calendars, the map, lists, feeds and the event box, through the permission module.

Everything starts from permissions.listed_occurrences / listed_events (or visible_* for pages reached by
link) and reads occurrences by their indexed UTC range: a fixed number of queries whatever the number
of events and dates. Times are turned into the viewer's zone here, in Python, as naive wall times the
templates print as they are.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin
from django.utils import timezone

from agora import permissions
from agora.discuss.models import Category, Tag, Topic
from agora.groups.models import Group

from . import recurrence
from .models import ATTENDING, RSVP, CalendarToken, Event, MemberLocation, Occurrence, OccurrenceQuerySet

# A month grid shows six weeks at most; the agenda pages 30 dates at a time.
AGENDA_PAGE = 30
UPCOMING_SIDEBAR = 5
MAP_LIMIT = 2000
MAP_LIST = 100  # events in person listed beside the map (the agenda pages through them all)
DAY_CELL = 4  # dates shown in a month's day cell; the rest are "+N more", linking to that week
FEED_PAST_DAYS = 90
EARTH_KM = 6371.0


# --- Times in the viewer's zone -----------------------------------------------------------------


@dataclass
class Times:
    """One date of an event as a viewer sees it: in their zone, with the event's own zone beside."""

    all_day: bool
    start: datetime  # naive wall time in the viewer's zone (all day: the date at 00:00)
    end: datetime  # naive; all day: the last day at 00:00
    event_start: datetime  # naive wall time in the event's zone
    event_end: datetime
    viewer_zone: str
    event_zone: str
    same_zone: bool
    start_utc: datetime
    end_utc: datetime


def occurrence_times(occurrence: Occurrence, viewer_zone: str | None) -> Times:
    event = occurrence.event
    zone_name = recurrence.valid_zone_or_none(viewer_zone) or event.timezone
    if event.all_day:
        start = datetime.combine(occurrence.start_date, time(0))
        end = datetime.combine(occurrence.end_date, time(0))
        return Times(
            True, start, end, start, end, zone_name, event.timezone, True, occurrence.start_utc, occurrence.end_utc
        )
    viewer = zoneinfo.ZoneInfo(zone_name)
    event_zone = zoneinfo.ZoneInfo(event.timezone)
    return Times(
        all_day=False,
        start=occurrence.start_utc.astimezone(viewer).replace(tzinfo=None),
        end=occurrence.end_utc.astimezone(viewer).replace(tzinfo=None),
        event_start=occurrence.start_utc.astimezone(event_zone).replace(tzinfo=None),
        event_end=occurrence.end_utc.astimezone(event_zone).replace(tzinfo=None),
        viewer_zone=zone_name,
        event_zone=event.timezone,
        same_zone=_same_offsets(occurrence, viewer, event_zone),
        start_utc=occurrence.start_utc,
        end_utc=occurrence.end_utc,
    )


def _same_offsets(occurrence: Occurrence, a: zoneinfo.ZoneInfo, b: zoneinfo.ZoneInfo) -> bool:
    if a.key == b.key:
        return True
    return all(
        moment.astimezone(a).utcoffset() == moment.astimezone(b).utcoffset() for moment in (occurrence.start_utc,)
    )


def local_days(times: Times) -> list[date]:
    """The viewer's days a date covers (an evening that ends after midnight is on its first day only)."""
    first = times.start.date()
    last = times.end.date()
    if not times.all_day and last > first and times.end.time() == time(0):
        last -= timedelta(days=1)
    if not times.all_day and last > first and times.end - times.start < timedelta(hours=24):
        last = first
    days: list[date] = []
    day = first
    while day <= last and len(days) < 62:
        days.append(day)
        day += timedelta(days=1)
    return days


# --- Filters ------------------------------------------------------------------------------------


@dataclass
class Filters:
    """What a calendar, map or feed is narrowed to (from the query string; unknown values are ignored)."""

    category: Category | None = None
    tag: Tag | None = None
    group: Group | None = None
    language: str = ""
    country: str = ""
    mode: str = ""  # "online", "in_person" or ""
    when: str = "upcoming"  # "upcoming", "past", "all"
    mine: bool = False
    unknown: list[str] = field(default_factory=list)  # named things the viewer may not see or that do not exist

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as query string pairs (for links that keep them)."""
        values = {
            "category": self.category.slug if self.category else "",
            "tag": self.tag.name if self.tag else "",
            "group": self.group.name if self.group else "",
            "language": self.language,
            "country": self.country,
            "mode": self.mode,
            "when": "" if self.when == "upcoming" else self.when,
            "mine": "1" if self.mine else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


def parse_filters(user: Any, params: Any, *, category: Category | None = None, group: Group | None = None) -> Filters:
    """Filters from a query string; names are looked up through the permission module, so a private
    category, tag or hidden group filters to nothing, exactly like a name nobody has."""
    filters = Filters(category=category, group=group)
    slug = (params.get("category") or "").strip()
    if category is None and slug:
        filters.category = permissions.visible_categories(user).filter(slug=slug[:80]).first()
        if filters.category is None:
            filters.unknown.append("category")
    name = (params.get("tag") or "").strip().lower()
    if name:
        from agora.discuss.queries import tags_usable_by

        filters.tag = tags_usable_by(user).filter(name=name[:40]).first()
        if filters.tag is None:
            filters.unknown.append("tag")
    group_name = (params.get("group") or "").strip()
    if group is None and group_name:
        filters.group = permissions.visible_groups(user).filter(name=group_name[:60]).first()
        if filters.group is None:
            filters.unknown.append("group")
    language = (params.get("language") or "").strip()
    from agora.core.languages import CONTENT_LANGUAGE_CODES

    filters.language = language if language in CONTENT_LANGUAGE_CODES else ""
    country = (params.get("country") or "").strip().upper()
    filters.country = country if len(country) == 2 and country.isalpha() else ""
    mode = params.get("mode") or ""
    filters.mode = mode if mode in {"online", "in_person"} else ""
    when = params.get("when") or "upcoming"
    filters.when = when if when in {"upcoming", "past", "all"} else "upcoming"
    filters.mine = bool(params.get("mine")) and user is not None and user.is_authenticated
    return filters


def _event_filter(user: Any, filters: Filters, prefix: str) -> Q:
    """The filters as a condition on events (prefix "event__" from occurrences, "" from events)."""
    q = Q()
    if filters.unknown:
        return Q(pk__in=[])
    if filters.category is not None:
        ids = [filters.category.pk, *_subcategory_ids(user, filters.category)]
        q &= Q(**{f"{prefix}topic__category_id__in": ids})
    if filters.tag is not None:
        q &= Q(**{f"{prefix}topic_id__in": Topic.tags.through.objects.filter(tag=filters.tag).values("topic_id")})
    if filters.group is not None:
        q &= Q(**{f"{prefix}group_id": filters.group.pk})
    if filters.language:
        q &= Q(**{f"{prefix}languages__contains": f",{filters.language},"})
    if filters.country:
        q &= Q(**{f"{prefix}country": filters.country})
    if filters.mode == "online":
        q &= ~Q(**{f"{prefix}online_url": ""})
    elif filters.mode == "in_person":
        q &= Q(**{f"{prefix}latitude__isnull": False}) | ~Q(**{f"{prefix}venue": ""}) | ~Q(**{f"{prefix}address": ""})
    if filters.mine:
        event_ids = Event.objects.filter(
            Q(organizers=user)
            | Q(topic__user=user)
            | Q(
                occurrences__rsvps__user=user,
                occurrences__rsvps__status__in=[RSVP.Status.GOING, RSVP.Status.INTERESTED],
            )
        ).values("id")
        q &= Q(**{f"{prefix}id__in" if prefix else "id__in": event_ids})
    return q


def _subcategory_ids(user: Any, category: Category) -> list[int]:
    return [
        cid
        for cid, parent_id in permissions.visible_categories(user).values_list("id", "parent_id")
        if parent_id == category.pk
    ]


def _with_event(qs: Any) -> OccurrenceQuerySet:
    return qs.select_related("event", "event__topic", "event__topic__category", "event__group")


def filtered_occurrences(user: Any, filters: Filters) -> OccurrenceQuerySet:
    return _with_event(permissions.listed_occurrences(user).filter(_event_filter(user, filters, "event__")))


# --- Calendar pages -------------------------------------------------------------------------------


def range_occurrences(user: Any, filters: Filters, start: datetime, end: datetime) -> list[Occurrence]:
    """Every listed date touching [start, end) (aware UTC bounds), with its event, in one query. The bounds
    are widened by a day each way so all-day dates (floating) are found from any zone; callers place
    them by date."""
    qs = filtered_occurrences(user, filters).overlapping(start - timedelta(days=1), end + timedelta(days=1))
    return list(qs.order_by("start_utc", "id")[:5000])


def month_grid(first_weekday: int, year: int, month: int) -> list[list[date]]:
    """Weeks (lists of 7 dates) covering the month, starting on the locale's first day (0 = Sunday)."""
    first = date(year, month, 1)
    # Python: Monday=0..Sunday=6; Django's FIRST_DAY_OF_WEEK: Sunday=0..Saturday=6.
    offset = (first.weekday() + 1 - first_weekday) % 7
    start = first - timedelta(days=offset)
    weeks = []
    day = start
    while True:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
        if day.month != month or len(weeks) == 6:
            break
    return weeks


def week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() + 1 - first_weekday) % 7)


def zone_bounds(first: date, last: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants of the viewer's days first 00:00 to the day after last 00:00."""
    zone = zoneinfo.ZoneInfo(zone_name)
    return (
        recurrence.wall_to_utc(datetime.combine(first, time(0)), zone),
        recurrence.wall_to_utc(datetime.combine(last + timedelta(days=1), time(0)), zone),
    )


def place_by_day(occurrences: list[Occurrence], zone_name: str, days: list[date]) -> dict[date, list[Occurrence]]:
    """Each date under the viewer's days it covers (annotated with .times)."""
    wanted = set(days)
    by_day: dict[date, list[Occurrence]] = {d: [] for d in days}
    for occurrence in occurrences:
        occurrence.times = occurrence_times(occurrence, zone_name)
        for day in local_days(occurrence.times):
            if day in wanted:
                by_day[day].append(occurrence)
    return by_day


def agenda_occurrences(user: Any, filters: Filters) -> QuerySet[Occurrence]:
    """Coming dates soonest first; past ones latest first; or all, in time order."""
    qs = filtered_occurrences(user, filters)
    now = timezone.now()
    if filters.when == "past":
        return qs.past(now).order_by("-start_utc", "-id")
    if filters.when == "all":
        return qs.order_by("start_utc", "id")
    return qs.upcoming(now).order_by("start_utc", "id")


def annotate_times(occurrences: list[Occurrence], zone_name: str) -> list[Occurrence]:
    for occurrence in occurrences:
        occurrence.times = occurrence_times(occurrence, zone_name)
    return occurrences


def annotate_times_for_event(occurrences: list[Occurrence], event: Event, zone_name: str) -> list[Occurrence]:
    for occurrence in occurrences:
        occurrence.event = event
    return annotate_times(occurrences, zone_name)


def upcoming_occurrences(
    user: Any, *, limit: int = UPCOMING_SIDEBAR, group: Group | None = None, category: Category | None = None
) -> list[Occurrence]:
    """The next dates for a sidebar (one query): not cancelled, of events not cancelled."""
    qs = _with_event(permissions.listed_occurrences(user)).upcoming().filter(cancelled=False)
    qs = qs.exclude(event__status=Event.Status.CANCELLED)
    if group is not None:
        qs = qs.filter(event__group=group)
    if category is not None:
        qs = qs.filter(event__topic__category=category)
    return list(qs.order_by("start_utc", "id")[:limit])


# --- Map and GeoJSON ---------------------------------------------------------------------------


def _one_per_event(qs: OccurrenceQuerySet, when: str) -> QuerySet[Occurrence]:
    """Each event's next date (or, for past ones, its latest), so a weekly meetup is one marker: a
    correlated subquery on the (event, start_utc) index, in the same query."""
    now = timezone.now()
    dates = Occurrence.objects.filter(event=OuterRef("event"))
    latest = Subquery(dates.filter(end_utc__lte=now).order_by("-start_utc", "-id").values("pk")[:1])
    following = Subquery(dates.filter(end_utc__gt=now).order_by("start_utc", "id").values("pk")[:1])
    if when == "past":
        return qs.past(now).filter(pk=latest).order_by("-start_utc", "-id")
    if when == "all":  # the next date, or the latest for an event that is over
        return qs.filter(pk=Coalesce(following, latest)).order_by("-start_utc", "-id")
    return qs.upcoming(now).filter(pk=following).order_by("start_utc", "id")


def map_occurrences(user: Any, filters: Filters, limit: int = MAP_LIMIT) -> list[Occurrence]:
    """In-person events with coordinates, each at its next date (or its latest, on the past toggle): one
    query."""
    qs = filtered_occurrences(user, filters).filter(event__latitude__isnull=False, event__longitude__isnull=False)
    return list(_one_per_event(qs, filters.when)[:limit])


def online_occurrences(user: Any, filters: Filters, limit: int = 50) -> list[Occurrence]:
    """Online events at their next date (or latest, on the past toggle), listed beside the map."""
    qs = filtered_occurrences(user, filters).exclude(event__online_url="")
    return list(_one_per_event(qs, filters.when)[:limit])


def geojson(occurrences: list[Occurrence], zone_name: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: [longitude, latitude]) of in-person dates."""
    features = []
    for occurrence in occurrences:
        event = occurrence.event
        if event.latitude is None or event.longitude is None:
            continue
        times = occurrence_times(occurrence, zone_name)
        features.append(
            {
                "type": "Feature",
                "id": occurrence.pk,
                "geometry": {"type": "Point", "coordinates": [round(event.longitude, 6), round(event.latitude, 6)]},
                "properties": {
                    "title": event.topic.title,
                    "url": f"{event.topic.get_absolute_url()}?occurrence={occurrence.pk}",
                    "start": occurrence.start_utc.isoformat().replace("+00:00", "Z")
                    if not event.all_day
                    else occurrence.start_date.isoformat(),
                    "end": occurrence.end_utc.isoformat().replace("+00:00", "Z")
                    if not event.all_day
                    else occurrence.end_date.isoformat(),
                    "all_day": event.all_day,
                    "timezone": event.timezone,
                    "local_start": times.start.isoformat(),
                    "venue": event.venue,
                    "address": event.address,
                    "country": event.country,
                    "status": "cancelled" if occurrence.cancelled else event.status,
                    "category": event.topic.category.name if event.topic.category else "",
                    "language": event.topic.language,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- Feeds --------------------------------------------------------------------------------------


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


# --- The event box on the topic page ---------------------------------------------------------------


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
        from . import ics

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


# --- Near me and the member map --------------------------------------------------------------------


def location_of(user: Any) -> MemberLocation | None:
    if not user.is_authenticated:
        return None
    return MemberLocation.objects.filter(user=user).first()


def _distance_km(lat: float, lon: float, lat_field: str, lon_field: str):
    """Great-circle distance in SQL (spherical law of cosines, clamped for acos)."""
    from django.db.models import FloatField, Value

    lat0, lon0 = Value(float(lat), output_field=FloatField()), Value(float(lon), output_field=FloatField())
    cosine = Cos(Radians(lat0)) * Cos(Radians(lat_field)) * Cos(Radians(lon_field) - Radians(lon0)) + Sin(
        Radians(lat0)
    ) * Sin(Radians(lat_field))
    return ACos(Least(Greatest(cosine, Value(-1.0)), Value(1.0))) * Value(EARTH_KM)


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    import math

    dlat = km / 111.0
    dlon = km / max(111.0 * math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def occurrences_near(
    user: Any, lat: float, lon: float, km: float, filters: Filters, limit: int = 100
) -> list[Occurrence]:
    """Coming in-person dates within `km` of a point: a bounding box on the indexed coordinates, then the
    exact distance in SQL, nearest first. One query."""
    south, north, west, east = bounding_box(lat, lon, km)
    qs = (
        filtered_occurrences(user, filters)
        .upcoming()
        .filter(event__latitude__gte=max(south, -90), event__latitude__lte=min(north, 90))
    )
    if west >= -180 and east <= 180:
        qs = qs.filter(event__longitude__gte=west, event__longitude__lte=east)
    qs = qs.annotate(distance=_distance_km(lat, lon, "event__latitude", "event__longitude")).filter(distance__lte=km)
    return list(qs.order_by("distance", "start_utc")[:limit])


def member_map_points(viewer: Any) -> list[dict[str, Any]]:
    """Members who chose to show their city, as rounded points (about 10 km): signed-in viewers only."""
    if not viewer.is_authenticated:
        return []
    rows = (
        MemberLocation.objects.filter(show_on_map=True, user__is_active=True)
        .select_related("user")
        .order_by("city", "user__username")[:MAP_LIMIT]
    )
    return [
        {
            "city": row.city,
            "latitude": round(row.latitude, 1),
            "longitude": round(row.longitude, 1),
            "name": row.user.name,
            "url": row.user.get_absolute_url(),
        }
        for row in rows
    ]
