"""The API's reads. Each starts from agora/permissions.py (or a query module built on it), the same
functions the pages call, so the API never shows what the pages would not."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from agora import permissions
from agora.accounts.queries import get_active_user_by_url_name
from agora.discuss import queries as discuss_queries
from agora.discuss.models import Tag, Topic
from agora.events.models import RSVP, Event, Occurrence
from agora.notifications import queries as notification_queries
from agora.search.queries import search as site_search

from . import cursors, schemas, shape
from .problems import Problem
from .security import READ_SECURITY, SIGNED_IN_AUTH, caller

router = Router()

LIMIT = Query(
    cursors.DEFAULT_LIMIT,
    ge=1,
    le=cursors.MAX_LIMIT,
    description=f"Page size, 1 to {cursors.MAX_LIMIT}: a larger one is refused with 400, never clamped.",
)
CURSOR = Query(None, max_length=2000, description="The `next_cursor` of the previous page; omit for the first.")
OPEN = {"security": READ_SECURITY, "responses": schemas.problem_responses(400, 401, 404, 429)}
OPEN_SIGNED_IN = {"responses": schemas.problem_responses(400, 401, 429)}
PAGED = {"cursor", "limit"}
# Occurrences an event shows in the API: its dates that have not ended, soonest first, at most so many.
OCCURRENCES_SHOWN = 20


def only(request: HttpRequest, allowed: set[str]) -> None:
    """Refuse query parameters the operation does not know: a misspelt filter must not silently list all."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise Problem(
            "unknown-parameter",
            _("Unknown query parameter: %(names)s. This operation knows: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(allowed)) or "-"},
            errors=[{"location": f"query/{n}", "detail": _("Unknown parameter."), "code": "unknown"} for n in unknown],
        )


def listing(request: HttpRequest, page: cursors.Page, results: list[Any], **extra: Any) -> dict[str, Any]:
    link = cursors.next_link(request, page.next_cursor)
    if link:
        request.api_link = link  # type: ignore[attr-defined]  # the Link header, set in api.py
    return {"results": results, "next": link, "next_cursor": page.next_cursor, **extra}


def _with_event(qs: QuerySet[Topic]) -> QuerySet[Topic]:
    return qs.annotate(event_pk=Subquery(Event.objects.filter(topic_id=OuterRef("pk")).values("pk")[:1]))


# --- topics and posts ---


@router.get("/topics", response=schemas.TopicList, tags=["topics"], openapi_extra=OPEN)
def topics(
    request: HttpRequest,
    category: str | None = Query(None, max_length=80, description="A category's slug (its subcategories too)."),
    tag: str | None = Query(None, max_length=100, description="A tag's name."),
    lang: str | None = Query(None, max_length=20, description="A language code, as `en`, `ar`, `pt-BR`."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Topics the caller may see, most recently active first (the /latest list without pins)."""
    only(request, PAGED | {"category", "tag", "lang"})
    user = caller(request)
    qs = permissions.listed_topics(user)
    if category is not None:
        found = permissions.visible_categories(user).filter(slug=category).first()
        if found is None:
            # The same answer for a private category and a missing one: its name is private too.
            raise Problem(
                "validation",
                _("No category has this slug (or you may not see it)."),
                errors=[{"location": "query/category", "detail": _("Unknown category."), "code": "unknown"}],
            )
        ids = [found.pk, *permissions.visible_categories(user).filter(parent=found).values_list("id", flat=True)]
        qs = qs.filter(category_id__in=ids)
    if tag is not None:
        qs = qs.filter(tags__name=tag.strip().lower())
    if lang is not None:
        qs = qs.filter(language=lang)
    qs = _with_event(
        qs.select_related("category", "user").prefetch_related(Prefetch("tags", Tag.objects.only("id", "name")))
    )
    page = cursors.paginate(qs, name="topics", ordering=cursors.Ordering("bumped_at"), cursor=cursor, limit=limit)
    return listing(request, page, [shape.topic(t, user) for t in page.items])


@router.get("/topics/{int:pk}", response=schemas.TopicOut, tags=["topics"], openapi_extra=OPEN)
def topic(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One topic (404 when the caller may not see it, exactly as for a missing one)."""
    only(request, set())
    user = caller(request)
    found = permissions.get_topic_for_user(user, pk)
    if found.deleted_at is not None:
        raise Http404
    event_id = Event.objects.filter(topic_id=found.pk).values_list("pk", flat=True).first()
    return shape.topic(found, user, event_id=event_id)


@router.get("/topics/{int:pk}/posts", response=schemas.PostList, tags=["topics"], openapi_extra=OPEN)
def topic_posts(request: HttpRequest, pk: int, cursor: str | None = CURSOR, limit: int = LIMIT) -> dict[str, Any]:
    """The posts of a topic in order (post 1 opens it), with whether the caller likes and bookmarked each."""
    only(request, PAGED)
    user = caller(request)
    found = permissions.get_topic_for_user(user, pk)
    if found.deleted_at is not None:
        raise Http404
    qs = permissions.visible_posts(user).filter(topic=found).select_related("user")

    def annotate(posts: list[Any]) -> None:
        for p in posts:
            p.topic = found
        discuss_queries.viewer_post_state(user, posts)

    page = cursors.paginate(
        qs,
        name=f"posts:{found.pk}",
        ordering=cursors.Ordering("number", descending=False),
        cursor=cursor,
        limit=limit,
        date_key=False,
        transform=annotate,
    )
    return listing(request, page, [shape.post(p, user) for p in page.items])


@router.get("/posts/{int:pk}", response=schemas.PostOut, tags=["topics"], openapi_extra=OPEN)
def post(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One post (404 when the caller may not see it)."""
    only(request, set())
    user = caller(request)
    found = permissions.get_post_for_user(user, pk)
    if found.deleted_at is not None or not permissions.visible_posts(user).filter(pk=found.pk).exists():
        raise Http404
    discuss_queries.viewer_post_state(user, [found])
    return shape.post(found, user)


# --- stories ---


@router.get("/stories", response=schemas.StoryList, tags=["blog"], openapi_extra=OPEN)
def stories(
    request: HttpRequest,
    lang: str | None = Query(None, max_length=20, description="A language code."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Published stories, newest first."""
    only(request, PAGED | {"lang"})
    qs = permissions.published_stories(caller(request)).filter(published_at__isnull=False).prefetch_related("authors")
    if lang is not None:
        qs = qs.filter(language=lang)
    page = cursors.paginate(qs, name="stories", ordering=cursors.Ordering("published_at"), cursor=cursor, limit=limit)
    return listing(request, page, [shape.story(s) for s in page.items])


@router.get("/stories/{int:pk}", response=schemas.StoryOut, tags=["blog"], openapi_extra=OPEN)
def story(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One published story with its body."""
    only(request, set())
    found = permissions.published_stories(caller(request)).prefetch_related("authors").filter(pk=pk).first()
    if found is None:
        raise Http404
    return shape.story(found, body=True)


# --- events ---


def _upcoming() -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(end_utc__gte=timezone.now()).order_by("start_utc", "id")


def _event_occurrences(events: list[Any]) -> None:
    """Each event's dates that have not ended (one query for the page)."""
    by_event: dict[int, list[Occurrence]] = {}
    for occ in _upcoming().filter(event_id__in=[e.pk for e in events]):
        by_event.setdefault(occ.event_id, []).append(occ)
    for e in events:
        e.upcoming = by_event.get(e.pk, [])[:OCCURRENCES_SHOWN]


@router.get("/events", response=schemas.EventList, tags=["events"], openapi_extra=OPEN)
def events(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT) -> dict[str, Any]:
    """Events the caller may see, newest first, each with its dates that have not ended."""
    only(request, PAGED)
    qs = permissions.listed_events(caller(request)).select_related("topic")
    page = cursors.paginate(
        qs,
        name="events",
        ordering=cursors.Ordering("created_at"),
        cursor=cursor,
        limit=limit,
        transform=_event_occurrences,
    )
    return listing(request, page, [shape.event(e, e.upcoming) for e in page.items])


@router.get("/events/{int:pk}", response=schemas.EventOut, tags=["events"], openapi_extra=OPEN)
def event(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One event with its dates that have not ended, and its online link when the caller may see it."""
    only(request, set())
    user = caller(request)
    found = permissions.get_event_for_user(user, pk)
    going = bool(
        user.is_authenticated
        and RSVP.objects.filter(occurrence__event=found, user=user, status=RSVP.Status.GOING).exists()
    )
    link = (
        found.online_url
        if found.online_url and permissions.can_event(user, "see_online_link", found, going=going)
        else None
    )
    _event_occurrences([found])
    return shape.event(found, found.upcoming, online_url=link)


# --- categories, tags, people, groups ---


@router.get("/categories", response=schemas.CategoryList, tags=["discuss"], openapi_extra=OPEN)
def categories(request: HttpRequest) -> dict[str, Any]:
    """Every category the caller may see, in the site's order (subcategories name their parent)."""
    only(request, set())
    cats = list(permissions.visible_categories(caller(request)).order_by("position", "name", "id"))
    parents = {c.pk: c.slug for c in cats}
    return {"results": [shape.category(c, parents) for c in cats if not c.parent_id or c.parent_id in parents]}


@router.get("/tags", response=schemas.TagList, tags=["discuss"], openapi_extra=OPEN)
def tags(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT) -> dict[str, Any]:
    """Tags with how many topics the caller may see in each, by name."""
    only(request, PAGED)
    qs: QuerySet[Tag] = discuss_queries.tags_with_counts(caller(request))
    page = cursors.paginate(
        qs, name="tags", ordering=cursors.Ordering("name", descending=False), cursor=cursor, limit=limit, date_key=False
    )
    results = [
        {"name": t.name, "description": t.description, "url": t.get_absolute_url(), "topic_count": t.topic_count}
        for t in page.items
    ]
    return listing(request, page, results)


@router.get("/people/{username}", response=schemas.PersonOut, tags=["people"], openapi_extra=OPEN)
def person(request: HttpRequest, username: str) -> dict[str, Any]:
    """A person's public profile, with the counts of their topics and replies the caller may see."""
    only(request, set())
    if len(username) > 200:
        raise Http404
    found = get_active_user_by_url_name(username)
    counts = discuss_queries.user_counts(caller(request), found)
    return {
        "username": found.username,
        "display_name": found.display_name,
        "url": found.get_absolute_url(),
        "trust_level": found.trust_level,
        "joined": found.date_joined,
        "bio_html": found.bio_html,
        "location": found.location,
        "topic_count": counts["topics"] or 0,
        "reply_count": counts["replies"] or 0,
    }


@router.get("/groups", response=schemas.GroupList, tags=["groups"], openapi_extra=OPEN)
def groups(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT) -> dict[str, Any]:
    """Groups the caller may know exist, by name."""
    only(request, PAGED)
    user = caller(request)
    qs = permissions.visible_groups(user)
    page = cursors.paginate(
        qs,
        name="groups",
        ordering=cursors.Ordering("name", descending=False),
        cursor=cursor,
        limit=limit,
        date_key=False,
    )
    return listing(request, page, [shape.group(g, user) for g in page.items])


@router.get("/groups/{name}", response=schemas.GroupOut, tags=["groups"], openapi_extra=OPEN)
def group(request: HttpRequest, name: str) -> dict[str, Any]:
    """One group (404 for a hidden group the caller is not in, exactly as for a missing one)."""
    only(request, set())
    user = caller(request)
    return shape.group(permissions.get_group_for_user(user, name[:200]), user)


# --- the caller's own ---


@router.get(
    "/notifications",
    response=schemas.NotificationList,
    tags=["notifications"],
    auth=SIGNED_IN_AUTH,
    openapi_extra=OPEN_SIGNED_IN,
)
def notifications(
    request: HttpRequest,
    unread: bool = Query(False, description="Only the unread ones."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """The caller's notifications, newest first (only about what they may still see)."""
    only(request, PAGED | {"unread"})
    user = caller(request)
    qs = notification_queries.notifications_for(user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    page = cursors.paginate(
        qs, name="notifications", ordering=cursors.Ordering("created_at"), cursor=cursor, limit=limit
    )
    return listing(
        request,
        page,
        [shape.notification(n) for n in page.items],
        unread=notification_queries.unread_notification_count(user),
    )


# --- search ---


@router.get("/search", response=schemas.SearchOut, tags=["search"], openapi_extra=OPEN)
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=500, description='Words, "phrases" and filters, as on /search.'),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Search what the caller may see: topics, posts, stories, events and people, best first."""
    only(request, PAGED | {"q"})
    number = 1
    if cursor:
        values = cursors.decode(cursor, f"search:{q}")
        if len(values) != 1 or not isinstance(values[0], int) or not 1 < values[0] <= 1000:
            raise Problem("bad-cursor", _("This cursor is damaged; start again without one."))
        number = values[0]
    results = site_search(caller(request), q, page=number, per_page=limit)
    next_cursor = cursors.encode([number + 1], f"search:{q}") if results.has_next and number < 1000 else None
    page = cursors.Page(items=results.hits, next_cursor=next_cursor)
    hits = [
        {
            "kind": h.kind,
            "id": h.pk,
            "title": h.title,
            "url": h.url,
            "snippet": h.snippet,
            "created_at": h.created_at,
            "username": h.username,
            "topic_id": h.topic_id,
            "post_number": h.post_number,
            "language": h.language,
        }
        for h in results.hits
    ]
    return listing(request, page, hits, query=results.query, total=results.total, warnings=list(results.errors))
