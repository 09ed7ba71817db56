"""Named hooks: how a lower floor calls a higher one without importing it.

A lower app declares a hook (`post_created = Hook("discuss.post_created")`) and calls it at the
point where something happened; a higher app connects a receiver in its `AppConfig.ready()`. Unlike
Django's signals a hook has one declared place, keyword arguments only, and receivers that may refuse:
a receiver of a *checking* hook raises ValidationError and the write does not happen. Business logic
still reads top to bottom: the caller names the hook, and docs/architecture.md lists who listens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction


class Hook:
    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[..., Any]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Add a receiver (once: a second ready() in tests does not double it). Usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable[..., Any]) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    def send(self, **kwargs: Any) -> list[Any]:
        """Call every receiver now, in the order they were connected; an exception stops the caller."""
        return [receiver(**kwargs) for receiver in self._receivers]

    def send_on_commit(self, **kwargs: Any) -> None:
        """Call every receiver once the current transaction commits (never for a rolled-back write)."""
        if self._receivers:
            transaction.on_commit(lambda: self.send(**kwargs))
