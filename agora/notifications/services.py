"""Notification writes: one function every app calls to tell people something happened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.markdown import mentioned_names, quoted_usernames
from agora.discuss.models import Category, Post, Tag, Topic
from agora.groups.models import Group, Membership
from agora.live import services as live_services

from . import queries
from .mentions import mentioned_groups, mentioned_users
from .models import Notification, NotificationSettings, Watch, WatchLevel

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


# --- Notifications about a new post: replies, quotes and watchers ---------------------------------------

# Kinds that are about one post: one person hears about a post once, by the most direct of them (a mention
# beats a reply, a reply a quote, a quote a watched topic), whichever task or retry ran first.
POST_KINDS = [
    Notification.Kind.MENTIONED,
    Notification.Kind.GROUP_MENTIONED,
    Notification.Kind.REPLIED,
    Notification.Kind.QUOTED,
    Notification.Kind.WATCHED_TOPIC,
    Notification.Kind.WATCHED_POST,
]
# A fan-out writes this many notifications per insert (and per call of notify()).
FANOUT_BATCH = 1000


def post_notify_on_commit(post: Post) -> None:
    """After a new post (or an approved held one) commits, tell the people it concerns: its @mentions,
    the author it replies to, the people it quotes, and the watchers of its topic, category, tags and
    group. One task does it all, in that order of priority. Called by discuss.services."""
    from .tasks import notify_post_task

    post_id = post.pk
    transaction.on_commit(lambda: notify_post_task.enqueue(post_id))


def post_notify(*, post_id: int) -> list[Notification]:
    """Everything a new post tells (see post_notify_on_commit); safe to run twice: each step skips the
    people already told about the post. Nothing for a deleted, hidden or held post, or one in a deleted
    or held topic: the approval of a held post sends it then."""
    created = notify_mentions(post_id=post_id)
    post = (
        Post.objects.select_related("topic", "topic__category", "user")
        .filter(pk=post_id, deleted_at__isnull=True, hidden_at__isnull=True, pending_approval=False)
        .first()
    )
    if post is None or post.topic.deleted_at is not None or post.topic.pending_approval or post.action:
        return created
    if post.topic.is_message:
        return created  # the message's participants are told by discuss.messages
    created += _notify_reply_and_quotes(post)
    created += _notify_watchers(post)
    return created


def _told_about(post: Post) -> set[int]:
    told = set(Notification.objects.filter(post=post, kind__in=POST_KINDS).values_list("user_id", flat=True))
    told.add(post.user_id)
    return told


def _muted_topic(user_id: int, topic: Topic) -> bool:
    return Watch.objects.filter(user_id=user_id, topic=topic, level=WatchLevel.MUTED).exists()


@transaction.atomic
def _notify_reply_and_quotes(post: Post) -> list[Notification]:
    """REPLIED to the author of the post replied to (else, for a reply to nobody, the topic's author);
    QUOTED to the people quoted. Only people who may see the post and have not muted the topic."""
    topic = post.topic
    actor = None if post.anonymous else post.user
    told = _told_about(post)
    created: list[Notification] = []
    if post.number > 1:
        replied_to = None
        if post.reply_to_number is not None:
            replied_to = (
                Post.objects.filter(topic=topic, number=post.reply_to_number, deleted_at__isnull=True)
                .select_related("user")
                .first()
            )
        person = replied_to.user if replied_to is not None else topic.user
        if (
            person is not None
            and person.pk not in told
            and person.is_active
            and not _muted_topic(person.pk, topic)
            and permissions.can(person, "see", post)
        ):
            told.add(person.pk)
            created += notify(users=[person], kind=Notification.Kind.REPLIED, actor=actor, post=post)
    names = sorted(quoted_usernames(post.raw))[:MAX_MENTIONS_PER_POST]
    for person in mentioned_users(names) if names else []:
        if person.pk in told or _muted_topic(person.pk, topic) or not permissions.can(person, "see", post):
            continue
        told.add(person.pk)
        created += notify(users=[person], kind=Notification.Kind.QUOTED, actor=actor, post=post)
    return created


def watch_audience(post: Post) -> list[int]:
    """The ids of the people to tell about `post` because they watch where it is, in a few set queries
    whatever their number: the watchers (a new topic: of its category, tags or group at Watching or
    Watching first post; a reply: of the topic at Watching, or of its category, tags or group at Watching)
    minus those who muted it (the topic's own level decides first, then any muted category, tag or
    group), minus the author and the people told already, and only those who may see it now (the
    permission module's topic_readers_q, one query for all)."""
    topic = post.topic
    tag_ids = list(Tag.objects.filter(topics=topic).values_list("id", flat=True))
    group_id = topic.category.group_id if topic.category is not None else None
    where = Q(topic=topic) | Q(category_id=topic.category_id) | Q(tag_id__in=tag_ids)
    if group_id is not None:
        where |= Q(group_id=group_id)
    watches = Watch.objects.filter(where)
    topic_levels: dict[int, int] = {}
    other_levels: dict[int, list[int]] = {}
    for user_id, level, on_topic in watches.values_list("user_id", "level", "topic_id"):
        if on_topic is not None:
            topic_levels[user_id] = level
        else:
            other_levels.setdefault(user_id, []).append(level)
    first_post = post.number == 1
    wanted: set[int] = set()
    for user_id in topic_levels.keys() | other_levels.keys():
        if user_id in topic_levels:
            level = topic_levels[user_id]
            if level == WatchLevel.WATCHING:
                wanted.add(user_id)
            if level != WatchLevel.NORMAL or not first_post:
                continue  # a topic level the person set (or activity set) decides, but Normal on a new topic
        levels = other_levels.get(user_id, [])
        if WatchLevel.MUTED in levels:
            continue
        best = max(levels, default=WatchLevel.NORMAL)
        if best == WatchLevel.WATCHING or (first_post and best == WatchLevel.WATCHING_FIRST_POST):
            wanted.add(user_id)
    wanted -= _told_about(post)
    if not wanted:
        return []
    allowed = User.objects.filter(permissions.topic_readers_q(topic), id__in=watches.values("user_id"))
    return sorted(wanted & set(allowed.values_list("id", flat=True)))


def _notify_watchers(post: Post) -> list[Notification]:
    """Tell the watchers (watch_audience), FANOUT_BATCH at a time, each batch in its own transaction (a
    retry after a crash skips the batches already written)."""
    audience = watch_audience(post)
    kind = Notification.Kind.WATCHED_TOPIC if post.number == 1 else Notification.Kind.WATCHED_POST
    actor = None if post.anonymous else post.user
    created: list[Notification] = []
    for start in range(0, len(audience), FANOUT_BATCH):
        # The audience is active and allowed (one query said so): no need to load each person.
        people = [User(pk=user_id, is_active=True) for user_id in audience[start : start + FANOUT_BATCH]]
        created += notify(users=people, kind=kind, actor=actor, post=post)
    return created


# --- Likes, solutions ------------------------------------------------------------------------------


@transaction.atomic
def post_like_notify(*, post: Post, user: Any, liked: bool) -> Notification | None:
    """Tell a post's author about a like, grouped: while the author has not read it, one notification per
    post folds in every later like ("Ana and 4 others liked your post"; data holds the count and the
    likers' ids, newest first). A read one is never reopened: the next like starts a new one. An unlike
    tells nothing (nor takes a like back from the count: the author already saw it)."""
    author = post.user
    if not liked or author is None or author.pk == user.pk or not author.is_active:
        return None
    if _muted_topic(author.pk, post.topic):
        return None
    row = (
        Notification.objects.select_for_update()
        .filter(user=author, post=post, kind=Notification.Kind.LIKED, read_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        rows = notify(users=[author], kind=Notification.Kind.LIKED, actor=user, post=post)
        if not rows:
            return None
        row = rows[0]
        row.data = {"count": 1, "actor_ids": [user.pk]}
        Notification.objects.filter(pk=row.pk).update(data=row.data)
        return row
    actor_ids = [pk for pk in row.data.get("actor_ids", []) if pk != user.pk]
    if len(actor_ids) == len(row.data.get("actor_ids", [])):
        count = int(row.data.get("count", len(actor_ids))) + 1  # a new liker
    else:
        count = int(row.data.get("count", len(actor_ids) + 1))  # liked, unliked, liked again: once
    row.data = {"count": count, "actor_ids": [user.pk, *actor_ids][:20]}
    row.actor = user
    row.created_at = timezone.now()
    row.save(update_fields=["data", "actor", "created_at"])
    return row


def solution_notify(*, topic: Topic, post: Post | None, actor: Any) -> list[Notification]:
    """Tell an answer's author that it was accepted as the solution (not when they accepted it)."""
    if post is None or post.user is None or not permissions.can(post.user, "see", post):
        return []
    return notify(users=[post.user], kind=Notification.Kind.SOLUTION_ACCEPTED, actor=actor, topic=topic, post=post)


# --- Watching levels --------------------------------------------------------------------------------

TOPIC_LEVELS = [WatchLevel.WATCHING, WatchLevel.TRACKING, WatchLevel.NORMAL, WatchLevel.MUTED]


def _target(topic: Any, category: Any, tag: Any, group: Any) -> dict[str, Any]:
    given = {"topic": topic, "category": category, "tag": tag, "group": group}
    chosen = {k: v for k, v in given.items() if v is not None}
    if len(chosen) != 1:
        raise ValueError("a watch is on exactly one of topic, category, tag or group")
    return chosen


@transaction.atomic
def watch_set(
    *,
    user: Any,
    level: int,
    topic: Topic | None = None,
    category: Category | None = None,
    tag: Tag | None = None,
    group: Group | None = None,
) -> Watch | None:
    """Set the person's level for one topic, category, tag or group (fetched through the permission
    module by the caller: they may see it). Normal removes the row (no row means Normal)."""
    target = _target(topic, category, tag, group)
    if not user.is_authenticated:
        raise PermissionDenied
    allowed = TOPIC_LEVELS if topic is not None else list(WatchLevel)
    if level not in allowed:
        raise ValidationError(_("Choose one of the levels offered."), code="bad_level")
    if level == WatchLevel.NORMAL:
        Watch.objects.filter(user=user, **target).delete()
        return None
    watch, _created = Watch.objects.update_or_create(
        user=user,
        **target,
        defaults={"level": level, "automatic": False, "reason": "set", "updated_at": timezone.now()},
    )
    return watch


def watch_from_activity(*, user: Any, topic: Topic, created: bool) -> None:
    """Starting a topic watches it (if the person's settings say so); replying watches it, or tracks it
    when they turned watch_replied off. Never lowers a level: a level the person chose is kept as is."""
    prefs = queries.notification_settings_for(user)
    if created:
        if not prefs.watch_created:
            return
        level = WatchLevel.WATCHING
    else:
        level = WatchLevel.WATCHING if prefs.watch_replied else WatchLevel.TRACKING
    watch = Watch.objects.filter(user=user, topic=topic).first()
    if watch is None:
        Watch.objects.create(
            user=user, topic=topic, level=level, automatic=True, reason="created" if created else "replied"
        )
    elif watch.automatic and watch.level < level:
        Watch.objects.filter(pk=watch.pk).update(level=level, updated_at=timezone.now())


@transaction.atomic
def notification_settings_save(*, user: Any, watch_created: bool, watch_replied: bool) -> NotificationSettings:
    """Save the person's automatic-watching choices (their email choices are kept as they are)."""
    prefs, _created = NotificationSettings.objects.get_or_create(user=user)
    prefs.watch_created = watch_created
    prefs.watch_replied = watch_replied
    prefs.updated_at = timezone.now()
    prefs.save(update_fields=["watch_created", "watch_replied", "updated_at"])
    return prefs
