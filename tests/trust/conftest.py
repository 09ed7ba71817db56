"""Places for the trust tests: a public category with topics by someone else to read."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Author", trust_level=2)


@pytest.fixture
def newcomer(db):
    return factories.UserFactory(username="Newcomer", trust_level=0)


def make_topics(author, category, count: int, replies: int = 4) -> list:
    """`count` topics by `author`, each with `replies` replies (so 1 + replies posts)."""
    topics = []
    for i in range(count):
        topic = factories.make_topic(author, category, title=f"Topic number {i}", raw=f"Opening post {i}")
        for j in range(replies):
            factories.make_reply(author, topic, raw=f"Reply {j} in topic {i}")
        topics.append(topic)
    return topics
