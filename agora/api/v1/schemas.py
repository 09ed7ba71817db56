"""The API's shapes: what each read answers and what each write accepts. Pydantic validates input from
these and ninja writes the OpenAPI document from the same classes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator


class Strict(Schema):
    """Input: unknown fields are refused (a typo is an error, not a silently ignored field), and so is a
    NUL character, which no text here may hold (PostgreSQL refuses it)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nul(self) -> Strict:
        for name, value in self:
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and "\x00" in t for t in texts):
                raise ValueError(f"{name}: NUL characters are not allowed")
        return self


class Problem(Schema):
    """An RFC 9457 problem document (application/problem+json)."""

    type: str = Field(..., examples=["/api/v1/problems/validation"])
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = Field(None, description="For invalid input: where and what.")


class ListMeta(Schema):
    next: str | None = Field(None, description="The URL of the next page (also in the Link header); null at the end.")
    next_cursor: str | None = Field(None, description="The opaque cursor of the next page.")


class TopicOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    category: str | None = Field(None, description="The category's slug.")
    tags: list[str]
    language: str
    author: str | None = Field(None, description="The author's username; null when posted anonymously.")
    created_at: datetime
    bumped_at: datetime
    posts_count: int
    reply_count: int
    like_count: int
    views: int
    pinned: bool
    closed: bool
    archived: bool
    solved: bool
    event_id: int | None = None


class TopicList(ListMeta):
    results: list[TopicOut]


class PostOut(Schema):
    id: int
    topic_id: int
    number: int
    url: str
    author: str | None = Field(None, description="The author's username; null when posted anonymously.")
    created_at: datetime
    updated_at: datetime
    reply_to_number: int | None
    language: str
    like_count: int
    html: str = Field(..., description="The post, rendered and sanitised; empty while hidden pending review.")
    raw: str = Field(..., description="The Markdown source; empty while hidden pending review.")
    hidden: bool
    liked: bool = Field(False, description="Whether the caller likes it.")
    bookmarked: bool = Field(False, description="Whether the caller bookmarked it.")


class PostList(ListMeta):
    results: list[PostOut]


class StoryOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    lead: str
    language: str
    kind: str
    authors: list[str]
    published_at: datetime | None
    topic_id: int | None
    body_html: str | None = Field(None, description="The story's body (in the detail only).")


class StoryList(ListMeta):
    results: list[StoryOut]


class OccurrenceOut(Schema):
    id: int
    start: datetime = Field(..., description="In UTC.")
    end: datetime = Field(..., description="In UTC.")
    start_date: date = Field(..., description="The local wall date, in the event's time zone.")
    start_time: time | None
    end_date: date
    end_time: time | None
    cancelled: bool
    going_count: int
    interested_count: int
    waitlist_count: int


class EventOut(Schema):
    id: int
    topic_id: int
    title: str
    url: str
    timezone: str
    all_day: bool
    status: str
    venue: str
    address: str
    country: str
    latitude: float | None
    longitude: float | None
    online: bool = Field(..., description="Whether the event has an online link.")
    online_url: str | None = Field(None, description="The online link, in the detail, when the caller may see it.")
    capacity: int | None
    occurrences: list[OccurrenceOut] = Field(..., description="Its dates that have not ended, soonest first.")


class EventList(ListMeta):
    results: list[EventOut]


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    color: str
    parent: str | None = Field(None, description="The parent category's slug.")
    url: str
    topic_count: int
    post_count: int
    accepts_solutions: bool
    allows_events: bool


class CategoryList(Schema):
    results: list[CategoryOut] = Field(..., description="Every category the caller may see (never paginated).")


class TagOut(Schema):
    name: str
    description: str
    url: str
    topic_count: int = Field(..., description="Topics the caller may see with this tag.")


class TagList(ListMeta):
    results: list[TagOut]


class PersonOut(Schema):
    username: str
    display_name: str
    url: str
    trust_level: int
    joined: datetime
    bio_html: str
    location: str
    topic_count: int = Field(..., description="Their topics the caller may see.")
    reply_count: int = Field(..., description="Their replies the caller may see.")


class GroupOut(Schema):
    name: str
    full_name: str
    url: str
    description_html: str
    visibility: str
    joining: str
    member_count: int | None = Field(None, description="Null when the caller may not see the members.")
    is_member: bool


class GroupList(ListMeta):
    results: list[GroupOut]


class NotificationOut(Schema):
    id: int
    kind: str
    created_at: datetime
    read: bool
    actor: str | None
    topic_id: int | None
    post_number: int | None
    group: str | None
    story_id: int | None
    event_id: int | None


class NotificationList(ListMeta):
    results: list[NotificationOut]
    unread: int


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    snippet: str = Field(..., description="Safe HTML: an excerpt with the matched words in <mark>.")
    created_at: datetime | None
    username: str
    topic_id: int | None
    post_number: int | None
    language: str


class SearchOut(ListMeta):
    query: str
    total: int
    results: list[HitOut]
    warnings: list[str] = Field(..., description="What was ignored in the query (an unknown filter...).")


# --- input ---


class TopicIn(Strict):
    category: str = Field(..., description="The slug of a category you may start topics in.", max_length=80)
    title: str = Field(..., max_length=255)
    raw: str = Field(..., description="Markdown.", max_length=100_000)
    tags: list[str] = Field(default_factory=list, max_length=5)
    language: str = Field("", max_length=20, description="A language code; empty: detected.")


class ReplyIn(Strict):
    raw: str = Field(..., description="Markdown.", max_length=100_000)
    reply_to: int | None = Field(None, ge=1, le=2_147_483_647, description="The number of the post answered.")
    language: str = Field("", max_length=20)


class BookmarkIn(Strict):
    note: str = Field("", max_length=500)


class RsvpIn(Strict):
    status: Literal["going", "interested", "not_going"]


class RsvpOut(Schema):
    occurrence_id: int
    status: str = Field(..., description="going, interested, not_going, waitlisted or pending (approval).")
    going_count: int


class FlagIn(Strict):
    kind: Literal["off_topic", "inappropriate", "spam", "harassment", "illegal", "other", "message_author"] = Field(
        ..., description="Why; `message_author` writes to the author privately instead of flagging."
    )
    message: str = Field("", max_length=1000)


class FlagOut(Schema):
    flagged: bool
    detail: str


class LikeOut(Schema):
    post_id: int
    liked: bool
    like_count: int


class BookmarkOut(Schema):
    post_id: int
    bookmarked: bool
    note: str


def problem_responses(*statuses: int) -> dict[str, dict[str, object]]:
    """The error answers an operation documents: each an RFC 9457 problem document."""
    described = {
        400: "Invalid input (wrong types, unknown parameters or fields, a refused form, a bad cursor).",
        401: "No caller where one is needed, or an unknown or revoked key.",
        403: "A read key writing, a missing CSRF token, or an action the caller may not take.",
        404: "Nothing there, or nothing the caller may see.",
        409: "In conflict with what is there (flagged already).",
        429: "Too many requests: see Retry-After.",
    }
    schema = Problem.model_json_schema()
    return {
        str(status): {"description": described[status], "content": {"application/problem+json": {"schema": schema}}}
        for status in statuses
    }
