"""The live stream: `/live?topics=1,2,3`, server-sent events of the topics the viewer may see and their
own bell. An async view under the ASGI server: a waiting stream holds no thread's database connection,
only an asyncio queue in the process's hub."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agora import permissions

from .brokers import get_broker
from .hub import KEEPALIVE, RECONNECT, get_hub
from .services import topic_channel, user_channel

# A list page shows at most about this many topics; a longer query is refused, not truncated silently.
MAX_TOPICS = 100
# How long a browser waits before reconnecting (the EventSource `retry:` field), in milliseconds.
RETRY_MS = 3000
# Under a WSGI server, how long a browser waits before asking again.
POLL_RETRY_MS = 25000


def _parse_ids(raw: str) -> list[int] | None:
    ids = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) > 18:
            return None
        ids.append(int(part))
    return ids


def _parse_last_id(raw: str) -> int | bool | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        return False
    return int(raw)


def _subscribe_plan(user: Any, topic_ids: list[int]) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The channels the viewer may hear (one query through the permission module: ids the viewer may not
    see are dropped without a word), and each topic's counts for the page to catch up on."""
    visible = permissions.visible_topics(user).filter(pk__in=topic_ids)
    rows = visible.values_list("pk", "highest_post_number", "reply_count") if topic_ids else []
    counts = {str(pk): {"highest": highest, "replies": replies} for pk, highest, replies in rows}
    channels = [topic_channel(int(pk)) for pk in counts]
    if user.is_authenticated:
        channels.append(user_channel(user.pk))
    return channels, counts


@require_GET
async def stream(request: HttpRequest) -> HttpResponse:
    topic_ids = _parse_ids(request.GET.get("topics", ""))
    if topic_ids is None:
        return HttpResponseBadRequest(_("topics must be topic numbers separated by commas."))
    if len(topic_ids) > MAX_TOPICS:
        return HttpResponseBadRequest(_("At most %(n)d topics at a time.") % {"n": MAX_TOPICS})
    last_id = _parse_last_id(request.headers.get("Last-Event-ID") or request.GET.get("last_event_id", ""))
    if last_id is False:
        return HttpResponseBadRequest(_("The last event id must be a number."))
    user = await request.auser()
    channels, counts = await sync_to_async(_subscribe_plan)(user, topic_ids)
    if not isinstance(request, ASGIRequest):
        # A WSGI server (runserver, the tests' live server) has a thread per request, not a loop: it
        # answers what there is now and closes, and the browser asks again after POLL_RETRY_MS.
        body = await sync_to_async(_poll_once)(
            frozenset(channels), counts, last_id if isinstance(last_id, int) else None
        )
        response: HttpResponse = HttpResponse(body, content_type="text/event-stream; charset=utf-8")
        response["Cache-Control"] = "no-cache, no-store"
        return response
    response = StreamingHttpResponse(
        _events(frozenset(channels), counts, last_id if isinstance(last_id, int) else None),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _release_request_thread() -> None:
    """Let this request's own thread (asgiref gives each ASGI request one for the sync middleware, kept to
    the end of the response) end now: an open stream would otherwise keep an idle thread and its stack,
    about 300 KB of memory per stream. Should a sync call come later in the request, asgiref makes one
    again. (asgiref's internals: if they move, the thread just stays.)"""
    from asgiref.sync import SyncToAsync

    try:
        context = SyncToAsync.thread_sensitive_context.get(None)
        executor = SyncToAsync.context_to_thread_executor.pop(context, None) if context is not None else None
    except AttributeError:
        return
    if executor is not None:
        executor.shutdown(wait=False)


def _poll_once(channels: frozenset[str], counts: dict[str, Any], last_id: int | None) -> str:
    broker = get_broker()
    parts = [f"retry: {POLL_RETRY_MS}\n\n"]
    if last_id is None:
        parts.append(_message("ready", {"topics": counts}, broker.head()))
    else:
        backlog, dropped = broker.backlog(channels, last_id)
        if dropped:
            parts.append(_message("reload", {}, broker.head()))
        else:
            parts.append(_message("ready", {"topics": counts}))
            parts.extend(event.encode().decode() for event in backlog)
    return "".join(parts)


def _message(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def _events(channels: frozenset[str], counts: dict[str, Any], last_id: int | None) -> AsyncIterator[str | bytes]:
    hub = get_hub()
    # Subscribed first, then the backlog read: an event published in between arrives by both ways, and
    # the id check below drops the second copy.
    sub = await hub.subscribe(channels)
    try:
        # The stream waits for a long time: this request's thread gives its connection back now (the
        # view and the middleware after it used it).
        await sync_to_async(connections.close_all)()
        _release_request_thread()
        yield f"retry: {RETRY_MS}\n\n"
        if last_id is None:
            last = await hub.run(hub.broker.head)
            yield _message("ready", {"topics": counts}, last)
        else:
            backlog, dropped = await hub.run(hub.broker.backlog, channels, last_id)
            if dropped:
                # Older than the backlog: what was missed is gone; the page reloads (its id restarts).
                yield _message("reload", {}, await hub.run(hub.broker.head))
                return
            yield _message("ready", {"topics": counts})
            last = last_id
            for event in backlog:
                if event.id > last:
                    yield event.encode()
                    last = event.id
        while True:
            # Whatever is queued goes out as one chunk: under load, one write per poll, not per event.
            batch = [await sub.queue.get()]
            while not sub.queue.empty():
                batch.append(sub.queue.get_nowait())
            out = []
            for event in batch:
                if event is RECONNECT:
                    if out:
                        yield b"".join(out)
                    return  # the browser reconnects with its last id and resumes
                if event is KEEPALIVE:
                    out.append(b": keep-alive\n\n")
                elif event.id > last:
                    out.append(event.encode())
                    last = event.id
            if out:
                yield b"".join(out)
    finally:
        hub.unsubscribe(sub)
