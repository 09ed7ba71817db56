"""Our rows as Discourse's JSON objects (its serializers' field names), for the viewer at hand.

Fields Discourse has and we do not get a constant (documented in the README): counts we do not keep are
0, features we do not have are null or false. Dates are ISO 8601 in UTC with milliseconds, as Discourse's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils.html import escape

from agora import permissions
from agora.discuss.models import Category, Colour, Post, Topic
from agora.notifications.models import Notification

# Our fixed palette as Discourse's hex colours (no "#"), the same as the site's CSS.
CATEGORY_COLOURS: dict[str, str] = {
    Colour.BLUE: "1f6feb",
    Colour.GREEN: "2da44e",
    Colour.RED: "cf222e",
    Colour.ORANGE: "e16f24",
    Colour.PURPLE: "8250df",
    Colour.TEAL: "0f8b8d",
    Colour.PINK: "bf3989",
    Colour.BROWN: "8a5a2b",
    Colour.GREY: "6e7781",
    Colour.YELLOW: "d4a72c",
}
# Discourse's CategoryGroup permission types: full (create topics), create_post (reply), readonly.
PERMISSION_TYPES: dict[int, int] = {permissions.CREATE: 1, permissions.REPLY: 2, permissions.SEE: 3}
# Discourse's notification types for the kinds we have; the others are "custom" (14), our kind in data.
NOTIFICATION_TYPES: dict[str, int] = {
    Notification.Kind.MENTIONED: 1,
    Notification.Kind.POST_MOD_EDITED: 4,
    Notification.Kind.MESSAGE: 6,
    Notification.Kind.MESSAGE_REPLY: 6,
    Notification.Kind.GROUP_MESSAGE: 6,
    Notification.Kind.POST_MOVED: 10,
    Notification.Kind.GROUP_MENTIONED: 15,
    Notification.Kind.POST_APPROVED: 20,
    Notification.Kind.JOIN_ACCEPTED: 22,
    Notification.Kind.JOIN_REQUEST: 23,
    Notification.Kind.EVENT_REMINDER: 27,
    Notification.Kind.EVENT_REMINDER_HOUR: 27,
}
CUSTOM_NOTIFICATION = 14
LIKE = 2  # Discourse's post_action_type_id for a like
CHUNK_SIZE = 20


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def avatar_template(user: Any | None) -> str:
    """Discourse's avatar address with {size} for the client to fill: our /user_avatar/ answers with the
    uploaded picture or a letter avatar. The anonymous sender of a message gets the "?" avatar."""
    name = user.url_name if user is not None else "_"
    return f"/user_avatar/{name}/{{size}}"


def basic_user(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name or None,
        "avatar_template": avatar_template(user),
        "trust_level": user.trust_level,
        "admin": user.is_staff,
        "moderator": user.is_moderator,
    }


def fancy_title(title: str) -> str:
    return str(escape(title))


def topic_posters(topic: Topic) -> list[dict[str, Any]]:
    """Discourse lists the original poster, the most recent one and frequent ones: we give the first two,
    from the rows the list already joined (no query per topic)."""
    if topic.last_poster_id in (None, topic.user_id):
        return [
            {
                "extras": "latest single",
                "description": "Original Poster, Most Recent Poster",
                "user_id": topic.user_id,
                "primary_group_id": None,
                "flair_group_id": None,
            }
        ]
    return [
        {
            "extras": None,
            "description": "Original Poster",
            "user_id": topic.user_id,
            "primary_group_id": None,
            "flair_group_id": None,
        },
        {
            "extras": "latest",
            "description": "Most Recent Poster",
            "user_id": topic.last_poster_id,
            "primary_group_id": None,
            "flair_group_id": None,
        },
    ]


def topic_list_item(topic: Topic, viewer: Any) -> dict[str, Any]:
    """One row of a topic list (Discourse's TopicListItemSerializer). Tags are prefetched; read state
    (discuss.queries.read_state) is on the topic for a signed-in viewer."""
    item: dict[str, Any] = {
        "id": topic.pk,
        "title": topic.title,
        "fancy_title": fancy_title(topic.title),
        "slug": topic.slug,
        "posts_count": topic.posts_count,
        "reply_count": topic.reply_count,
        "highest_post_number": topic.highest_post_number,
        "image_url": None,
        "created_at": iso(topic.created_at),
        "last_posted_at": iso(topic.last_posted_at),
        "bumped": topic.bumped_at > topic.created_at,
        "bumped_at": iso(topic.bumped_at),
        "archetype": "private_message" if topic.is_message else "regular",
        "unseen": False,
        "pinned": topic.pinned_globally or topic.is_pinned,
        "unpinned": None,
        "visible": not topic.unlisted,
        "closed": topic.closed,
        "archived": topic.archived,
        "bookmarked": None,
        "liked": None,
        "tags": [tag.name for tag in topic.tags.all()],
        "tags_descriptions": {},
        "views": topic.views,
        "like_count": topic.like_count,
        "has_summary": False,
        "last_poster_username": topic.last_poster.username if topic.last_poster and not topic.anonymous else None,
        "category_id": topic.category_id,
        "pinned_globally": topic.pinned_globally,
        "featured_link": None,
        "has_accepted_answer": topic.solution_post_id is not None,
        "language": topic.language,
        # The anonymous sender of a message is never named (a message found by search, for instance).
        "posters": [] if topic.anonymous else topic_posters(topic),
    }
    if viewer.is_authenticated:
        item["unseen"] = not topic.seen
        item["last_read_post_number"] = topic.first_unread - 1 if topic.seen else None
        item["unread_posts"] = topic.unread
        item["new_posts"] = topic.unread
    return item


def topic_list(
    topics: list[Topic], viewer: Any, *, more_url: str | None, can_create: bool, per_page: int, **extra: Any
) -> dict[str, Any]:
    """A topic list document: {users, primary_groups, flair_groups, topic_list}."""
    users: dict[int, Any] = {}
    for topic in topics:
        for user in (topic.user, topic.last_poster):
            if user is not None:
                users.setdefault(user.pk, user)
    return {
        "users": [basic_user(u) for u in users.values()],
        "primary_groups": [],
        "flair_groups": [],
        "topic_list": {
            "can_create_topic": can_create,
            **({"more_topics_url": more_url} if more_url else {}),
            "per_page": per_page,
            "top_tags": [],
            "draft": None,
            "draft_key": "new_topic",
            "draft_sequence": 0,
            **extra,
            "topics": [topic_list_item(t, viewer) for t in topics],
        },
    }


def post(post_row: Post, viewer: Any, *, reply_count: int = 0, raw: bool = False) -> dict[str, Any]:
    """A post (Discourse's PostSerializer). The post was annotated for the viewer by
    discuss.queries.annotate_posts_for_viewer (liked, bookmarked, can_*, own_anonymous). The anonymous
    sender of a message is named to nobody but themselves."""
    topic = post_row.topic
    author = None if post_row.anonymous and not post_row.own_anonymous else post_row.user
    actions: dict[str, Any] = {"id": LIKE}
    if post_row.like_count:
        actions["count"] = post_row.like_count
    if post_row.liked:
        actions["acted"] = True
        actions["can_undo"] = True
    elif post_row.can_like:
        actions["can_act"] = True
    data: dict[str, Any] = {
        "id": post_row.pk,
        "name": (author.display_name or None) if author else None,
        "username": author.username if author else "",
        "avatar_template": avatar_template(author),
        "created_at": iso(post_row.created_at),
        "cooked": post_row.html,
        "post_number": post_row.number,
        "post_type": 3 if post_row.action else 1,  # 3: Discourse's "small action" notice
        "updated_at": iso(post_row.updated_at),
        "reply_count": reply_count,
        "reply_to_post_number": post_row.reply_to_number,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 0,
        "readers_count": 0,
        "score": 0,
        "yours": viewer.is_authenticated and post_row.user_id == viewer.pk,
        "topic_id": topic.pk,
        "topic_slug": topic.slug,
        "topic_title": topic.title,
        "display_username": (author.display_name or author.username) if author else "",
        "primary_group_name": None,
        "flair_name": None,
        "version": post_row.version,
        "can_edit": post_row.can_edit,
        "can_delete": post_row.can_delete,
        "can_recover": post_row.can_restore,
        "can_wiki": False,
        "read": True,
        "user_title": None,
        "bookmarked": post_row.bookmarked,
        "actions_summary": [actions],
        "moderator": bool(author and author.is_moderator),
        "admin": bool(author and author.is_staff),
        "staff": bool(author and author.is_staff_or_moderator),
        "user_id": author.pk if author else None,
        "hidden": post_row.is_hidden,
        "trust_level": author.trust_level if author else 0,
        "deleted_at": iso(post_row.deleted_at),
        "user_deleted": False,
        "edit_reason": None,
        "can_view_edit_history": True,
        "wiki": post_row.wiki,
        "language": post_row.lang,
    }
    if raw:
        data["raw"] = post_row.raw
    return data


def category(cat: Category, viewer: Any, level: int, *, read_restricted: bool, subcategory_ids: list[int]) -> dict:
    """A category (Discourse's CategorySerializer, the fields clients read)."""
    return {
        "id": cat.pk,
        "name": cat.name,
        "color": CATEGORY_COLOURS.get(cat.color, "1f6feb"),
        "text_color": "FFFFFF",
        "slug": cat.slug,
        "topic_count": cat.topic_count,
        "post_count": cat.post_count,
        "position": cat.position,
        "description": cat.description or None,
        "description_text": cat.description or None,
        "description_excerpt": cat.description[:300] or None,
        "topic_url": None,
        "read_restricted": read_restricted,
        "permission": PERMISSION_TYPES.get(level) if viewer.is_authenticated else None,
        "notification_level": 1,
        "can_edit": bool(viewer.is_authenticated and viewer.is_staff),
        "topic_template": None,
        "has_children": bool(subcategory_ids),
        "subcategory_ids": subcategory_ids,
        "parent_category_id": cat.parent_id,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": "latest",
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "accepts_solutions": cat.accepts_solutions,
    }


def notification(row: Notification) -> dict[str, Any]:
    """A notification (Discourse's NotificationSerializer): its kind in data.kind, what it is about in data."""
    topic = row.topic
    post_row = row.post
    title = topic.title if topic is not None else (row.story.title if row.story is not None else "")
    data: dict[str, Any] = {
        "kind": row.kind,
        "message": str(row.get_kind_display()),
        "topic_title": title,
        "display_username": row.actor.username if row.actor else None,
        "original_username": row.actor.username if row.actor else None,
        "url": row.target_url(),
    }
    if row.group is not None:
        data["group_name"] = row.group.name
    return {
        "id": row.pk,
        "user_id": row.user_id,
        "external_id": None,
        "notification_type": NOTIFICATION_TYPES.get(row.kind, CUSTOM_NOTIFICATION),
        "read": row.read_at is not None,
        "high_priority": row.kind in (Notification.Kind.MESSAGE, Notification.Kind.GROUP_MESSAGE),
        "created_at": iso(row.created_at),
        "post_number": post_row.number if post_row is not None else None,
        "topic_id": row.topic_id,
        "fancy_title": fancy_title(title) if title else None,
        "slug": topic.slug if topic is not None else None,
        "data": data,
    }
