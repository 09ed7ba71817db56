"""Reads for the Discourse-compatible JSON. Each starts from agora.permissions (or a Discuss query that
does) and runs a fixed number of queries whatever the size of the list or topic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.accounts.queries import active_users_by_names
from agora.accounts.usernames import canonical_username
from agora.discuss import queries as discuss_queries
from agora.discuss.models import Category, Post, Tag, Topic, TopicUser
from agora.notifications.models import Notification
from agora.notifications.queries import notifications_for

# Discourse's top periods, and ours (the /top page's) under their own names.
TOP_PERIODS: dict[str, timedelta | None] = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=30),
    "quarterly": timedelta(days=90),
    "yearly": timedelta(days=365),
    "all": None,
}
TOP_PERIOD_ALIASES = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}
# /new.json: topics created this recently that the viewer has not opened (Discourse's default, 2 days).
NEW_TOPIC_AGE = timedelta(days=2)


def latest_topics(user: Any) -> QuerySet[Topic]:
    return discuss_queries.latest_topics(user)


def top_topics(user: Any, period: str) -> QuerySet[Topic]:
    qs = discuss_queries.top_topics(user, "all")
    span = TOP_PERIODS[period]
    if span is not None:
        qs = qs.filter(created_at__gte=timezone.now() - span)
    return qs


def new_topics(user: Any) -> QuerySet[Topic]:
    """Recent topics the signed-in viewer has never opened (subquery on their read state)."""
    opened = TopicUser.objects.filter(user_id=user.pk).values("topic_id")
    return (
        discuss_queries.latest_topics(user)
        .filter(created_at__gte=timezone.now() - NEW_TOPIC_AGE)
        .exclude(pk__in=opened)
    )


def category_by_id(user: Any, pk: int) -> Category:
    """A category the user may see, by id; 404 exactly as for one that does not exist."""
    category = permissions.visible_categories(user).filter(pk=pk).select_related("parent").first()
    if category is None:
        raise Http404
    return category


def category_topics(user: Any, category: Category) -> QuerySet[Topic]:
    return discuss_queries.category_topics(user, category)


@dataclass
class CategoryRow:
    category: Category
    level: int
    read_restricted: bool
    subcategory_ids: list[int] = field(default_factory=list)


def categories(user: Any) -> list[CategoryRow]:
    """Visible categories with the viewer's level, whether visitors see them, and their visible children
    (three queries: the viewer's access, a visitor's access, the categories)."""
    levels = permissions.access_for(user).levels
    public = set(permissions.access_for(None).levels)
    rows = [
        CategoryRow(category=c, level=levels.get(c.pk, 0), read_restricted=c.pk not in public)
        for c in permissions.visible_categories(user).order_by("position", "name")
    ]
    by_id = {row.category.pk: row for row in rows}
    for row in rows:
        parent = by_id.get(row.category.parent_id or 0)
        if parent is not None:
            parent.subcategory_ids.append(row.category.pk)
    return rows


@dataclass
class TopicView:
    """What /t/<id>.json shows: the topic, the ids of every post the viewer may read (the stream), the
    first chunk of posts annotated for the viewer, replies per post number and the participants."""

    topic: Topic
    stream: list[int]
    posts: list[Post]
    reply_counts: dict[int, int]
    participants: list[tuple[User, int]]
    tags: list[str]
    last_poster: User | None  # None when it is the anonymous sender of a message (to anyone else)


def topic_for(user: Any, pk: int) -> Topic:
    """The topic if the user may open it; 404 otherwise, and for deleted topics (the JSON surface shows
    no deleted content, moderators included)."""
    topic = permissions.get_topic_for_user(user, pk)
    if topic.deleted_at is not None:
        raise Http404
    return topic


def _stream_rows(user: Any, topic: Topic) -> list[tuple[int, int, int | None, int, bool]]:
    return list(
        permissions.visible_posts(user)
        .filter(topic=topic)
        .order_by("number")
        .values_list("id", "number", "reply_to_number", "user_id", "anonymous")
    )


def posts_by_ids(user: Any, topic: Topic, ids: list[int]) -> list[Post]:
    """The posts among `ids` the user may read in this topic, in order, annotated for the viewer (three
    queries: the posts with their authors, the viewer's likes and bookmarks)."""
    posts = list(
        permissions.visible_posts(user).filter(topic=topic, pk__in=ids).select_related("user").order_by("number")
    )
    discuss_queries.annotate_posts_for_viewer(user, topic, posts)
    return posts


def topic_view(user: Any, topic: Topic, *, chunk: int) -> TopicView:
    rows = _stream_rows(user, topic)
    stream = [row[0] for row in rows]
    reply_counts: dict[int, int] = {}
    post_counts: dict[int, int] = {}
    for _id, _number, reply_to, author_id, anonymous in rows:
        if reply_to is not None:
            reply_counts[reply_to] = reply_counts.get(reply_to, 0) + 1
        # The anonymous sender of a message is not a participant anyone else may name.
        if not anonymous or (user.is_authenticated and author_id == user.pk):
            post_counts[author_id] = post_counts.get(author_id, 0) + 1
    users = {u.pk: u for u in User.objects.filter(pk__in=list(post_counts))} if post_counts else {}
    participants = sorted(
        ((users[uid], n) for uid, n in post_counts.items() if uid in users), key=lambda pair: (-pair[1], pair[0].pk)
    )
    last = rows[-1] if rows else None
    last_poster = users.get(last[3]) if last is not None and (not last[4] or last[3] in post_counts) else None
    return TopicView(
        last_poster=last_poster,
        topic=topic,
        stream=stream,
        posts=posts_by_ids(user, topic, stream[:chunk]),
        reply_counts=reply_counts,
        participants=participants,
        tags=list(Tag.objects.filter(topics=topic).values_list("name", flat=True)),
    )


def stream_from(user: Any, topic: Topic, number: int, size: int) -> list[int]:
    """The ids of the next `size` posts the user may read from post number `number` on."""
    return list(
        permissions.visible_posts(user)
        .filter(topic=topic, number__gte=number)
        .order_by("number")
        .values_list("id", flat=True)[:size]
    )


def opening_post_id(user: Any, topic: Topic) -> int:
    """The id of a topic's opening post, as the user may read it (they just wrote it)."""
    pk = permissions.visible_posts(user).filter(topic=topic, number=1).values_list("id", flat=True).first()
    if pk is None:
        raise Http404
    return pk


def reply_counts_for(user: Any, posts: list[Post]) -> dict[tuple[int, int | None], int]:
    """Replies the user may read to each post, keyed by (topic id, post number): one query."""
    if not posts:
        return {}
    wanted = Q()
    for p in posts:
        wanted |= Q(topic_id=p.topic_id, reply_to_number=p.number)
    rows = (
        permissions.visible_posts(user)
        .filter(wanted)
        .values("topic_id", "reply_to_number")
        .annotate(n=Count("id"))
        .values_list("topic_id", "reply_to_number", "n")
    )
    return {(topic_id, number): n for topic_id, number, n in rows}


def post_id_by_number(user: Any, topic_id: int, number: int) -> int:
    """The id of post `number` of a topic, if the user may read it (404 otherwise)."""
    topic = topic_for(user, topic_id)
    pk = permissions.visible_posts(user).filter(topic=topic, number=number).values_list("id", flat=True).first()
    if pk is None:
        raise Http404
    return pk


def latest_posts(user: Any, *, before: int | None, size: int) -> list[Post]:
    """The newest posts of listed topics (never messages), newest first, annotated for the viewer as a
    topic page annotates its posts: three queries whatever the number of topics."""
    qs = permissions.listed_posts(user).select_related("topic", "topic__category", "user").order_by("-id")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    posts = list(qs[:size])
    discuss_queries.viewer_post_state(user, posts)
    for post in posts:
        post.can_edit = permissions.can(user, "edit", post)
        post.can_delete = permissions.can(user, "delete", post)
        post.can_restore = False  # listed posts are never deleted ones
        post.can_like = permissions.can(user, "like", post)
        post.own_anonymous = False  # listed posts are never in messages
    return posts


def post_for(user: Any, pk: int, action: str = "see") -> Post:
    """One post the user may read (404 otherwise, deleted ones included), annotated for the viewer."""
    found = permissions.get_post_for_user(user, pk, action=action)
    if found.deleted_at is not None or not permissions.visible_posts(user).filter(pk=found.pk).exists():
        raise Http404
    discuss_queries.annotate_posts_for_viewer(user, found.topic, [found])
    return found


def user_by_name(name: str) -> User:
    """An active person by their username in any spelling (404 otherwise)."""
    if len(name) > 200:
        raise Http404
    found = active_users_by_names([name]).get(canonical_username(name))
    if found is None:
        raise Http404
    return found


def user_activity(viewer: Any, person: User) -> dict[str, Any]:
    """What the viewer may see of a person's posting, in one query: topics, replies and the last post."""
    return (
        permissions.listed_posts(viewer)
        .filter(user=person)
        .aggregate(
            topic_count=Count("id", filter=Q(number=1)),
            post_count=Count("id"),
            last_posted_at=Max("created_at"),
        )
    )


def users_by_names(names: list[str]) -> dict[str, User]:
    return active_users_by_names(names)


def topics_by_ids(user: Any, ids: list[int]) -> dict[int, Topic]:
    """Topics the user may open among `ids` (for search hits), with what a list row shows."""
    if not ids:
        return {}
    qs = permissions.visible_topics(user).filter(pk__in=ids).select_related("category", "user", "last_poster")
    return {t.pk: t for t in qs.prefetch_related("tags")}


def posts_by_place(user: Any, places: list[tuple[int, int]]) -> dict[tuple[int, int], Post]:
    """Posts the user may read, by (topic id, post number), for search hits: one query."""
    if not places:
        return {}
    wanted = Q()
    for topic_id, number in places:
        wanted |= Q(topic_id=topic_id, number=number)
    posts = permissions.visible_posts(user).filter(wanted).select_related("user")
    return {(p.topic_id, p.number): p for p in posts}


def notifications(user: Any) -> QuerySet[Notification]:
    return notifications_for(user)
