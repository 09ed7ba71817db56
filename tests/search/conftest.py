"""Search tests: writes go through the real services and their on-commit tasks (run at once by the test
settings' immediate backend), so the index is what the worker would have made."""

from __future__ import annotations

import pytest

from agora.search.queries import search
from tests import factories


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs the block's on-commit callbacks (the indexing tasks) when it ends."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def write(committed):
    """Call a service and run its indexing: write(factories.make_topic, user, category, ...)."""

    def call(fn, *args, **kwargs):
        with committed():
            return fn(*args, **kwargs)

    return call


def found(user, q: str, **kwargs) -> list[tuple[str, int]]:
    """(kind, pk) of every hit, in order."""
    return [(h.kind, h.pk) for h in search(user, q, per_page=50, **kwargs).hits]


def titles(user, q: str) -> list[str]:
    return [h.title for h in search(user, q, per_page=50).hits]


__all__ = ["factories", "found", "titles"]
