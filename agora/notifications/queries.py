"""Notification reads: a person's notifications, filtered at read time through the permission module."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from agora import permissions
from agora.groups.models import Membership

from .models import Notification


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
