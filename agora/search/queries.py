"""Search: one entry point, `search(user, q)`, for the page, the API and the Discourse-compatible JSON.

One SQL query finds, ranks, counts and pages the hits: the backend's full-text match (search.backends)
joined to SearchDocument, kept to the documents whose live rows the viewer may see (listed posts,
published stories, listed events, active people: subqueries from agora.permissions inside the same
query) and to the live rows the filters name. So `total` and the pages are right, and a topic moved or
made private is right at once, before the worker reindexes it. A few more queries then read the live
rows of the page's hits (titles, addresses, authors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.blog.models import Story
from agora.discuss.models import Bookmark, Post

from . import syntax
from .backends import backend
from .models import SearchDocument
from .snippets import snippet

Kind = SearchDocument.Kind
MAX_PER_PAGE = 50
MAX_PAGE = 500


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


def _seen(user: Any) -> Q:
    """The documents whose live rows `user` may see in a list, as subqueries."""
    posts = permissions.listed_posts(user)
    return (
        Q(kind=Kind.TOPIC, post_id__in=posts.filter(number=1).values("id"))
        | Q(kind=Kind.POST, post_id__in=posts.values("id"))
        # An event's document holds its opening post's text: that post must be shown too (not held or hidden).
        | Q(
            kind=Kind.EVENT,
            object_id__in=permissions.listed_events(user).values("id"),
            post_id__in=posts.filter(number=1).values("id"),
        )
        | Q(kind=Kind.STORY, object_id__in=permissions.published_stories(user).values("id"))
        | Q(kind=Kind.USER, object_id__in=User.objects.filter(is_active=True).values("id"))
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filters(user: Any, query: syntax.Query) -> Q:
    """The filters of the query as conditions on live rows (subqueries through the permission module)."""
    q = Q()
    topics = permissions.listed_topics(user)
    if query.type == "question":
        q &= Q(kind=Kind.TOPIC, topic_id__in=topics.filter(category__accepts_solutions=True).values("id"))
    elif query.type:
        q &= Q(kind=query.type)
    if query.category:
        slug = query.category
        q &= Q(topic_id__in=topics.filter(Q(category__slug=slug) | Q(category__parent__slug=slug)).values("id"))
    for tag in query.tags:
        q &= Q(topic_id__in=topics.filter(tags__name=tag).values("id"))
    if query.group:
        q &= Q(topic_id__in=topics.filter(category__group__name=query.group).values("id")) | Q(
            kind=Kind.STORY,
            object_id__in=permissions.published_stories(user).filter(group__name=query.group).values("id"),
        )
    if query.username:
        people = User.objects.filter(username_canonical=canonical_username(query.username)).values("id")
        q &= (~Q(kind=Kind.STORY) & Q(user_id__in=people)) | Q(
            kind=Kind.STORY, object_id__in=Story.authors.through.objects.filter(user_id__in=people).values("story_id")
        )
    if query.after:
        q &= Q(created_at__gte=_day_start(query.after + timedelta(days=1)))
    if query.before:
        q &= Q(created_at__lt=_day_start(query.before))
    if query.status == "solved":
        q &= Q(topic_id__in=topics.filter(solution_post__isnull=False).values("id"))
    elif query.status == "open":
        q &= Q(topic_id__in=topics.filter(solution_post__isnull=True, closed=False).values("id"))
    signed_in = user is not None and user.is_authenticated
    if query.places and not signed_in:
        query.errors.append(_("Log in to search your bookmarks and your own posts."))
        return Q(pk__in=[])
    if "bookmarks" in query.places:
        q &= Q(post_id__in=Bookmark.objects.filter(user_id=user.pk).values("post_id"))
    if "mine" in query.places:
        q &= (~Q(kind__in=[Kind.STORY, Kind.USER]) & Q(user_id=user.pk)) | Q(
            kind=Kind.STORY, object_id__in=Story.authors.through.objects.filter(user_id=user.pk).values("story_id")
        )
    if query.language:
        q &= Q(language=query.language)
    return q


def documents_for(user: Any, query: syntax.Query) -> QuerySet[SearchDocument]:
    """The documents `user` may see that the query's filters keep (no words matched yet)."""
    return SearchDocument.objects.filter(_seen(user)).filter(_filters(user, query))


def _ranked_ids(user: Any, query: syntax.Query, *, limit: int, offset: int) -> tuple[list[int], int]:
    """The page's document ids, best first, and how many there are in all: one query."""
    try:
        allowed_sql, allowed_params = documents_for(user, query).values("id").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (in:mine for a visitor)
        return [], 0
    match = backend().match(query.terms, query.language) if query.terms else None
    if match is None:
        # Filters alone: newest first.
        order, joins, where, params, score, score_params = "d.created_at DESC, d.id DESC", "", [], [], "0", []
    else:
        joins, where, params = match.joins, match.where, match.params
        score = f"({match.relevance}) * ({match.recency})"
        score_params = match.relevance_params
        order = "score DESC, d.created_at DESC, d.id DESC"
    conditions = " AND ".join([*where, f"d.id IN ({allowed_sql})"])
    sql = (
        f"SELECT d.id, {score} AS score, COUNT(*) OVER () AS total "  # noqa: S608 (no user text: parameters)
        f"FROM search_searchdocument d {joins} WHERE {conditions} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *params, *allowed_params, limit, offset])
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], int(rows[0][2])
        if offset == 0:
            return [], 0
        # Past the last page: count alone, so the page can say how many there are.
        cursor.execute(
            f"SELECT COUNT(*) FROM search_searchdocument d {joins} WHERE {conditions}",  # noqa: S608
            [*params, *allowed_params],
        )
        return [], int(cursor.fetchone()[0])


def _hits(documents: list[SearchDocument], words: list[str]) -> list[Hit]:
    """The hits for these documents, from their live rows: four queries at most, whatever the page."""
    post_ids = [d.post_id for d in documents if d.kind in (Kind.TOPIC, Kind.POST, Kind.EVENT) and d.post_id]
    posts = {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("topic", "user")}
    stories = {
        s.pk: s
        for s in Story.objects.filter(pk__in=[d.object_id for d in documents if d.kind == Kind.STORY]).prefetch_related(
            "authors"
        )
    }
    people = {u.pk: u for u in User.objects.filter(pk__in=[d.object_id for d in documents if d.kind == Kind.USER])}
    hits = []
    for d in documents:
        text = d.body
        if d.kind in (Kind.TOPIC, Kind.POST, Kind.EVENT):
            post = posts.get(d.post_id or 0)
            if post is None:
                continue
            topic = post.topic
            anonymous = post.anonymous or topic.anonymous
            hit = Hit(
                kind=d.kind,
                pk=topic.pk if d.kind == Kind.TOPIC else (post.pk if d.kind == Kind.POST else d.object_id),
                title=topic.title,
                url=f"/t/{topic.slug}/{topic.pk}" + (f"/{post.number}" if post.number != 1 else ""),
                snippet="",
                created_at=d.created_at,
                username="" if anonymous else post.user.username,
                topic_id=topic.pk,
                post_number=post.number,
                language=post.language or topic.language,
            )
        elif d.kind == Kind.STORY:
            story = stories.get(d.object_id)
            if story is None:
                continue
            hit = Hit(
                kind=d.kind,
                pk=story.pk,
                title=story.title,
                url=story.get_absolute_url(),
                snippet="",
                created_at=story.published_at,
                # Its first author, as the story page names them (not whoever created the row: an editor, a feed).
                username=min(story.authors.all(), key=lambda a: a.pk).username if story.authors.all() else "",
                topic_id=story.topic_id,
                language=story.language,
            )
        else:
            person = people.get(d.object_id)
            if person is None:
                continue
            hit = Hit(
                kind=d.kind,
                pk=person.pk,
                title=person.name,
                url=person.get_absolute_url(),
                snippet="",
                created_at=person.date_joined,
                username=person.username,
            )
            text = text or d.title
        hit.snippet = snippet(text, words)
        hits.append(hit)
    return hits


def search(user: Any, q: str, *, page: int = 1, per_page: int = 20) -> Results:
    """The hits `user` may see for the query `q` (words, "phrases" and filters), best first."""
    page = min(max(1, int(page)), MAX_PAGE)
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    query = syntax.parse(q)
    results = Results(query=q, page=page, per_page=per_page, errors=query.errors)
    if query.is_empty:
        return results
    ids, results.total = _ranked_ids(user, query, limit=per_page, offset=(page - 1) * per_page)
    if ids:
        by_id = SearchDocument.objects.in_bulk(ids)
        documents = [by_id[pk] for pk in ids if pk in by_id]
        results.hits = _hits(documents, [t.text for t in query.terms])
    return results
