"""/live as the test client sees it (a WSGI request: what there is now, then the browser asks again), and
the events the services publish: ids and counts, after commit, nothing for a held post."""

import json

import pytest

from agora.discuss.models import CategoryGrant
from agora.live.brokers import get_broker
from agora.live.models import LiveEvent
from agora.notifications.models import Notification
from agora.notifications.services import notify
from tests import factories


@pytest.fixture(autouse=True)
def database_broker(settings):
    settings.AGORA_LIVE_REDIS_URL = ""  # the database broker, inside the test's transaction
    get_broker.cache_clear()
    yield get_broker()
    get_broker.cache_clear()


def events(body: bytes) -> list[tuple[str, dict]]:
    found = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"])))
    return found


def test_a_visitor_hears_only_the_topics_they_may_see(client, topic, staff, django_assert_max_num_queries):
    staff_room = factories.make_category("Staff room", grants={"staff": CategoryGrant.Level.CREATE})
    secret = factories.make_topic(staff, staff_room, title="Staff only business")
    with django_assert_max_num_queries(8):
        response = client.get(f"/live?topics={secret.pk},{topic.pk},999999")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert events(response.content) == [("ready", {"topics": {str(topic.pk): {"highest": 1, "replies": 0}}})]


def test_a_resume_replays_ones_own_bell_and_never_anothers(client_for, member, other_member, database_broker):
    start = database_broker.head()
    database_broker.publish(f"user:{other_member.pk}", "bell", {"unread": 9})
    database_broker.publish(f"user:{member.pk}", "bell", {"unread": 2})
    response = client_for(member).get("/live", headers={"Last-Event-ID": str(start)})
    assert events(response.content) == [("ready", {"topics": {}}), ("bell", {"unread": 2})]


@pytest.mark.parametrize("query", ["topics=1,two", "topics=" + ",".join(map(str, range(101))), "last_event_id=-1"])
def test_bad_input_gets_a_clear_refusal(client, query):
    response = client.get("/live?" + query)
    assert response.status_code == 400
    assert response.content


def test_a_reply_is_announced_after_commit_with_numbers_only(topic, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reply = factories.make_reply(other_member, topic, raw="Secret words that stay out of the stream.")
        assert not LiveEvent.objects.exists()  # nothing before commit
    # The topic's author is told of the reply too: their bell rings on their own channel.
    event = LiveEvent.objects.get(channel=f"topic:{topic.pk}")
    assert event.event == "post"
    assert LiveEvent.objects.filter(channel=f"user:{topic.user_id}", event="bell").exists()
    assert json.loads(event.data) == {
        "topic": topic.pk,
        "id": reply.pk,
        "number": 2,
        "likes": 0,
        "replies": 1,
        "highest": 2,
    }


def test_a_held_reply_is_not_announced(topic, other_member, django_capture_on_commit_callbacks):
    from agora.discuss.services import post_hold

    with django_capture_on_commit_callbacks(execute=True):
        reply = factories.make_reply(other_member, topic)
        post_hold(post=reply, is_topic=False)
    assert not LiveEvent.objects.exists()


def test_a_notification_rings_the_bell_with_the_count_alone(member, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[member], kind=Notification.Kind.MENTIONED, actor=other_member)
    event = LiveEvent.objects.get()
    assert (event.channel, event.event, json.loads(event.data)) == (f"user:{member.pk}", "bell", {"unread": 1})
