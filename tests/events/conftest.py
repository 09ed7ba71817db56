"""Places and helpers for the events tests: a category that allows events, and events made through the
real services."""

from __future__ import annotations

from datetime import date, time

import pytest

from agora.events import services
from agora.events.services import EventFields
from tests import factories


@pytest.fixture
def events_category(db):
    return factories.make_category("Meetups", slug="meetups", allows_events=True)


@pytest.fixture
def organizer(db):
    return factories.UserFactory(username="Olu Organizer", trust_level=2, timezone="Europe/Paris")


def make_event(user, category, *, title: str = "Wikipedia meetup in Lyon", raw: str = "Come and edit with us.", **kw):
    """An event through services.event_create; keyword arguments are EventFields (dates as ISO text welcome)."""
    tags = kw.pop("tags", ())
    for name in ("start_date", "end_date"):
        if isinstance(kw.get(name), str):
            kw[name] = date.fromisoformat(kw[name])
    for name in ("start_time", "end_time"):
        if isinstance(kw.get(name), str):
            kw[name] = time.fromisoformat(kw[name])
    kw.setdefault("timezone", "Europe/Paris")
    kw.setdefault("start_date", date(2030, 3, 12))
    kw.setdefault("end_date", kw["start_date"])
    if not kw.get("all_day"):
        kw.setdefault("start_time", time(18, 0))
        kw.setdefault("end_time", time(20, 0))
    return services.event_create(
        user=user, category=category, title=title, raw=raw, fields=EventFields(**kw), tags=tags
    )
