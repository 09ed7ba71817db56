"""Mail to the people going (organizers' messages, reminders) goes out in each person's language."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils.translation import get_language

from agora.events import services
from agora.events.services import messages as message_services
from agora.events.services import reminders as reminder_services
from tests import factories
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def spy_languages(monkeypatch, module) -> list[str]:
    seen: list[str] = []
    original = module.render_to_string

    def spy(*args, **kwargs):
        seen.append(get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "render_to_string", spy)
    return seen


@pytest.fixture
def occurrence(organizer, events_category):
    start = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    return make_event(organizer, events_category, start_date=start).occurrences.get()


@pytest.fixture
def going(occurrence):
    arabic = factories.UserFactory(username="Layla", trust_level=1, interface_language="ar")
    hindi = factories.UserFactory(username="Priya", trust_level=1, languages="sw, hi")
    plain = factories.UserFactory(username="Emma", trust_level=1)
    for person in (arabic, hindi, plain):
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.event_rsvp(user=person, occurrence=occurrence, status="going")
    return arabic, hindi, plain


def test_an_organizers_message_is_written_in_each_persons_language(organizer, occurrence, going, monkeypatch):
    seen = spy_languages(monkeypatch, message_services)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.event_message_send(user=organizer, event=occurrence.event, subject="Bring a laptop", body="Thanks.")
    assert len(mail.outbox) == 3
    assert sorted(seen) == ["ar", "en", "hi"]  # rendered once per language


def test_reminders_are_written_in_each_persons_language(occurrence, going, monkeypatch):
    seen = spy_languages(monkeypatch, reminder_services)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send_due(now=occurrence.start_utc - timedelta(hours=20)) == 1
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {p.email for p in going}
    assert sorted(seen) == ["ar", "ar", "en", "en", "hi", "hi"]  # subject and body each
