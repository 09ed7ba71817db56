"""The one permission module: every read of topics and posts, and every 'may this user do that', goes here.

The rules (written out in docs/permissions.md):
- A user belongs to the automatic groups their account implies (everyone; members and
  trust_level_0..N when signed in; staff; moderators) and to the groups they joined.
- A category grants each group a level: see < reply < create. A user's level in a category is
  the highest level of their groups; staff have every level everywhere.
- A subcategory is visible only when its parent is visible too.
- A topic is visible when its category is and it is not deleted (moderators and staff see deleted
  ones, to restore them).
  Unlisted topics are visible by link but left out of lists and activity.
- A post is visible when its topic is and it is not deleted (staff, and the author, see deleted ones).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agora.discuss.models import Category, CategoryGrant, Post, Topic
from agora.groups import models as groups

SEE = CategoryGrant.Level.SEE
REPLY = CategoryGrant.Level.REPLY
CREATE = CategoryGrant.Level.CREATE

_CACHE_ATTR = "_agora_permissions"


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per request: a level per visible category."""

    levels: dict[int, int]  # category id -> level, only for visible categories
    is_staff: bool
    is_moderator: bool  # staff or moderator: sees deleted topics, to restore them

    @property
    def category_ids(self) -> list[int]:
        return sorted(self.levels)


def automatic_group_names(user: Any) -> list[str]:
    names = [groups.EVERYONE]
    if user is None or not user.is_authenticated:
        return names
    names.append(groups.MEMBERS)
    names += groups.TRUST_LEVELS[: min(user.trust_level, 4) + 1]
    if user.is_staff:
        names.append(groups.STAFF)
    if user.is_staff or user.is_moderator:
        names.append(groups.MODERATORS)
    return names


def access_for(user: Any) -> Access:
    """The user's Access, memoised on the user object (one request's lifetime)."""
    cached = getattr(user, _CACHE_ATTR, None) if user is not None else None
    if cached is not None:
        return cached
    authenticated = user is not None and user.is_authenticated
    group_filter = Q(group__automatic=True, group__name__in=automatic_group_names(user))
    if authenticated:
        group_filter |= Q(group__memberships__user_id=user.pk)
    is_staff = bool(authenticated and user.is_staff)
    levels: dict[int, int] = {}
    parents: dict[int, int | None] = {}
    if is_staff:
        for cid, parent_id in Category.objects.values_list("id", "parent_id"):
            levels[cid] = CREATE
            parents[cid] = parent_id
    else:
        # One query: every grant that applies to this user, with the category's parent.
        rows = CategoryGrant.objects.filter(group_filter).values_list("category_id", "level", "category__parent_id")
        for granted_id, level, granted_parent_id in rows:
            levels[granted_id] = max(int(level), levels.get(granted_id, 0))
            parents[granted_id] = granted_parent_id
    access = Access(levels=_visible_levels(levels, parents), is_staff=is_staff, is_moderator=_is_mod(user))
    if user is not None:
        with contextlib.suppress(AttributeError):  # a user object that refuses attributes
            setattr(user, _CACHE_ATTR, access)
    return access


def _visible_levels(levels: dict[int, int], parents: dict[int, int | None]) -> dict[int, int]:
    """Keep the categories the user may see whose parent is visible too, all the way up: a child of a
    hidden category is hidden whatever its own grants (and a cycle is never visible)."""
    visible: dict[int, int] = {}
    pending = {cid for cid, level in levels.items() if level >= SEE}
    while pending:
        ready = {cid for cid in pending if parents[cid] is None or parents[cid] in visible}
        if not ready:
            break
        for cid in ready:
            visible[cid] = levels[cid]
        pending -= ready
    return visible


def forget_access(user: Any) -> None:
    """Drop the memoised Access, after a change of the user's groups or roles."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def category_level(user: Any, category: Category | int) -> int:
    cid = category if isinstance(category, int) else category.pk
    return access_for(user).levels.get(cid, 0)


def visible_categories(user: Any) -> QuerySet[Category]:
    return Category.objects.filter(id__in=access_for(user).category_ids)


def creatable_categories(user: Any) -> QuerySet[Category]:
    levels = access_for(user).levels
    return Category.objects.filter(id__in=[cid for cid, level in levels.items() if level >= CREATE])


def visible_topics(user: Any, *, include_deleted: bool = False) -> QuerySet[Topic]:
    access = access_for(user)
    qs = Topic.objects.filter(category_id__in=access.category_ids)
    if not (include_deleted and access.is_moderator):
        qs = qs.filter(deleted_at__isnull=True)
    return qs


def listed_topics(user: Any) -> QuerySet[Topic]:
    """Topics for lists, counts and feeds: visible and not unlisted."""
    return visible_topics(user).filter(unlisted=False)


def visible_posts(user: Any) -> QuerySet[Post]:
    return Post.objects.filter(
        topic__category_id__in=access_for(user).category_ids,
        topic__deleted_at__isnull=True,
        deleted_at__isnull=True,
    )


def listed_posts(user: Any) -> QuerySet[Post]:
    """Posts for activity pages and counts: visible, in topics that are not unlisted."""
    return visible_posts(user).filter(topic__unlisted=False)


def _is_mod(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff_or_moderator)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Actions: see, reply, create_topic, edit, delete, restore,
    like, bookmark, solve, moderate, see_deleted."""
    authenticated = user is not None and user.is_authenticated
    if isinstance(obj, Category):
        level = category_level(user, obj)
        if action == "see":
            return level >= SEE
        if action == "create_topic":
            return authenticated and level >= CREATE
        if action == "reply":
            return authenticated and level >= REPLY
        return False
    if isinstance(obj, Topic):
        level = category_level(user, obj.category_id)
        visible = level >= SEE and (obj.deleted_at is None or access_for(user).is_moderator)
        if action == "see":
            return visible
        if not (visible and authenticated):
            return False
        if action == "reply":
            if obj.deleted_at is not None or obj.archived:
                return False
            if obj.closed:
                # Closing stops members, not moderators; but a moderator still needs the reply level here.
                return _is_mod(user) and level >= REPLY
            return level >= REPLY
        if action == "moderate":
            return _is_mod(user)
        if action == "solve":
            return obj.category.accepts_solutions and (user.pk == obj.user_id or _is_mod(user)) and not obj.archived
        return False
    if isinstance(obj, Post):
        topic = obj.topic
        if not can(user, "see", topic):
            return False
        if obj.deleted_at is not None and action not in {"see_deleted", "restore"}:
            return False
        if action == "see":
            return True
        if not authenticated:
            return False
        own = obj.user_id == user.pk
        if action == "see_deleted":
            return _is_mod(user) or own
        if action == "like":
            return not own and not topic.archived
        if action == "bookmark":
            return True
        if action == "edit":
            if _is_mod(user):
                return True
            window = timedelta(seconds=settings.AGORA_EDIT_WINDOW_SECONDS)
            return own and not topic.archived and not topic.closed and timezone.now() - obj.created_at <= window
        if action == "delete":
            if _is_mod(user):
                return True
            # An author may delete their own replies, and their own topic (its opening post) only while
            # nobody has replied: other people's replies are not theirs to take down.
            if obj.number == 1 and topic.reply_count > 0:
                return False
            return own and not topic.archived and not topic.closed
        if action == "restore":
            # A deleted topic is restored by moderators; a deleted reply also by the author who deleted it.
            if obj.number == 1:
                return _is_mod(user)
            return _is_mod(user) or (own and obj.deleted_by_id == user.pk)
        return False
    return False


def get_category_for_user(user: Any, slug: str) -> Category:
    category = Category.objects.filter(slug=slug, id__in=access_for(user).category_ids).select_related("parent").first()
    if category is None:
        raise Http404
    return category


def get_topic_for_user(user: Any, pk: int, action: str = "see") -> Topic:
    """The topic if the user may see it (else 404) and do `action` (else 403)."""
    topic = (
        visible_topics(user, include_deleted=True)
        # The topic page shows the parent category and the solution's author: fetch them in the same query.
        .select_related("category", "category__parent", "user", "solution_post", "solution_post__user")
        .filter(pk=pk)
        .first()
    )
    if topic is None or not can(user, "see", topic):
        raise Http404
    if action != "see" and not can(user, action, topic):
        raise PermissionDenied
    return topic


def get_post_for_user(user: Any, pk: int, action: str = "see") -> Post:
    """The post if the user may see it (else 404) and do `action` (else 403)."""
    post = (
        Post.objects.filter(pk=pk, topic__category_id__in=access_for(user).category_ids)
        .select_related("topic", "topic__category", "user")
        .first()
    )
    if post is None or not can(user, "see", post.topic):
        raise Http404
    if post.deleted_at is not None and not can(user, "see_deleted", post):
        raise Http404
    if action != "see" and not can(user, action, post):
        raise PermissionDenied
    return post
