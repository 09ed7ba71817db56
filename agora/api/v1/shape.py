"""Rows to the API's shapes: what one topic, post, story, event... looks like to one caller."""

from __future__ import annotations

from typing import Any

from agora import permissions


def author(obj: Any, viewer: Any) -> str | None:
    """The author's username, or None for an anonymous post (its author alone sees their own name)."""
    if getattr(obj, "anonymous", False) and obj.user_id != getattr(viewer, "pk", None):
        return None
    return obj.user.username


def topic(t: Any, viewer: Any, *, event_id: int | None = None) -> dict[str, Any]:
    """`event_id`: the event the topic is the page of (lists annotate it as event_pk)."""
    event = getattr(t, "event_pk", event_id)
    return {
        "id": t.pk,
        "title": t.title,
        "slug": t.slug,
        "url": t.get_absolute_url(),
        "category": t.category.slug if t.category_id else None,
        "tags": [tag.name for tag in t.tags.all()],
        "language": t.language,
        "author": author(t, viewer),
        "created_at": t.created_at,
        "bumped_at": t.bumped_at,
        "posts_count": t.posts_count,
        "reply_count": t.reply_count,
        "like_count": t.like_count,
        "views": t.views,
        "pinned": bool(t.pinned_globally or t.pinned_at),
        "closed": t.closed,
        "archived": t.archived,
        "solved": t.solution_post_id is not None,
        "event_id": event,
    }


def post(p: Any, viewer: Any) -> dict[str, Any]:
    hidden = p.hidden_at is not None
    shows = not hidden or permissions.sees_hidden_post(viewer, p)
    return {
        "id": p.pk,
        "topic_id": p.topic_id,
        "number": p.number,
        "url": p.get_absolute_url(),
        "author": author(p, viewer),
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "reply_to_number": p.reply_to_number,
        "language": p.lang,
        "like_count": p.like_count,
        "html": p.html if shows else "",
        "raw": p.raw if shows else "",
        "hidden": hidden,
        "liked": getattr(p, "liked", False),
        "bookmarked": getattr(p, "bookmarked", False),
    }


def story(s: Any, *, body: bool = False) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "slug": s.slug,
        "url": s.get_absolute_url(),
        "lead": s.lead,
        "language": s.language,
        "kind": s.kind,
        "authors": [a.username for a in s.authors.all()],
        "published_at": s.published_at,
        "topic_id": s.topic_id,
        "body_html": s.body_html if body else None,
    }


def occurrence(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "start": o.start_utc,
        "end": o.end_utc,
        "start_date": o.start_date,
        "start_time": o.start_time,
        "end_date": o.end_date,
        "end_time": o.end_time,
        "cancelled": o.cancelled,
        "going_count": o.going_count,
        "interested_count": o.interested_count,
        "waitlist_count": o.waitlist_count,
    }


def event(e: Any, occurrences: list[Any], *, online_url: str | None = None) -> dict[str, Any]:
    return {
        "id": e.pk,
        "topic_id": e.topic_id,
        "title": e.topic.title,
        "url": e.topic.get_absolute_url(),
        "timezone": e.timezone,
        "all_day": e.all_day,
        "status": e.status,
        "venue": e.venue,
        "address": e.address,
        "country": e.country,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "online": bool(e.online_url),
        "online_url": online_url,
        "capacity": e.capacity,
        "occurrences": [occurrence(o) for o in occurrences],
    }


def category(c: Any, parents: dict[int, str]) -> dict[str, Any]:
    return {
        "id": c.pk,
        "slug": c.slug,
        "name": c.name,
        "description": c.description,
        "color": c.color,
        "parent": parents.get(c.parent_id) if c.parent_id else None,
        "url": c.get_absolute_url(),
        "topic_count": c.topic_count,
        "post_count": c.post_count,
        "accepts_solutions": c.accepts_solutions,
        "allows_events": c.allows_events,
    }


def group(g: Any, viewer: Any) -> dict[str, Any]:
    sees_members = not g.automatic and permissions.can(viewer, "see_members", g)
    return {
        "name": g.name,
        "full_name": g.full_name,
        "url": g.get_absolute_url(),
        "description_html": g.description_html,
        "visibility": g.visibility,
        "joining": g.joining,
        "member_count": g.member_count if sees_members else None,
        "is_member": permissions.membership_of(viewer, g) is not None,
    }


def notification(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "created_at": n.created_at,
        "read": n.read_at is not None,
        "actor": n.actor.username if n.actor_id else None,
        "topic_id": n.topic_id,
        "post_number": n.post.number if n.post_id else None,
        "group": n.group.name if n.group_id else None,
        "story_id": n.story_id,
        "event_id": n.event_id,
    }
