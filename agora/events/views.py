"""Event pages: calendars (month, week, agenda), the map, feeds (ICS, GeoJSON), the event form, RSVPs,
organizer tools, near me and the member map. Thin: parse, fetch through the permission module and
events.queries, call a service, render."""

from __future__ import annotations

import csv
import json
import math
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.core.forms import add_service_errors
from agora.core.languages import content_languages
from agora.core.page_cache import TIME_ZONE_COOKIE
from agora.core.pagination import page_number, peek_page
from agora.core.translated_names import translated
from agora.core.when import when_text
from agora.groups.models import Group

from . import geocoder, ics, queries, recurrence, services
from .countries import country_choices
from .forms import EventForm, LocationForm, MessageForm, OccurrenceForm, initial_for
from .models import RSVP

TZ_COOKIE = TIME_ZONE_COOKIE  # part of the visitors' page cache key
VIEWS = ("month", "week", "agenda")


def viewer_zone(request: HttpRequest) -> str:
    """The zone times are shown in: ?tz=, else the signed-in person's own, else the visitor's choice
    (a cookie), else UTC."""
    for candidate in (
        request.GET.get("tz"),
        getattr(request.user, "timezone", "") if request.user.is_authenticated else "",
        request.COOKIES.get(TZ_COOKIE),
    ):
        zone = recurrence.valid_zone_or_none(candidate)
        if zone:
            return zone
    return "UTC"


def _remember_zone(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    zone = recurrence.valid_zone_or_none(request.GET.get("tz"))
    if zone and zone != request.COOKIES.get(TZ_COOKIE):
        response.set_cookie(TZ_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _first_weekday() -> int:
    try:
        return int(formats.get_format("FIRST_DAY_OF_WEEK")) % 7
    except (TypeError, ValueError):
        return 0


def _anchor(request: HttpRequest, zone: str) -> date:
    raw = request.GET.get("date", "")
    try:
        day = date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        day = None
    if day is None or not date(1900, 1, 1) <= day <= date(2200, 12, 31):
        day = timezone.now().astimezone(recurrence.get_zone(zone)).date()
    return day


def _filter_context(request: HttpRequest, filters: queries.Filters) -> dict:
    user = request.user
    return {
        "filters": filters,
        "filter_query": urlencode(filters.query()),
        "filter_categories": list(permissions.visible_categories(user).order_by("position", "name")),
        "filter_groups": list(permissions.visible_groups(user).filter(automatic=False).order_by("name")),
        "countries": country_choices(),
        "languages": content_languages(),
    }


def calendar(request: HttpRequest, slug: str | None = None, name: str | None = None) -> HttpResponse:
    """/events, /c/<slug>/events, /g/<name>/events: a month, a week or the agenda (?view=), filtered."""
    user = request.user
    category = permissions.get_category_for_user(user, slug) if slug else None
    group = permissions.get_group_for_user(user, name) if name else None
    filters = queries.parse_filters(user, request.GET, category=category, group=group)
    view = request.GET.get("view", "month")
    view = view if view in VIEWS else "month"
    zone = viewer_zone(request)
    anchor = _anchor(request, zone)
    first_weekday = _first_weekday()
    base_path = request.path
    context: dict = {
        "view": view,
        "zone": zone,
        "anchor": anchor,
        "category": category,
        "group": group,
        "base_path": base_path,
        "ics_path": f"{base_path}.ics",
        "zones": recurrence.sorted_zone_names(),
        "can_create": bool(permissions.event_categories(user).exists()) if user.is_authenticated else False,
        **_filter_context(request, filters),
    }
    if view == "agenda":
        page = peek_page(queries.agenda_occurrences(user, filters), page_number(request), queries.AGENDA_PAGE)
        queries.annotate_times(page.object_list, zone)
        context.update(page=page, occurrences=page.object_list, days=_group_by_day(page.object_list))
    elif view == "week":
        start = queries.week_start(anchor, first_weekday)
        days = [start + timedelta(days=i) for i in range(7)]
        bounds = queries.zone_bounds(days[0], days[-1], zone)
        by_day = queries.place_by_day(queries.range_occurrences(user, filters, *bounds), zone, days)
        context.update(
            week_days=[(d, by_day[d]) for d in days],
            previous=start - timedelta(days=7),
            next=start + timedelta(days=7),
            period_start=days[0],
            period_end=days[-1],
        )
    else:
        weeks = queries.month_grid(first_weekday, anchor.year, anchor.month)
        days = [d for week in weeks for d in week]
        bounds = queries.zone_bounds(days[0], days[-1], zone)
        by_day = queries.place_by_day(queries.range_occurrences(user, filters, *bounds), zone, days)
        first = anchor.replace(day=1)
        cell = queries.DAY_CELL
        context.update(
            # A busy day shows its first dates and "+N more" (to that week, which lists them all): a month
            # holding thousands of dates stays a page a phone can render.
            weeks=[[(d, by_day[d][:cell], max(0, len(by_day[d]) - cell)) for d in week] for week in weeks],
            weekday_names=[days[i] for i in range(7)],
            month_start=first,
            previous=(first - timedelta(days=1)).replace(day=1),
            next=(first + timedelta(days=32)).replace(day=1),
            today=timezone.now().astimezone(recurrence.get_zone(zone)).date(),
        )
    response = render(request, "events/calendar.html", context)
    return _remember_zone(request, response)


def _group_by_day(occurrences) -> list[tuple[date, list]]:
    days: dict[date, list] = {}
    for occurrence in occurrences:
        days.setdefault(occurrence.times.start.date(), []).append(occurrence)
    return list(days.items())


def map_page(request: HttpRequest) -> HttpResponse:
    """/events/map: Leaflet with clustered markers (JavaScript), and the same events as a list (always)."""
    user = request.user
    filters = queries.parse_filters(user, request.GET)
    zone = viewer_zone(request)
    # The map draws every event from the GeoJSON; the list beside it (the page without JavaScript) shows
    # the first ones and sends the reader to the agenda, which pages through them all.
    in_person = queries.annotate_times(queries.map_occurrences(user, filters, limit=queries.MAP_LIST + 1), zone)
    online = queries.annotate_times(queries.online_occurrences(user, filters), zone)
    context = {
        "in_person": in_person[: queries.MAP_LIST],
        "more_in_person": len(in_person) > queries.MAP_LIST,
        "agenda_in_person": urlencode({"view": "agenda", **filters.query(mode="in_person")}),
        "online": online,
        "zone": zone,
        "zones": recurrence.sorted_zone_names(),
        "geojson_url": "/events.geojson?" + urlencode(filters.query()),
        "tiles_url": settings.AGORA_MAP_TILES_URL,
        "tiles_attribution": settings.AGORA_MAP_ATTRIBUTION,
        "base_path": request.path,
        **_filter_context(request, filters),
    }
    return _remember_zone(request, render(request, "events/map.html", context))


def events_geojson(request: HttpRequest) -> HttpResponse:
    """/events.geojson: the in-person dates the filters select, as a FeatureCollection."""
    user = request.user
    filters = queries.parse_filters(user, request.GET)
    data = queries.geojson(queries.map_occurrences(user, filters), viewer_zone(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


def _ics_response(body: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _cached_for_visitors(request: HttpRequest, build):
    """Feeds are the same for every visitor: keep the built body until any write moves the page cache's
    version (calendar apps poll them; building a big ICS costs seconds)."""
    if request.user.is_authenticated or settings.AGORA_PAGE_CACHE_SECONDS <= 0:
        return build()
    import hashlib

    from django.core.cache import cache

    from agora.core.page_cache import _version

    key = f"events-feed:{_version()}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, settings.AGORA_PAGE_CACHE_SECONDS)
    return body


def events_ics(request: HttpRequest, slug: str | None = None, name: str | None = None) -> HttpResponse:
    """/events.ics (filters by query string), /c/<slug>/events.ics, /g/<name>/events.ics."""
    return _ics_response(_cached_for_visitors(request, lambda: _events_ics_body(request, slug, name)), "events.ics")


def _events_ics_body(request: HttpRequest, slug: str | None, name: str | None) -> bytes:
    user = request.user
    category = permissions.get_category_for_user(user, slug) if slug else None
    group = permissions.get_group_for_user(user, name) if name else None
    filters = queries.parse_filters(user, request.GET, category=category, group=group)
    events = queries.feed_events(user, filters)
    named = category or group
    title = settings.SITE_NAME + " — " + (translated(named, "name") if named else _("Events"))
    return ics.calendar_bytes(events, viewer=user, name=title, going_ids=queries.going_event_ids(user, events))


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """/events/<pk>.ics: one event (all its dates), to download or subscribe to."""
    user = request.user
    event = permissions.get_event_for_user(user, pk)
    events = queries.one_event_feed(user, event)
    going = queries.going_event_ids(user, events)
    body = ics.calendar_bytes(events, viewer=user, name=event.topic.title, going_ids=going)
    return _ics_response(body, f"event-{event.pk}.ics", download=request.GET.get("download") == "1")


def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    """/events/feed/<token>.ics: the events a person organizes or answered, private ones included."""
    owner = queries.get_feed_owner(token)
    if owner is None:
        raise Http404
    events = queries.private_feed_events(owner)
    body = ics.calendar_bytes(
        events,
        viewer=owner,
        name=_("%(site)s — my events") % {"site": settings.SITE_NAME},
        going_ids=queries.going_event_ids(owner, events),
    )
    response = _ics_response(body, "my-events.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- The form ---------------------------------------------------------------------------------------


def _groups_for(user):
    return permissions.groups_to_speak_for(user).order_by("name")


def _form_context(form, *, request: HttpRequest, event=None, suggestions=None, geocode_error: str = "") -> dict:
    return {
        "form": form,
        "event": event,
        "zones": recurrence.sorted_zone_names(),
        "suggestions": suggestions or [],
        "geocode_error": geocode_error,
        "geocoder_on": geocoder.enabled(),
        "tiles_url": settings.AGORA_MAP_TILES_URL,
        "tiles_attribution": settings.AGORA_MAP_ATTRIBUTION,
    }


def _geocode_in_form(request: HttpRequest, form) -> tuple[list, str]:
    """The no-JavaScript address search: the form comes back with suggestions to pick from."""
    try:
        return geocoder.search(form.data.get("address", ""), language=get_language() or "en"), ""
    except geocoder.GeocoderError as exc:
        return [], str(exc)


def _default_zone(user) -> str:
    return recurrence.valid_zone_or_none(getattr(user, "timezone", "")) or "UTC"


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    categories = permissions.event_categories(user)
    if not permissions.may_create_events(user):
        raise PermissionDenied(
            _("Events can be created from trust level %(n)d.") % {"n": settings.AGORA_EVENT_MIN_TRUST_LEVEL}
        )
    initial: dict = {"timezone": _default_zone(user), "waitlist": True}
    if slug := request.GET.get("category"):
        initial["category"] = categories.filter(slug=slug[:80]).first()
    if user.language_list:
        initial["languages"] = [user.language_list[0]]
    form = EventForm(request.POST or None, user=user, categories=categories, groups=_groups_for(user), initial=initial)
    suggestions, geocode_error = [], ""
    if request.method == "POST" and request.POST.get("geocode"):
        suggestions, geocode_error = _geocode_in_form(request, form)
        form.is_valid()
        form.errors.clear()  # searching an address is not submitting: no error messages yet
    elif request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                user=user,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                raw=form.cleaned_data["raw"],
                tags=form.cleaned_data["tags"],
                fields=form.event_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("category", _("You may not create events in this category."))
        else:
            messages.success(request, _("Your event is published."))
            return redirect(event.topic.get_absolute_url())
    status = 400 if request.method == "POST" and not request.POST.get("geocode") else 200
    if not categories.exists():
        status = 200 if request.method == "GET" else status
    context = _form_context(form, request=request, suggestions=suggestions, geocode_error=geocode_error)
    context["no_categories"] = not categories.exists()
    return render(request, "events/form.html", context, status=status)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = permissions.get_event_for_user(user, pk, action="manage")
    groups = _groups_for(user)
    if event.group_id:
        groups = groups | Group.objects.filter(pk=event.group_id)
    form = EventForm(
        request.POST or None, user=user, groups=groups.distinct(), editing=True, initial=initial_for(event)
    )
    suggestions, geocode_error = [], ""
    if request.method == "POST" and request.POST.get("geocode"):
        suggestions, geocode_error = _geocode_in_form(request, form)
        form.is_valid()
        form.errors.clear()
    elif request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(
                user=user, event=event, title=form.cleaned_data["title"], fields=form.event_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The event was saved. The people going are told of any change of time or place.")
            )
            _tell_schedule_changes(request, event.schedule_changes)
            return redirect(event.topic.get_absolute_url())
    status = 400 if request.method == "POST" and not request.POST.get("geocode") else 200
    context = _form_context(form, request=request, event=event, suggestions=suggestions, geocode_error=geocode_error)
    context["occurrences"] = queries.event_occurrences_for_manager(event)
    return render(request, "events/form.html", context, status=status)


def _tell_schedule_changes(request: HttpRequest, changes: services.ScheduleChanges) -> None:
    """Say what a new schedule did to the dates people had answered (services.occurrences_sync)."""
    if changes.moved:
        messages.info(
            request,
            ngettext(
                "%(n)d date that people had answered moved to the nearest date of the new schedule, with "
                "their answers; they were told.",
                "%(n)d dates that people had answered moved to the nearest dates of the new schedule, with "
                "their answers; they were told.",
                len(changes.moved),
            )
            % {"n": len(changes.moved)},
        )
    if changes.cancelled:
        messages.warning(
            request,
            ngettext(
                "%(n)d date that people had answered is not in the new schedule: it stays on the calendar as "
                "cancelled, and they were told.",
                "%(n)d dates that people had answered are not in the new schedule: they stay on the calendar "
                "as cancelled, and they were told.",
                len(changes.cancelled),
            )
            % {"n": len(changes.cancelled)},
        )


@login_required
def geocode(request: HttpRequest) -> HttpResponse:
    """Address suggestions for the event form's script (JSON); the geocoder is called from here only."""
    try:
        places = geocoder.search(request.GET.get("q", ""), language=get_language() or "en")
    except geocoder.GeocoderError as exc:
        return JsonResponse({"error": str(exc), "results": []}, status=200)
    return JsonResponse({"results": [p.as_dict() for p in places]}, json_dumps_params={"ensure_ascii": False})


# --- Dates, RSVPs and organizer tools -----------------------------------------------------------------


def _back_to(occurrence) -> HttpResponse:
    return redirect(f"{occurrence.event.topic.get_absolute_url()}?occurrence={occurrence.pk}#event")


@login_required
def occurrence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = permissions.get_occurrence_for_user(request.user, pk, action="manage")
    event = occurrence.event
    initial = {
        "cancelled": occurrence.cancelled,
        "start_date": occurrence.start_date,
        "start_time": occurrence.start_time,
        "end_date": occurrence.end_date,
        "end_time": occurrence.end_time,
        "note": occurrence.note,
    }
    form = OccurrenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = datetime.combine(data["start_date"], data.get("start_time") or time(0))
        end = datetime.combine(data["end_date"], data.get("end_time") or time(0))
        try:
            services.occurrence_update(
                user=request.user,
                occurrence=occurrence,
                cancelled=data["cancelled"],
                note=data["note"],
                start=start,
                end=end,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The date was saved."))
            return _back_to(occurrence)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "events/occurrence_form.html", {"form": form, "occurrence": occurrence, "event": event}, status=status
    )


RSVP_MESSAGES = {
    RSVP.Status.GOING: _("You are going."),
    RSVP.Status.INTERESTED: _("You are interested."),
    RSVP.Status.NOT_GOING: _("You are not going."),
    RSVP.Status.WAITLISTED: _(
        "This date is full: you are on the waiting list, and will be told when a place frees up."
    ),
    RSVP.Status.PENDING: _("The organizers will approve your place; you will be told."),
}


def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: going / interested / not going to one date."""
    if request.method != "POST":
        occurrence = permissions.get_occurrence_for_user(request.user, pk)
        return _back_to(occurrence)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    occurrence = permissions.get_occurrence_for_user(request.user, pk, action="rsvp")
    try:
        answer = services.event_rsvp(user=request.user, occurrence=occurrence, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(RSVP_MESSAGES.get(answer.status, "")))
    return _back_to(occurrence)


@login_required
@require_POST
def rsvp_decide(request: HttpRequest, pk: int) -> HttpResponse:
    answer = queries.pending_rsvp_for(request.user, pk)
    if answer is None or not permissions.can(request.user, "see", answer.occurrence.event.topic):
        raise Http404
    if not permissions.can_event(request.user, "manage", answer.occurrence.event):
        raise PermissionDenied
    try:
        services.rsvp_decide(user=request.user, rsvp=answer, approve=request.POST.get("approve") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back_to(answer.occurrence)


def _csv_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@login_required
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who answered (all dates, or ?occurrence=): organizers only. No email addresses."""
    event = permissions.get_event_for_user(request.user, pk, action="manage")
    occurrence = None
    if raw := request.GET.get("occurrence"):
        occurrence = event.occurrences.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if occurrence is None:
            raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    zone = recurrence.get_zone(event.timezone)
    writer = csv.writer(response)
    writer.writerow(["date", "time zone", "username", "name", "answer", "answered at (UTC)", "waiting since (UTC)"])
    for answer in queries.attendees_for_export(event, occurrence):
        start = answer.occurrence.start_utc.astimezone(zone)
        writer.writerow(
            [
                start.date().isoformat() if event.all_day else start.strftime("%Y-%m-%d %H:%M"),
                event.timezone,
                _csv_cell(answer.user.username),
                _csv_cell(answer.user.name),
                answer.status,
                answer.created_at.strftime("%Y-%m-%d %H:%M"),
                answer.queued_at.strftime("%Y-%m-%d %H:%M") if answer.queued_at else "",
            ]
        )
    return response


@login_required
def message_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for_user(request.user, pk, action="manage")
    occurrences = [o for o in queries.event_occurrences_for_manager(event) if not o.is_past()]
    zone = viewer_zone(request)
    queries.annotate_times_for_event(occurrences, event, zone)
    form = MessageForm(request.POST or None)
    form.fields["occurrence"].choices = [("", _("any coming date"))] + [
        (o.pk, when_text(o.times.start, "datetime", zone=o.times.start.tzinfo)) for o in occurrences
    ]
    if request.method == "POST" and form.is_valid():
        chosen = next((o for o in occurrences if o.pk == form.cleaned_data.get("occurrence")), None)
        try:
            sent = services.event_message_send(
                user=request.user,
                event=event,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                occurrence=chosen,
                include_waitlist=form.cleaned_data["include_waitlist"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message was sent to %(n)d people.") % {"n": sent.recipients})
            return redirect(event.topic.get_absolute_url() + "#event")
    status = 400 if request.method == "POST" else 200
    return render(request, "events/message.html", {"form": form, "event": event}, status=status)


# --- Near me, the member map, my calendar -----------------------------------------------------------


NEAR_KM_DEFAULT, NEAR_KM_MAX = 100.0, 2000.0


def _distance_km(raw: str) -> float:
    """?km= as a distance the search can use: 1 to 2,000 km (a bigger or smaller one is brought within
    that range); anything that is not a finite number (abc, nan, inf) is the default 100 km."""
    try:
        km = float(raw[:32])
    except ValueError:
        return NEAR_KM_DEFAULT
    if not math.isfinite(km):
        return NEAR_KM_DEFAULT
    return min(max(km, 1.0), NEAR_KM_MAX)


@login_required
def near(request: HttpRequest) -> HttpResponse:
    user = request.user
    location = queries.location_of(user)
    km = _distance_km(request.GET.get("km", ""))
    filters = queries.parse_filters(user, request.GET)
    zone = viewer_zone(request)
    occurrences = []
    if location is not None:
        occurrences = queries.annotate_times(
            queries.occurrences_near(user, location.latitude, location.longitude, km, filters), zone
        )
    return render(
        request,
        "events/near.html",
        {
            "location": location,
            "km": int(km),
            "occurrences": occurrences,
            "zone": zone,
            "distances": (25, 50, 100, 250, 500),
        },
    )


@login_required
def people_map(request: HttpRequest) -> HttpResponse:
    """Members who chose to show their city; signed-in people only."""
    points = queries.member_map_points(request.user)
    return render(
        request,
        "events/people.html",
        {
            "points": points,
            "points_json": json.dumps(points, ensure_ascii=False),
            "tiles_url": settings.AGORA_MAP_TILES_URL,
            "tiles_attribution": settings.AGORA_MAP_ATTRIBUTION,
        },
    )


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """/events/my: the private feed link (and a new one), and the saved location for "near me"."""
    user = request.user
    location = queries.location_of(user)
    initial = (
        {
            "city": location.city,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "show_on_map": location.show_on_map,
        }
        if location
        else {}
    )
    form = LocationForm(request.POST or None if request.POST.get("action") == "location" else None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset_feed":
            services.calendar_token_reset(user=user)
            messages.success(request, _("Your private calendar link was changed: the old one no longer works."))
            return redirect("events:my")
        if action == "clear_location":
            services.member_location_clear(user=user)
            messages.success(request, _("Your location was removed."))
            return redirect("events:my")
        if action == "location" and form.is_valid():
            try:
                services.member_location_set(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your location was saved."))
                return redirect("events:my")
    token = services.calendar_token_for(user=user)
    feed_path = f"/events/feed/{token.token}.ics"
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/my.html",
        {"form": form, "location": location, "feed_path": feed_path, "site_url": settings.SITE_URL},
        status=status,
    )
