"""Address suggestions from a Nominatim-compatible geocoder (AGORA_GEOCODER_URL), called by the server only.

Answers are cached (AGORA_GEOCODER_CACHE_SECONDS), calls are spaced by AGORA_GEOCODER_MIN_INTERVAL
seconds across the site (Nominatim's usage policy asks for one a second), and each has a timeout. When
the geocoder is off, down, slow or answers something unreadable, the caller gets a GeocoderError with a
message for the person, and the event form still works with typed coordinates or a click on the map.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

MAX_RESULTS = 5


class GeocoderError(Exception):
    """Why no suggestion came, in words for the person who asked."""


@dataclass
class Place:
    label: str
    latitude: float
    longitude: float
    country: str  # ISO 3166 alpha-2, upper case, or ""

    def as_dict(self) -> dict:
        return asdict(self)


def enabled() -> bool:
    return bool(settings.AGORA_GEOCODER_URL)


def _cache_key(query: str, language: str) -> str:
    digest = hashlib.sha256(f"{language}\x00{query.casefold()}".encode()).hexdigest()
    return f"geocoder:{digest}"


def _take_slot() -> bool:
    """One call per interval across the site (and every process sharing the cache)."""
    interval = settings.AGORA_GEOCODER_MIN_INTERVAL
    if interval <= 0:
        return True
    slot = int(time.time() / interval)
    return cache.add(f"geocoder-slot:{slot}", 1, max(int(interval) + 1, 2))


def search(query: str, *, language: str = "en") -> list[Place]:
    """Up to five places for an address. Raises GeocoderError when none can be had."""
    query = " ".join(query.split())[:200]
    if len(query) < 3:
        raise GeocoderError(_("Type at least three characters of the address."))
    if not enabled():
        raise GeocoderError(_("Address search is not set up on this site: type the coordinates or click the map."))
    key = _cache_key(query, language)
    cached = cache.get(key)
    if cached is not None:
        return [Place(**row) for row in cached]
    if not _take_slot():
        raise GeocoderError(_("Address search is busy: try again in a moment."))
    params = {"q": query, "format": "jsonv2", "addressdetails": 1, "limit": MAX_RESULTS}
    url = settings.AGORA_GEOCODER_URL + ("&" if "?" in settings.AGORA_GEOCODER_URL else "?") + urlencode(params)
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL from the settings
        url, headers={"User-Agent": settings.AGORA_GEOCODER_USER_AGENT, "Accept-Language": language}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.AGORA_GEOCODER_TIMEOUT) as response:  # noqa: S310
            body = response.read(512 * 1024)
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError, ValueError):
        # HTTPException: a reply that is not HTTP (a bad status line, a header line too long, a body cut short).
        raise GeocoderError(_("Address search did not answer: type the coordinates or click the map.")) from None
    places = parse(body)
    cache.set(key, [p.as_dict() for p in places], settings.AGORA_GEOCODER_CACHE_SECONDS)
    return places


def parse(body: bytes) -> list[Place]:
    """Places from a Nominatim answer; GeocoderError for anything that is not one."""
    try:
        rows = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack ("[[[[..." well under the size cap).
        raise GeocoderError(_("Address search answered something unreadable: type the coordinates.")) from None
    if not isinstance(rows, list):
        raise GeocoderError(_("Address search answered something unreadable: type the coordinates."))
    places = []
    for row in rows[:MAX_RESULTS]:
        if not isinstance(row, dict):
            continue
        lat, lon = _coordinate(row.get("lat")), _coordinate(row.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        label = row.get("display_name")
        label = label.strip()[:300] if isinstance(label, str) else ""
        if not label:
            continue
        address = row.get("address") if isinstance(row.get("address"), dict) else {}
        country = address.get("country_code")
        country = country.upper() if isinstance(country, str) and len(country) == 2 and country.isalpha() else ""
        places.append(Place(label=label, latitude=lat, longitude=lon, country=country))
    if rows and not places:
        # Places came, and none was usable: that is a broken geocoder, not an address it does not know.
        raise GeocoderError(_("Address search answered something unreadable: type the coordinates."))
    return places


def _coordinate(value: object) -> float | None:
    """A latitude or longitude as Nominatim sends it (a decimal string, or a number); None for anything
    else: another type, a huge integer, NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None
