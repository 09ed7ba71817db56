"""What a member keeps for themselves: the token of their private calendar feed and their place on the
member map."""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User

from ..models import (
    CalendarToken,
    MemberLocation,
)
from ._common import _error


@transaction.atomic
def calendar_token_for(*, user: User) -> CalendarToken:
    """The person's private feed token (made on first use)."""
    token = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
    return token or CalendarToken.objects.create(user=user)


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarToken:
    """Revoke the person's feed token (its URL answers 404 from now on) and make a new one."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return CalendarToken.objects.create(user=user)


@transaction.atomic
def member_location_set(
    *, user: User, city: str, latitude: float, longitude: float, show_on_map: bool
) -> MemberLocation:
    city = city.strip()
    if not city:
        raise _error(_("Name your city."), "no_city", "city")
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise _error(_("Latitude is between -90 and 90."), "bad_latitude", "latitude")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise _error(_("Longitude is between -180 and 180."), "bad_longitude", "longitude")
    location, _created = MemberLocation.objects.update_or_create(
        user=user,
        defaults={
            "city": city[:100],
            "latitude": latitude,
            "longitude": longitude,
            "show_on_map": show_on_map,
            "updated_at": timezone.now(),
        },
    )
    return location


def member_location_clear(*, user: User) -> None:
    MemberLocation.objects.filter(user=user).delete()
