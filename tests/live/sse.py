"""A small server-sent events reader for tests: a real HTTP connection to a real server, parsed as a
browser's EventSource parses it (id, event, data; comments kept aside)."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Message:
    event: str
    data: str
    id: int | None

    @property
    def json(self):
        return json.loads(self.data)


@dataclass
class Stream:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        self.conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=self.headers)
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.last_id: int | None = None
        self.comments: list[str] = []

    def close(self) -> None:
        # Shut the socket itself: closing the response alone leaves the server writing to it.
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def next(self, timeout: float | None = None) -> Message:
        """The next event (comments are kept in .comments); raises TimeoutError after `timeout` seconds."""
        if timeout is not None and self.conn.sock is not None:
            self.conn.sock.settimeout(timeout)
        event, data, event_id = "message", [], None
        while True:
            try:
                raw = self.response.readline()
            except TimeoutError as exc:
                raise TimeoutError("no event in time") from exc
            if not raw:
                raise EOFError("the stream ended")
            line = raw.decode().rstrip("\r\n")
            if line == "":
                if data:
                    message = Message(event, "\n".join(data), event_id)
                    if event_id is not None:
                        self.last_id = event_id
                    return message
                continue
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = int(value)

    def until(self, predicate, timeout: float = 10) -> list[Message]:
        """Every event up to and including the first for which predicate(message) is true."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching event in {timeout}s; saw {seen}")
            message = self.next(timeout=left)
            seen.append(message)
            if predicate(message):
                return seen
