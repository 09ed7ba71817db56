"""The web process's fan-out: one listener per process (a poll of the database twice a second, or one
Redis pub/sub connection) hands each event to the streams holding its channel, in memory.

Streams never touch the database or Redis while they wait: they wait on their own asyncio queue. The
listener's blocking calls (the poll, backlog reads) run on one thread of the hub's own, so the process
holds one database connection for live updates, not one per stream."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections, connections

from .brokers import Broker, DatabaseBroker, Event, RedisBroker, get_broker, parse_message

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # one indexed query a poll, whatever the number of streams
# A stream that falls this far behind (a stalled client) is ended; its browser reconnects and resumes.
MAX_QUEUED = 2000
# Tells a stream to end so its client reconnects (and resumes from its last id).
RECONNECT = Event(0, "", "", "")
# Tells a stream to send a comment, so proxies and browsers see a live connection.
KEEPALIVE = Event(0, "", "keepalive", "")
KEEPALIVE_SECONDS = 25


class Subscription:
    def __init__(self, channels: frozenset[str]) -> None:
        self.channels = channels
        self.queue: asyncio.Queue[Event] = asyncio.Queue()

    def deliver(self, event: Event) -> None:
        if self.queue.qsize() >= MAX_QUEUED:
            while not self.queue.empty():  # drop what it could not take: it resumes from its last id
                self.queue.get_nowait()
            self.queue.put_nowait(RECONNECT)
            return
        self.queue.put_nowait(event)


class Hub:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.by_channel: dict[str, set[Subscription]] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agora-live")
        self._listener: asyncio.Task[None] | None = None
        self._keepalive: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None

    # Blocking calls on the hub's own thread (the same thread each time, so one database connection).
    async def run(self, fn: Any, *args: Any) -> Any:
        def call() -> Any:
            close_old_connections()
            try:
                return fn(*args)
            except Exception:
                connections.close_all()  # a broken connection is not reused
                raise

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def subscribe(self, channels: frozenset[str]) -> Subscription:
        """Register a stream's channels (delivery starts now), starting the listener on first use."""
        await self._start()
        sub = Subscription(channels)
        for channel in channels:
            self.by_channel.setdefault(channel, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        for channel in sub.channels:
            subs = self.by_channel.get(channel)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self.by_channel[channel]

    @property
    def subscriptions(self) -> int:
        return len({sub for subs in self.by_channel.values() for sub in subs})

    def dispatch(self, event: Event) -> None:
        for sub in self.by_channel.get(event.channel, ()):
            sub.deliver(event)

    def reconnect_all(self) -> None:
        for sub in {sub for subs in self.by_channel.values() for sub in subs}:
            sub.deliver(RECONNECT)

    async def _keep_alive(self) -> None:
        """One timer for every stream of the process (not one per stream and per event)."""
        from django.conf import settings

        while True:
            await asyncio.sleep(getattr(settings, "AGORA_LIVE_KEEPALIVE_SECONDS", KEEPALIVE_SECONDS))
            for sub in {sub for subs in self.by_channel.values() for sub in subs}:
                sub.deliver(KEEPALIVE)

    async def _start(self) -> None:
        if self._listener is None or self._listener.done():
            self._ready = asyncio.Event()
            # A context of its own: not the first request's (its thread, its ThreadSensitiveContext).
            context = contextvars.Context()
            if self._keepalive is None or self._keepalive.done():
                self._keepalive = asyncio.create_task(self._keep_alive(), context=context)
            if isinstance(self.broker, RedisBroker):
                self._listener = asyncio.create_task(self._listen_redis(self.broker), context=context)
            else:
                assert isinstance(self.broker, DatabaseBroker)
                self._listener = asyncio.create_task(self._poll_database(self.broker), context=context)
        assert self._ready is not None
        await self._ready.wait()

    async def _poll_database(self, broker: DatabaseBroker) -> None:
        assert self._ready is not None
        last: int | None = None
        while True:
            try:
                if last is None:
                    last = await self.run(broker.head)
                    self._ready.set()
                events = await self.run(broker.since, last)
                for event in events:
                    self.dispatch(event)
                    last = event.id
                if len(events) == 1000:
                    continue  # more waiting: no pause
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live updates: polling the database failed; trying again")
            await asyncio.sleep(POLL_SECONDS)

    async def _listen_redis(self, broker: RedisBroker) -> None:
        import redis.asyncio as aioredis

        assert self._ready is not None
        while True:
            client = aioredis.Redis.from_url(broker.url)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(broker.pubsub_channel)
                self._ready.set()
                while True:
                    message = await pubsub.get_message(timeout=30)
                    if message is not None and message["type"] == "message":
                        self.dispatch(parse_message(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                # Whatever was published while disconnected is in the backlog: every stream ends, and
                # its browser reconnects with its last id and gets it there.
                log.exception("live updates: the Redis subscription failed; reconnecting")
                self.reconnect_all()
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                    await client.aclose()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """This event loop's hub (a web process has one loop; tests may start several)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(get_broker())
    return hub
