"""Live updates' brokers: where published events are kept (a bounded backlog to resume from) and how
they reach every web process. Two behind one interface: the database (embedded: SQLite, no Redis) and
Redis (several app servers). Both are written by whichever process publishes (web or task worker);
each web process runs one Hub (agora.live.hub) that listens once and fans out to its streams in memory.

An event is (id, channel, event, data): the id is global and monotonic, so a stream resumes from the
last id it sent whatever channels it holds, and a duplicate is simply an id not above the last one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction

# Discourse's MessageBus keeps 1,000 events per channel.
DEFAULT_BACKLOG = 1000
# The database broker keeps the newest rows across every channel (a single server's forum).
DEFAULT_BACKLOG_TOTAL = 20000
# The database broker prunes once every this many events (by the publisher that reaches the multiple).
PRUNE_EVERY = 100
# The database broker's note of where it pruned (a row no stream subscribes to: channels are never empty).
FLOOR_CHANNEL = ""
# An arbitrary fixed key: PostgreSQL publishers take it in turn so ids commit in their order.
_PG_LOCK_KEY = 7_302_514


_encoded: dict[Event, bytes] = {}


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    channel: str
    event: str
    data: str  # JSON text

    def encode(self) -> bytes:
        """The event as server-sent events' text (data is one line of JSON), made once however many
        streams send it."""
        encoded = _encoded.get(self)
        if encoded is None:
            encoded = f"id: {self.id}\nevent: {self.event}\ndata: {self.data}\n\n".encode()
            if len(_encoded) >= 256:
                _encoded.clear()
            _encoded[self] = encoded
        return encoded


class Broker:
    """Where events are kept and how web processes hear of them."""

    name = ""

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        """Store and announce one event now; returns its id."""
        raise NotImplementedError

    def head(self) -> int:
        """The id of the newest event (0 before the first)."""
        raise NotImplementedError

    def backlog(self, channels: frozenset[str], after: int) -> tuple[list[Event], bool]:
        """The kept events of `channels` with ids above `after`, oldest first; and whether some after
        `after` may have been dropped already (the stream then tells the page to reload)."""
        raise NotImplementedError

    def since(self, after: int, limit: int = 1000) -> list[Event]:
        """Every channel's events above `after` (the database broker's poll)."""
        raise NotImplementedError


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


class DatabaseBroker(Broker):
    """Events in a table (LiveEvent): the web process and the task worker both write it, and each web
    process polls it with one indexed `id > last` query twice a second."""

    name = "database"

    def __init__(self, total: int = DEFAULT_BACKLOG_TOTAL) -> None:
        self.total = total

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        from .models import LiveEvent

        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Sequence values are taken before commit: without the lock, id 8 could commit after a
                # poll had seen 9, and the poll (id > 9) would never deliver it.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
            row = LiveEvent.objects.create(channel=channel, event=event, data=_dumps(data))
        if row.pk % PRUNE_EVERY == 0:
            self._prune(row.pk - self.total)
        return row.pk

    def _prune(self, floor: int) -> None:
        """Delete the events up to `floor`, and note it: a resume from below it must reload. (Not the
        oldest id kept: PostgreSQL's sequences skip ids, so a gap would read as a pruned event.)"""
        from .models import LiveEvent

        if floor <= 0:
            return
        with transaction.atomic():
            LiveEvent.objects.filter(pk__lte=floor).exclude(channel=FLOOR_CHANNEL).delete()
            updated = LiveEvent.objects.filter(channel=FLOOR_CHANNEL).update(data=str(floor))
            if not updated:
                LiveEvent.objects.create(channel=FLOOR_CHANNEL, event="floor", data=str(floor))

    def head(self) -> int:
        from .models import LiveEvent

        return LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def backlog(self, channels: frozenset[str], after: int) -> tuple[list[Event], bool]:
        from .models import LiveEvent

        floor = LiveEvent.objects.filter(channel=FLOOR_CHANNEL).values_list("data", flat=True).first()
        dropped = floor is not None and after < int(floor)
        rows = LiveEvent.objects.filter(pk__gt=after, channel__in=sorted(channels)).order_by("pk")
        events = [Event(r.pk, r.channel, r.event, r.data) for r in rows[: self.total]]
        return events, dropped

    def since(self, after: int, limit: int = 1000) -> list[Event]:
        from .models import LiveEvent

        rows = LiveEvent.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "channel", "event", "data")
        return [Event(*row) for row in rows[:limit]]


# Publishing is one atomic step: the next id, the channel's capped backlog (a sorted set scored by id),
# the highest id it has dropped (the "floor": a resume from below it must reload), then PUBLISH to the
# one Redis channel every web process listens to. Being one script, ids are published in their order.
_PUBLISH_SCRIPT = """
local id = redis.call('INCR', KEYS[1])
local message = id .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3]
redis.call('ZADD', KEYS[2], id, message)
local size = redis.call('ZCARD', KEYS[2])
local cap = tonumber(ARGV[4])
if size > cap then
  local last = redis.call('ZRANGE', KEYS[2], size - cap - 1, size - cap - 1, 'WITHSCORES')
  redis.call('HSET', KEYS[3], ARGV[1], last[2])
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, size - cap - 1)
end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
redis.call('PUBLISH', KEYS[4], message)
return id
"""


def parse_message(message: str | bytes) -> Event:
    if isinstance(message, bytes):
        message = message.decode()
    id_, channel, event, data = message.split("\n", 3)
    return Event(int(id_), channel, event, data)


class RedisBroker(Broker):
    """Events in Redis: a capped backlog per channel (as MessageBus keeps) and pub/sub on one channel,
    to which each web process holds one connection (agora.live.hub), whatever its number of streams."""

    name = "redis"

    def __init__(self, url: str, *, prefix: str = "agora:live:", cap: int = DEFAULT_BACKLOG) -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.cap = cap
        self.client = redis.Redis.from_url(url)
        self._script = self.client.register_script(_PUBLISH_SCRIPT)
        self.pubsub_channel = f"{prefix}events"
        # A quiet channel's backlog lasts a week after its last event; its floor lives in one hash.
        self.expire_seconds = 7 * 24 * 3600

    def _backlog_key(self, channel: str) -> str:
        return f"{self.prefix}backlog:{channel}"

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        keys = [f"{self.prefix}id", self._backlog_key(channel), f"{self.prefix}floor", self.pubsub_channel]
        return int(self._script(keys=keys, args=[channel, event, _dumps(data), self.cap, self.expire_seconds]))

    def head(self) -> int:
        return int(self.client.get(f"{self.prefix}id") or 0)

    def backlog(self, channels: frozenset[str], after: int) -> tuple[list[Event], bool]:
        ordered = sorted(channels)
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hmget(f"{self.prefix}floor", ordered) if ordered else pipe.ping()
            for channel in ordered:
                pipe.zrangebyscore(self._backlog_key(channel), f"({after}", "+inf")
            replies = pipe.execute()
        floors = replies[0] if ordered else []
        dropped = any(floor is not None and after < int(float(floor)) for floor in floors)
        events = sorted((parse_message(m) for reply in replies[1:] for m in reply), key=lambda e: e.id)
        return events, dropped

    def since(self, after: int, limit: int = 1000) -> list[Event]:
        raise NotImplementedError("the Redis broker delivers by pub/sub")


@cache
def get_broker() -> Broker:
    """The broker the settings choose: Redis when AGORA_LIVE_REDIS_URL (by default REDIS_URL) is set."""
    url = getattr(settings, "AGORA_LIVE_REDIS_URL", None)
    if url is None:
        url = getattr(settings, "REDIS_URL", "")
    if url:
        return RedisBroker(
            url,
            prefix=getattr(settings, "AGORA_LIVE_REDIS_PREFIX", "agora:live:"),
            cap=getattr(settings, "AGORA_LIVE_BACKLOG", DEFAULT_BACKLOG),
        )
    return DatabaseBroker(total=getattr(settings, "AGORA_LIVE_BACKLOG_TOTAL", DEFAULT_BACKLOG_TOTAL))
