"""Search: one entry point, `search(user, q)`, for the page, the API and the Discourse-compatible JSON.

The interface is fixed here so its callers can be built beside it; the backends (SQLite FTS5, PostgreSQL
full text) and the query syntax live behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agora import permissions


@dataclass
class Hit:
    kind: str  # "topic" (its opening post matched), "post", "story", "event", "user"
    pk: int  # the matched row: Topic, Post, Story, Event or User
    title: str  # the topic's, story's or event's title; a person's name
    url: str  # where the hit is read
    snippet: str  # safe HTML: an excerpt with the matched words in <mark>
    created_at: datetime | None = None
    username: str = ""  # the author (or the person, for kind "user")
    topic_id: int | None = None  # the discussion the hit belongs to, when it has one
    post_number: int | None = None
    language: str = ""


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # how many hits the viewer may see in all, counted inside the permission-filtered query
    page: int = 1
    per_page: int = 20
    # Plain sentences for what was ignored or refused in the query ("Unknown filter: foo:bar"), to show.
    errors: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


def search(user: Any, q: str, *, page: int = 1, per_page: int = 20) -> Results:
    """The hits `user` may see for the query `q` (words, "phrases" and filters), best first."""
    results = Results(query=q, page=page, per_page=per_page)
    words = q.strip()
    if not words:
        return results
    topics = permissions.listed_topics(user).filter(title__icontains=words).order_by("-created_at")
    results.total = topics.count()
    start = (page - 1) * per_page
    for topic in topics[start : start + per_page]:
        results.hits.append(
            Hit(
                kind="topic",
                pk=topic.pk,
                title=topic.title,
                url=topic.get_absolute_url(),
                snippet="",
                created_at=topic.created_at,
                topic_id=topic.pk,
                post_number=1,
                language=topic.language,
            )
        )
    return results
