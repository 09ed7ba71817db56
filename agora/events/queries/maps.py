"""The map, GeoJSON, events near a place and the member map."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin
from django.utils import timezone

from agora.core.translated_names import translated

from ..models import MemberLocation, Occurrence, OccurrenceQuerySet
from .filters import Filters, filtered_occurrences
from .limits import EARTH_KM, MAP_LIMIT
from .times import occurrence_times


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
                    "category": translated(event.topic.category, "name") if event.topic.category else "",
                    "language": event.topic.language,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


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
