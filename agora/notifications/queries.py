"""Notification reads: a person's notifications, filtered at read time through the permission module."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from agora import permissions
from agora.discuss.models import Tag
from agora.groups.models import Membership

from .models import Notification, NotificationSettings, Watch, WatchLevel


def _visible_notifications(user: Any) -> QuerySet[Notification]:
    """The user's notifications about things they may still see: a topic or post they can open, a group
    they may know exists. Checked on every read (subqueries, no query of their own beyond the user's
    memoised access), so access lost later (removed from a group, a category made private, a message
    left, a post deleted) hides the notification at once, and it stops counting as unread."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    in_groups = Membership.objects.filter(user_id=user.pk).values("group_id")
    return (
        Notification.objects.filter(user_id=user.pk)
        .filter(Q(topic__isnull=True) | Q(topic_id__in=permissions.visible_topics(user).values("id")))
        # notify() stores a post's topic with it, and an event's topic with the event (and its dates), so
        # the topic test above covers posts and events alike.
        .filter(Q(post__isnull=True) | Q(post__deleted_at__isnull=True))
        # A post held for approval tells nobody but its author until it is approved.
        .filter(Q(post__isnull=True) | Q(post__pending_approval=False) | Q(post__user_id=user.pk))
        .filter(Q(group__isnull=True) | Q(group_id__in=permissions.visible_groups(user).values("id")))
        # A story's notifications are editorial: they last while the person may open its desk (an editor who
        # leaves the board, an author taken off the story, stop seeing them, published or not).
        .filter(Q(story__isnull=True) | Q(story_id__in=permissions.desk_stories(user).values("id")))
        # "Mentioned a group you are in" holds only while they are in it.
        .filter(~Q(kind=Notification.Kind.GROUP_MENTIONED) | Q(group_id__in=in_groups))
    )


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's visible notifications, newest first, with what each line shows (one query)."""
    return _visible_notifications(user).select_related(
        "actor", "topic", "post", "post__topic", "group", "story", "occurrence"
    )


def unread_notification_count(user: Any) -> int:
    """How many visible notifications the user has not read. Most pages are seen with none unread: one
    query on the user's own rows answers those, before the permission filters are built (they cost more
    to compose than to run); only with some unread does a second query count the visible ones."""
    if user is None or not user.is_authenticated:
        return 0
    if not Notification.objects.filter(user_id=user.pk, read_at__isnull=True).exists():
        return 0
    return _visible_notifications(user).filter(read_at__isnull=True).count()


def get_notification_for_user(user: Any, pk: int) -> Notification:
    """One of the user's visible notifications; 404 for anyone else's, or one about something hidden."""
    notification = notifications_for(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def notification_settings_for(user: Any) -> NotificationSettings:
    """The person's settings, or the defaults (unsaved) when they never saved any."""
    prefs = NotificationSettings.objects.filter(user_id=user.pk).first()
    return prefs if prefs is not None else NotificationSettings(user_id=user.pk)


def watch_level(user: Any, **target: Any) -> int:
    """The person's level for one topic, category, tag or group (one keyword); Normal without a row,
    and for visitors."""
    if user is None or not user.is_authenticated:
        return WatchLevel.NORMAL
    level = Watch.objects.filter(user_id=user.pk, **target).values_list("level", flat=True).first()
    return WatchLevel.NORMAL if level is None else level


def watched_places(user: Any) -> list[Watch]:
    """The person's levels for categories, tags and groups (not topics: those are many and shown on each
    topic), for the preferences page: only what they may still see."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Watch.objects.filter(user_id=user.pk, topic__isnull=True)
        .filter(
            Q(category__isnull=True) | Q(category_id__in=permissions.access_for(user).category_ids),
        )
        .filter(Q(group__isnull=True) | Q(group_id__in=permissions.visible_groups(user).values("id")))
        .select_related("category", "tag", "group")
        .order_by("category__name", "tag__name", "group__name")
    )


def get_tag_for_user(user: Any, name: str) -> Tag:
    """A tag the person may see (as discuss.queries.get_tag_for_user: unused, or on a topic they may see);
    else 404."""
    visible = permissions.visible_topics(user).values("id")
    tag = Tag.objects.filter(Q(topics__in=visible) | Q(topics__isnull=True)).filter(name=name.lower()).first()
    if tag is None:
        raise Http404
    return tag
