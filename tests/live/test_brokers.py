"""The brokers behind agora.live, each with its backlog: publish, subscribe through the hub, resume, and
a backlog that overflowed. The same tests run on the database broker and on Redis (db 6)."""

import asyncio
import uuid

import pytest
from django.db import connections

from agora.live import brokers
from agora.live.brokers import DatabaseBroker, RedisBroker
from agora.live.hub import Hub

REDIS_URL = "redis://127.0.0.1:6379/6"
# Committed writes: the hub reads on a thread of its own.
# serialized_rollback: a transactional test empties the database; what migrations made (content types,
# the automatic groups) must come back for the transactional tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(params=["database", "redis"])
def make_broker(request):
    """A factory of brokers of one kind (cap: the backlog's bound), each Redis one under a fresh prefix."""
    if request.param == "database":
        yield lambda cap=1000: DatabaseBroker(total=cap)
        return
    prefix = f"test:live:{uuid.uuid4().hex}:"
    made = []

    def make(cap=1000):
        broker = RedisBroker(REDIS_URL, prefix=prefix, cap=cap)
        made.append(broker)
        return broker

    yield make
    for broker in made:
        keys = list(broker.client.scan_iter(f"{prefix}*"))
        if keys:
            broker.client.delete(*keys)


def test_ids_grow_and_the_backlog_holds_only_the_asked_channels(make_broker):
    broker = make_broker()
    start = broker.head()
    a1 = broker.publish("topic:1", "post", {"number": 2})
    b1 = broker.publish("topic:2", "post", {"number": 5})
    a2 = broker.publish("topic:1", "edit", {"number": 2})
    assert start < a1 < b1 < a2 == broker.head()

    events, dropped = broker.backlog(frozenset({"topic:1"}), start)
    assert not dropped
    assert [(e.id, e.event, e.data) for e in events] == [(a1, "post", '{"number":2}'), (a2, "edit", '{"number":2}')]
    events, _ = broker.backlog(frozenset({"topic:1", "topic:2"}), a1)
    assert [e.id for e in events] == [b1, a2]


def test_a_resume_from_before_the_kept_backlog_is_told_to_reload(make_broker):
    broker = make_broker(cap=5)
    start = broker.head()
    ids = [broker.publish("topic:9", "post", {"n": n}) for n in range(brokers.PRUNE_EVERY + 10)]

    _events, dropped = broker.backlog(frozenset({"topic:9"}), start)
    assert dropped  # what came first is gone: the page must reload
    recent, dropped_recent = broker.backlog(frozenset({"topic:9"}), ids[-4])
    assert not dropped_recent
    assert [e.id for e in recent] == ids[-3:]


def test_the_hub_delivers_each_event_to_the_streams_holding_its_channel(make_broker):
    broker = make_broker()

    async def scenario():
        hub = Hub(broker)
        mine = await hub.subscribe(frozenset({"topic:1", "user:7"}))
        theirs = await hub.subscribe(frozenset({"user:8"}))
        loop = asyncio.get_running_loop()
        published = [
            await loop.run_in_executor(None, broker.publish, channel, "bell", {"unread": 1})
            for channel in ("topic:1", "user:8", "user:7", "topic:2")
        ]
        got_mine = [await asyncio.wait_for(mine.queue.get(), 5) for _ in range(2)]
        got_theirs = await asyncio.wait_for(theirs.queue.get(), 5)
        await asyncio.sleep(0.7)  # a poll more: nothing else comes
        assert mine.queue.empty() and theirs.queue.empty()
        hub.unsubscribe(mine)
        hub.unsubscribe(theirs)
        assert hub.subscriptions == 0
        return published, got_mine, got_theirs

    try:
        published, got_mine, got_theirs = asyncio.run(scenario())
    finally:
        connections.close_all()
    assert [e.id for e in got_mine] == [published[0], published[2]]
    assert [e.channel for e in got_mine] == ["topic:1", "user:7"]
    assert got_theirs.id == published[1]
