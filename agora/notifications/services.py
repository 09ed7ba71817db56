"""Notification writes: one function every app calls to tell people something happened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agora import permissions
from agora.core.markdown import mentioned_names
from agora.discuss.models import Post
from agora.groups.models import Group, Membership
from agora.live import services as live_services

from .mentions import mentioned_groups, mentioned_users
from .models import Notification

# A post names at most this many people and groups that get told (Discourse caps mentions per post too):
# a pasted list of a thousand @names is not a thousand notifications.
MAX_MENTIONS_PER_POST = 50


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    kind: str,
    actor: Any = None,
    topic: Any = None,
    post: Any = None,
    group: Any = None,
    story: Any = None,
    event: Any = None,
    occurrence: Any = None,
) -> list[Notification]:
    """Tell each of `users` (never the actor) that `kind` happened. Callers pass only people who may
    see the object; reads filter again through the permission module, so access lost later hides it."""
    actor_id = getattr(actor, "pk", None)
    # A notification about a post is always about its topic too: reads check the topic's visibility once
    # and need only the post's own deletion beside it.
    topic_id = post.topic_id if post is not None else getattr(topic, "pk", None)
    if event is not None and topic_id is None:
        topic_id = event.topic_id  # an event's notification is about its topic too: reads check that
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk == actor_id or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                user=user,
                kind=kind,
                actor=actor,
                topic_id=topic_id,
                post=post,
                group=group,
                story=story,
                event=event,
                occurrence=occurrence,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if created:
        recipients = [row.user for row in created]
        transaction.on_commit(lambda: _publish_bells(recipients))
    return created


# Up to this many people are sent their exact bell count (two small queries each); a larger fan-out
# counts everyone's unread rows in one query per chunk, without the visibility filters.
BELL_EXACT_MAX = 50


def _publish_bells(users: list[Any]) -> None:
    """Each person's bell (their `user:` channel on the live stream) hears their unread count: a number
    and nothing else, so nothing about the notification travels on the stream."""
    from django.db.models import Count

    from .queries import unread_notification_count

    counts: dict[int, int] = {}
    if len(users) <= BELL_EXACT_MAX:
        counts = {user.pk: unread_notification_count(user) for user in users}
    else:
        ids = [user.pk for user in users]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            unread = Notification.objects.filter(user_id__in=chunk, read_at__isnull=True)
            counts.update(unread.values_list("user_id").annotate(n=Count("id")).values_list("user_id", "n"))
    for user_id, count in counts.items():
        live_services.live_publish(channel=live_services.user_channel(user_id), event="bell", data={"unread": count})


def notification_open(*, notification: Notification) -> None:
    """Mark one notification read (it was fetched through queries.get_notification_for_user)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def notifications_mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark the given notifications read: the ones the person sees (queries.notifications_for)."""
    return Notification.objects.filter(pk__in=notifications.filter(read_at__isnull=True).values("pk")).update(
        read_at=timezone.now()
    )


def mentions_notify_on_commit(post: Post, *, previous_raw: str | None = None) -> None:
    """After the write commits, tell the people and groups the post @mentions (for an edit, only the
    names previous_raw did not have). Called by discuss.services; the work runs in a task."""
    from .tasks import notify_mentions_task

    previous = sorted(mentioned_names(previous_raw)) if previous_raw else []
    before = {n.casefold() for n in previous}
    if not any(n.casefold() not in before for n in mentioned_names(post.raw)):
        return  # no new @name: no task
    post_id = post.pk
    transaction.on_commit(lambda: notify_mentions_task.enqueue(post_id, previous))


def _may_mention_group(author: Any, group: Group, *, anonymous: bool) -> bool:
    if not (permissions.can(author, "see", group) and permissions.can(author, "mention", group)):
        return False  # a group the author may not see or mention is plain text: nothing happens, nobody is told
    # From an anonymous sender, a mention only members may make would tell the group the sender is one of them.
    # Nor may it reach a group that not everyone signed in may see: only its members could have named it.
    return not anonymous or (
        group.mentionable == Group.Audience.MEMBERS
        and group.visibility in {Group.Visibility.PUBLIC, Group.Visibility.MEMBERS}
    )


@transaction.atomic
def notify_mentions(*, post_id: int, previous_names: Iterable[str] = ()) -> list[Notification]:
    """Notify each active person the post @mentions who may see it (MENTIONED), and the members who may
    see it of each group the author may mention (GROUP_MENTIONED, at most AGORA_GROUP_MENTION_MAX_MEMBERS
    per group). Nobody without access is told, and the author learns nothing either way. Safe to run
    twice: people already told about this post are skipped."""
    post = Post.objects.select_related("topic", "user").filter(pk=post_id, deleted_at__isnull=True).first()
    if post is None or post.topic.deleted_at is not None or post.pending_approval:
        return []  # a held post's mentions wait for its approval, which sends them
    before = {n.casefold() for n in previous_names}
    names = sorted(n for n in mentioned_names(post.raw) if n.casefold() not in before)[:MAX_MENTIONS_PER_POST]
    if not names:
        return []
    author, topic = post.user, post.topic
    actor = None if post.anonymous else author
    told = set(
        Notification.objects.filter(
            post=post, kind__in=[Notification.Kind.MENTIONED, Notification.Kind.GROUP_MENTIONED]
        ).values_list("user_id", flat=True)
    )
    told.add(author.pk)
    created: list[Notification] = []
    people = mentioned_users(names)
    for person in people:
        if person.pk not in told and permissions.can(person, "see", topic):
            told.add(person.pk)
            created += notify(users=[person], kind=Notification.Kind.MENTIONED, actor=actor, topic=topic, post=post)
    limit = settings.AGORA_GROUP_MENTION_MAX_MEMBERS
    for group in mentioned_groups(names, exclude=[p.username for p in people]):
        if not _may_mention_group(author, group, anonymous=post.anonymous):
            continue
        # Owners first, then the longest-standing members, up to the cap.
        memberships = (
            Membership.objects.filter(group=group, user__is_active=True)
            .exclude(user_id__in=told)
            .select_related("user")
            .order_by("-is_owner", "created_at", "pk")[:limit]
        )
        audience = [m.user for m in memberships if permissions.can(m.user, "see", topic)]
        told.update(m.pk for m in audience)
        created += notify(
            users=audience, kind=Notification.Kind.GROUP_MENTIONED, actor=actor, topic=topic, post=post, group=group
        )
    return created
