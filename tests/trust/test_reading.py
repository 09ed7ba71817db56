"""Reading is counted honestly: the browser's batches (posts seen, time visible) through POST /read, and
without JavaScript the posts rendered on the topic pages opened; each post once, ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.discuss import services as discuss_services
from agora.trust import services
from agora.trust.models import DailyActivity, TopicReading, UserStats
from tests import factories

from .conftest import make_topics

pytestmark = pytest.mark.django_db


def stats(user) -> UserStats:
    return UserStats.objects.filter(user=user).first() or UserStats(user=user)


@pytest.fixture
def reading(author, public_category):
    return make_topics(author, public_category, 1, replies=4)[0]  # posts 1..5


def test_it_counts_a_batch_of_posts_seen_and_time(client_for, newcomer, reading):
    response = client_for(newcomer).post("/read", {"topic": reading.pk, "posts": "1,2,3", "seconds": 20})
    assert response.status_code == 204
    s = stats(newcomer)
    assert (s.posts_read, s.topics_entered, s.time_read_seconds) == (3, 1, 20)
    day = DailyActivity.objects.get(user=newcomer)
    assert (day.posts_read, day.topics_entered, day.time_read_seconds) == (3, 1, 20)


def test_a_post_is_never_counted_twice(client_for, newcomer, reading):
    client = client_for(newcomer)
    client.post("/read", {"topic": reading.pk, "posts": "1,2,3", "seconds": 0})
    client.post("/read", {"topic": reading.pk, "posts": "2,3,4", "seconds": 0})
    assert stats(newcomer).posts_read == 4
    assert stats(newcomer).topics_entered == 1
    assert TopicReading.objects.get(user=newcomer).read_numbers() == {1, 2, 3, 4}


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"topic": "x", "posts": "1", "seconds": 5},
        {"posts": "1,2", "seconds": 5},
        {"topic": "{pk}", "posts": "1,two", "seconds": 5},
        {"topic": "{pk}", "posts": "1,2", "seconds": -3},
        {"topic": "{pk}", "posts": "1,2", "seconds": "soon"},
        {"topic": "{pk}", "posts": ",".join(str(n) for n in range(1, 500)), "seconds": 5},
        {"topic": "{pk}", "posts": "0,1", "seconds": 5},
    ],
)
def test_a_bad_payload_gets_400_and_counts_nothing(client_for, newcomer, reading, payload):
    data = {k: (str(reading.pk) if v == "{pk}" else v) for k, v in payload.items()}
    response = client_for(newcomer).post("/read", data)
    assert response.status_code == 400
    assert not UserStats.objects.filter(user=newcomer, posts_read__gt=0).exists()
    assert not TopicReading.objects.filter(user=newcomer).exists()


def test_posts_the_reader_cannot_see_are_not_counted(client_for, newcomer, author, reading, staff, staff_category):
    hidden_topic = factories.make_topic(staff, staff_category, title="Staff only business", raw="Secret")
    client = client_for(newcomer)
    assert client.post("/read", {"topic": hidden_topic.pk, "posts": "1", "seconds": 10}).status_code == 404
    assert stats(newcomer).posts_read == 0 and stats(newcomer).time_read_seconds == 0
    # A deleted post, and numbers past the end of the topic, are not counted either.
    deleted = reading.posts.get(number=5)
    discuss_services.post_delete(user=author, post=deleted)
    client.post("/read", {"topic": reading.pk, "posts": "4,5,6,99", "seconds": 0})
    assert stats(newcomer).posts_read == 1


def test_time_is_capped_to_the_batch_limit_and_the_time_since_the_last_batch(client_for, newcomer, reading):
    client = client_for(newcomer)
    client.post("/read", {"topic": reading.pk, "posts": "", "seconds": 3600})
    assert stats(newcomer).time_read_seconds == 60  # AGORA_TRUST_READ_BATCH_MAX_SECONDS
    client.post("/read", {"topic": reading.pk, "posts": "", "seconds": 30})
    assert stats(newcomer).time_read_seconds <= 61  # no time has passed since the previous batch
    # Thirty seconds later (moved explicitly), thirty seconds count.
    UserStats.objects.filter(user=newcomer).update(last_read_report_at=timezone.now() - timedelta(seconds=30))
    before = stats(newcomer).time_read_seconds
    client.post("/read", {"topic": reading.pk, "posts": "", "seconds": 45})
    assert 29 <= stats(newcomer).time_read_seconds - before <= 31


def test_two_tabs_never_count_more_than_the_clock(newcomer, reading):
    t0 = timezone.now() - timedelta(hours=1)
    services.reading_report(user=newcomer, topic=reading, numbers=set(), seconds=30, now=t0)
    for i in range(1, 11):  # two tabs, each claiming 30 s every 30 s: 5 minutes pass
        now = t0 + timedelta(seconds=30 * i)
        services.reading_report(user=newcomer, topic=reading, numbers=set(), seconds=30, now=now)
        services.reading_report(user=newcomer, topic=reading, numbers=set(), seconds=30, now=now)
    assert stats(newcomer).time_read_seconds == 30 + 300


def test_the_endpoint_refuses_visitors_get_and_a_missing_csrf_token(client_for, newcomer, reading):
    assert Client().post("/read", {"topic": reading.pk, "posts": "1", "seconds": 5}).status_code == 403
    assert client_for(newcomer).get("/read").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(newcomer)
    assert strict.post("/read", {"topic": reading.pk, "posts": "1", "seconds": 5}).status_code == 403
    assert stats(newcomer).posts_read == 0


def test_without_javascript_the_posts_rendered_count_once(client_for, newcomer, reading):
    client = client_for(newcomer)
    assert client.get(reading.get_absolute_url()).status_code == 200
    assert (stats(newcomer).posts_read, stats(newcomer).topics_entered) == (5, 1)
    client.get(reading.get_absolute_url())
    assert stats(newcomer).posts_read == 5


def test_a_browser_that_runs_reading_js_is_counted_by_what_it_reports(client_for, newcomer, reading):
    client = client_for(newcomer)
    client.cookies["agora_reading"] = "js"  # set by reading.js
    client.get(reading.get_absolute_url())  # rendered, but reading.js reports what is seen
    assert stats(newcomer).posts_read == 0
    client.post("/read", {"topic": reading.pk, "posts": "1", "seconds": 5})
    assert stats(newcomer).posts_read == 1


def test_the_page_loads_reading_js_for_members_only(client, client_for, newcomer, reading):
    html = client_for(newcomer).get(reading.get_absolute_url()).content.decode()
    assert "agora/reading" in html and f'data-topic="{reading.pk}"' in html
    assert "agora/reading" not in client.get(reading.get_absolute_url()).content.decode()


def test_visitors_and_deleted_posts_are_not_counted_from_the_page(client, client_for, author, newcomer, reading):
    client.get(reading.get_absolute_url())
    assert not UserStats.objects.exists() or not UserStats.objects.filter(posts_read__gt=0).exists()
    discuss_services.post_delete(user=author, post=reading.posts.get(number=3))
    client_for(newcomer).get(reading.get_absolute_url())
    assert stats(newcomer).posts_read == 4


def test_the_topic_page_costs_at_most_one_query_more_once_read(
    client_for, newcomer, reading, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.discuss import hooks
    from agora.trust import receivers

    client = client_for(newcomer)
    url = reading.get_absolute_url()
    client.get(url)  # first visit: the writes
    hooks.topic_page_seen.disconnect(receivers.topic_page_seen)
    try:
        with CaptureQueriesContext(connection) as without:
            client.get(url)
    finally:
        hooks.topic_page_seen.connect(receivers.topic_page_seen)
    with django_assert_max_num_queries(len(without) + 1):
        client.get(url)


def test_a_day_visited_counts_once(newcomer, django_assert_max_num_queries):
    from django.test import Client

    client = Client()  # not client_for, which notes the day as counted already
    client.force_login(newcomer)
    client.get("/latest")
    client.get("/latest")
    assert stats(newcomer).days_visited == 1
    assert services.visit_record(user=newcomer) is False  # another process, same day
    assert services.visit_record(user=newcomer, now=timezone.now() + timedelta(days=1)) is True
    assert stats(newcomer).days_visited == 2


def test_private_messages_are_not_counted(client_for, newcomer, member):
    from agora.discuss.messages import message_create

    topic = message_create(
        sender=member, recipients=[newcomer], groups=[], title="A word in private", raw="Hello there"
    )
    client = client_for(newcomer)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert client.post("/read", {"topic": topic.pk, "posts": "1", "seconds": 10}).status_code == 204
    assert stats(newcomer).posts_read == 0 and stats(newcomer).time_read_seconds == 0


def test_a_days_visit_costs_two_statements_and_a_first_day_four(newcomer, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert services.visit_record(user=newcomer) is True  # the first day: the person's row made
    with django_assert_max_num_queries(2):
        assert services.visit_record(user=newcomer, now=timezone.now() + timedelta(days=1)) is True
    assert stats(newcomer).days_visited == 2
