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


def browser_form_data(html: str, form_class: str = "event-form") -> dict[str, list[str]]:
    """What a browser without JavaScript submits for the form with that class, as the page renders it:
    text-like inputs with their value, checked boxes and radios, selected options, textareas."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.data: dict[str, list[str]] = {}
            self.in_form = False
            self.select: tuple[str, bool] | None = None
            self.options: list[tuple[str, bool]] = []
            self.textarea: str | None = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.in_form = form_class in (a.get("class") or "").split()
            if not self.in_form or "disabled" in a:
                return
            name = a.get("name")
            if tag == "input" and name:
                kind = (a.get("type") or "text").lower()
                if kind in {"submit", "button", "image", "reset", "file"}:
                    return
                if kind in {"checkbox", "radio"}:
                    if "checked" in a:
                        self.data.setdefault(name, []).append(a.get("value") or "on")
                    return
                self.data.setdefault(name, []).append(a.get("value") or "")
            elif tag == "select" and name:
                self.select, self.options = (name, "multiple" in a), []
            elif tag == "option" and self.select:
                self.options.append((a.get("value") or "", "selected" in a))
            elif tag == "textarea" and name:
                self.textarea = name
                self.data.setdefault(name, []).append("")

        def handle_endtag(self, tag):
            if tag == "form":
                self.in_form = False
            elif tag == "select" and self.select:
                name, multiple = self.select
                chosen = [v for v, selected in self.options if selected]
                if not chosen and not multiple and self.options:
                    chosen = [self.options[0][0]]
                self.data[name] = chosen
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][-1] += data.removeprefix("\n") if not self.data[self.textarea][-1] else data

    reader = Reader()
    reader.feed(html)
    return reader.data
