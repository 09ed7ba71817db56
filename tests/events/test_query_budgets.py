"""Calendar (month, week, agenda), map, GeoJSON, ICS and the event page run a fixed number of queries,
at 10 occurrences and at 1,000 (bulk-made rows, counters right)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.discuss.models import Post, Topic, TopicUser
from agora.events.models import Event, Occurrence
from tests import factories
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

START = datetime.now(UTC).date() + timedelta(days=3)
MONTH = START.replace(day=1).isoformat()

# The most queries each page may run (anonymous, signed in), as measured; lower them when a page gets leaner.
BUDGETS = {
    f"/events?date={MONTH}": (4, 8),
    f"/events?view=week&date={START.isoformat()}": (4, 8),
    "/events?view=agenda": (4, 8),
    "/events?view=agenda&country=FR&language=fr&mode=in_person": (4, 8),
    "/events/map": (5, 9),
    "/events.geojson": (2, 5),
    "/events.ics": (5, 8),
    "/latest": (5, 9),  # the sidebar: its latest news and the upcoming events block
}


class Calendar:
    """Events in bulk: a quarter recurring (many dates each), the rest one-off, all in one category."""

    def __init__(self, organizer, category):
        self.organizer, self.category = organizer, category
        self.series = make_event(
            organizer, category, title="The weekly one", start_date=START.isoformat(), rrule="FREQ=DAILY;COUNT=3"
        )

    def grow_to(self, occurrences: int) -> None:
        have = Occurrence.objects.count()
        count = occurrences - have
        now = datetime.now(UTC)
        topics = Topic.objects.bulk_create(
            [
                Topic(
                    title=f"Bulk event {have + i}",
                    slug=f"bulk-event-{have + i}",
                    category=self.category,
                    user=self.organizer,
                    posts_count=1,
                    highest_post_number=1,
                    last_poster=self.organizer,
                    language="fr",
                )
                for i in range(count)
            ]
        )
        Post.objects.bulk_create(
            [Post(topic=t, number=1, user=self.organizer, raw="Bulk.", html="<p>Bulk.</p>") for t in topics]
        )
        TopicUser.objects.bulk_create([TopicUser(topic=t, user=self.organizer, last_read_number=1) for t in topics])
        events = Event.objects.bulk_create(
            [
                Event(
                    topic=t,
                    timezone=["Europe/Paris", "America/New_York", "Asia/Kolkata"][i % 3],
                    start_date=START + timedelta(days=i % 20),
                    start_time=time(18),
                    end_date=START + timedelta(days=i % 20),
                    end_time=time(20),
                    rrule="FREQ=DAILY" if i % 4 == 0 else "",
                    venue="Somewhere",
                    country="FR",
                    latitude=45 + (i % 90) / 100,
                    longitude=4 + (i % 90) / 100,
                    online_url="https://meet.example.org/x" if i % 5 == 0 else "",
                    languages=",fr,",
                    created_by=self.organizer,
                    materialized_until=now,
                )
                for i, t in enumerate(topics)
            ]
        )
        for event in events:
            event.organizers.add(self.organizer)
        Occurrence.objects.bulk_create(
            [
                Occurrence(
                    event=e,
                    key=f"{e.start_date:%Y%m%d}T180000",
                    start_utc=datetime.combine(e.start_date, time(17), tzinfo=UTC),
                    end_utc=datetime.combine(e.start_date, time(19), tzinfo=UTC),
                    start_date=e.start_date,
                    start_time=time(18),
                    end_date=e.start_date,
                    end_time=time(20),
                    going_count=1,
                )
                for e in events
            ]
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_event_pages_run_a_fixed_number_of_queries_at_10_and_1000_occurrences(organizer, events_category, client_for):
    calendar = Calendar(organizer, events_category)
    member = factories.UserFactory(username="Reader", trust_level=1)
    clients = {"anonymous": client_for(None), "member": client_for(member)}
    measured: dict[int, dict] = {}
    for size in (10, 1000):
        calendar.grow_to(size)
        assert Occurrence.objects.count() == size
        measured[size] = {}
        for url, budget in BUDGETS.items():
            for index, (who, client) in enumerate(clients.items()):
                client.get(url)  # warm: sessions, the page cache version
                n = _count(client, url)
                assert n <= budget[index], f"{url} as {who}: {n} queries, budget {budget[index]}"
                measured[size][(url, who)] = n
    assert measured[10] == measured[1000], "a page's query count grew with the number of events"
    # And the pages did show the bulk events.
    assert "Bulk event" in clients["anonymous"].get("/events?view=agenda").content.decode()


def test_the_event_page_runs_a_fixed_number_of_queries_whatever_its_dates_and_answers(
    organizer, events_category, client_for
):
    from agora.events import services

    event = make_event(
        organizer, events_category, start_date=START.isoformat(), rrule="FREQ=DAILY;COUNT=200", capacity=500
    )
    occurrence = event.occurrences.order_by("start_utc").first()
    url = f"{event.topic.get_absolute_url()}?occurrence={occurrence.pk}"
    organizer_client = client_for(organizer)
    counts = []
    for batch in (5, 60):
        for i in range(batch):
            person = factories.UserFactory(username=f"Goer {batch}-{i}", trust_level=1)
            services.event_rsvp(user=person, occurrence=occurrence, status="going")
        organizer_client.get(url)
        counts.append(_count(organizer_client, url))
    assert counts[0] == counts[1] and counts[0] <= 20, counts
