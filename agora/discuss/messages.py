"""Private messages: topics with no category, seen only by their participants and the groups whose inbox
holds them. Writes (message_create, message_add_participant, message_leave) and the inbox reads.

Anonymity: a message to the moderators may be sent anonymously. The sender stays the topic's and the
posts' user (rows need an owner, and the sender must still see their own message), but the sender's
participant row, the topic and each of their posts carry anonymous=True, and every page shows
"Anonymous" to everyone but the sender. Notifications about anonymous writes have no actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.standing import silence_notice
from agora.accounts.usernames import canonical_username
from agora.core.page_cache import content_changed
from agora.groups.models import MODERATORS, Group, Membership
from agora.notifications.models import Notification
from agora.notifications.services import mentions_notify_on_commit, notify

from . import hooks
from .models import MessageGroup, MessageParticipant, Post, Topic, TopicUser, make_slug
from .rendering import render_post_html

# Enough for a conversation among a committee; more is a mailing list, which a group inbox is for.
MAX_RECIPIENTS = 20
MAX_GROUPS = 5


# --- parsing names -----------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """Comma-separated names, trimmed, without a leading @, in order, without repeats."""
    names = [n.strip().removeprefix("@").strip() for n in (text or "").split(",")]
    return list(dict.fromkeys(n for n in names if n))


def users_from_names(names: list[str]) -> list[User]:
    """The active users those names mean, in any spelling (one query). A name that is unknown or
    belongs to a deactivated account gets the same message: a message form must not confirm who exists."""
    keys = {canonical_username(n): n for n in names}
    found = {u.username_canonical: u for u in User.objects.filter(username_canonical__in=keys, is_active=True)}
    unknown = [name for key, name in keys.items() if key not in found]
    if unknown:
        raise ValidationError(
            _("Nobody active is called: %(names)s") % {"names": ", ".join(unknown)}, code="unknown_user"
        )
    return [found[key] for key in keys]


def groups_from_names(sender: Any, names: list[str]) -> list[Group]:
    """The groups those names mean, if the sender may write to their inboxes (one query). A group the
    sender may not see answers exactly as a name that does not exist."""
    found = {g.name.casefold(): g for g in Group.objects.filter(name__in=names)}
    # Group names are unique as typed; a differently cased spelling is looked up case-insensitively.
    missing = [n for n in names if n.casefold() not in found]
    if missing:
        query = Q()
        for name in missing:
            query |= Q(name__iexact=name)
        found.update({g.name.casefold(): g for g in Group.objects.filter(query)})
    unknown: list[str] = []
    refused: list[str] = []
    result: list[Group] = []
    for name in names:
        group = found.get(name.casefold())
        if group is None or not (permissions.can(sender, "message", group) or permissions.can(sender, "see", group)):
            unknown.append(name)
        elif not permissions.can(sender, "message", group):
            refused.append(group.name)
        elif group not in result:
            result.append(group)
    if unknown:
        raise ValidationError(_("There is no group called: %(names)s") % {"names": ", ".join(unknown)}, code="unknown")
    if refused:
        raise ValidationError(
            _("You may not send messages to: %(names)s") % {"names": ", ".join(refused)}, code="refused"
        )
    return result


# --- writes ------------------------------------------------------------------------------


def _check_message(
    *, sender: Any, title: str, raw: str, recipients: list[User], groups: list[Group], anonymous: bool
) -> list[User]:
    """The rules that guard a message, re-checked whatever the form did; returns the other recipients."""
    if not (sender.is_authenticated and sender.is_active):
        raise PermissionDenied
    others = [u for u in dict.fromkeys(recipients) if u.pk != sender.pk]
    if not others and not groups:
        if recipients:
            raise ValidationError(_("Add someone other than yourself."), code="only_self")
        raise ValidationError(_("Add at least one person or group to send the message to."), code="no_recipient")
    if len(others) > MAX_RECIPIENTS:
        raise ValidationError(
            _("A message can go to %(n)d people at most.") % {"n": MAX_RECIPIENTS}, code="too_many_recipients"
        )
    if len(groups) > MAX_GROUPS:
        raise ValidationError(
            _("A message can go to %(n)d groups at most.") % {"n": MAX_GROUPS}, code="too_many_groups"
        )
    inactive = [u.username for u in others if not u.is_active]
    if inactive:
        raise ValidationError(
            _("Nobody active is called: %(names)s") % {"names": ", ".join(inactive)}, code="unknown_user"
        )
    for group in groups:
        if not permissions.can(sender, "message", group):
            raise ValidationError(
                _("There is no group called: %(names)s") % {"names": group.name}
                if not permissions.can(sender, "see", group)
                else _("You may not send messages to: %(names)s") % {"names": group.name},
                code="refused",
            )
    to_moderators_only = not others and [g.name for g in groups] == [MODERATORS]
    if not permissions.may_post(sender) and not to_moderators_only:
        # A silenced person may still write to the moderators (to ask about it), to nobody else.
        raise ValidationError(silence_notice(sender), code="silenced")
    if anonymous and not to_moderators_only:
        raise ValidationError(
            _("Only a message to the moderators alone can be sent anonymously."), code="anonymous_not_allowed"
        )
    title = title.strip()
    if len(title) < settings.AGORA_TITLE_MIN_LENGTH:
        raise ValidationError(
            _("A title needs at least %(n)d characters.") % {"n": settings.AGORA_TITLE_MIN_LENGTH}, code="title"
        )
    if len(title) > settings.AGORA_TITLE_MAX_LENGTH:
        raise ValidationError(
            _("A title can have %(n)d characters at most.") % {"n": settings.AGORA_TITLE_MAX_LENGTH}, code="title"
        )
    if len(raw.strip()) < settings.AGORA_POST_MIN_LENGTH:
        raise ValidationError(_("Write something first."), code="empty")
    if len(raw) > settings.AGORA_POST_MAX_LENGTH:
        raise ValidationError(
            _("A message can have %(n)d characters at most.") % {"n": settings.AGORA_POST_MAX_LENGTH}, code="long"
        )
    return others


@transaction.atomic
def message_create(
    *,
    sender: Any,
    title: str,
    raw: str,
    recipients: list[User],
    groups: list[Group],
    anonymous: bool = False,
    language: str = "",
    recipient_kind: str = Notification.Kind.MESSAGE,
) -> Topic:
    """Start a private message to people and group inboxes; notify them once it is committed (the people
    with `recipient_kind`: a moderator's warning is told as one)."""
    others = _check_message(
        sender=sender, title=title, raw=raw, recipients=recipients, groups=groups, anonymous=anonymous
    )
    hooks.message_checking.send(sender=sender, raw=raw, recipients=others, groups=groups)
    now = timezone.now()
    title = title.strip()
    language = language or (sender.language_list[0] if sender.language_list else "") or "en"
    topic = Topic.objects.create(
        title=title,
        slug=make_slug(title),
        category=None,
        is_message=True,
        anonymous=anonymous,
        user=sender,
        language=language,
        created_at=now,
        bumped_at=now,
        last_posted_at=now,
        last_poster=sender,
        posts_count=1,
        highest_post_number=1,
    )
    post = Post.objects.create(
        topic=topic,
        number=1,
        user=sender,
        raw=raw,
        html=render_post_html(raw),
        anonymous=anonymous,
        created_at=now,
        updated_at=now,
    )
    MessageParticipant.objects.bulk_create(
        [MessageParticipant(topic=topic, user=sender, anonymous=anonymous, created_at=now)]
        + [MessageParticipant(topic=topic, user=u, created_at=now) for u in others]
    )
    MessageGroup.objects.bulk_create([MessageGroup(topic=topic, group=g, created_at=now) for g in groups])
    TopicUser.objects.create(topic=topic, user=sender, last_read_number=1)
    actor = None if anonymous else sender
    other_ids = [u.pk for u in others]
    group_ids = [g.pk for g in groups]

    def tell() -> None:
        notify(
            users=User.objects.filter(pk__in=other_ids),
            kind=recipient_kind,
            actor=actor,
            topic=topic,
            post=post,
        )
        members = _group_members(group_ids).exclude(pk__in=[sender.pk, *other_ids])
        notify(users=members, kind=Notification.Kind.GROUP_MESSAGE, actor=actor, topic=topic, post=post)

    transaction.on_commit(tell)
    mentions_notify_on_commit(post)
    return topic


def _group_members(group_ids: list[int]) -> QuerySet[User]:
    """The active members of these groups; the automatic moderators group is derived from user flags."""
    if not group_ids:
        return User.objects.none()
    query = Q(pk__in=Membership.objects.filter(group_id__in=group_ids).values("user_id"))
    if Group.objects.filter(pk__in=group_ids, automatic=True, name=MODERATORS).exists():
        query |= Q(is_staff=True) | Q(is_moderator=True)
    return User.objects.filter(query, is_active=True)


def is_anonymous_participant(*, topic: Topic, user: Any) -> bool:
    """Does `user` write anonymously in this message (they sent it anonymously)? One query; none for topics."""
    # Only the sender of an anonymous message writes anonymously, whether or not they left it since: the
    # topic row says who that is, so the answer cannot change when their participant row goes.
    return topic.is_message and topic.anonymous and topic.user_id == user.pk


def message_replied(*, post: Post) -> None:
    """After a reply to a message commits, tell the other participants and the groups' members."""
    topic_id, author_id = post.topic_id, post.user_id
    actor = None if post.anonymous else post.user

    def tell() -> None:
        topic = Topic.objects.get(pk=topic_id)
        participants = User.objects.filter(
            pk__in=MessageParticipant.objects.filter(topic_id=topic_id).values("user_id"), is_active=True
        )
        group_ids = list(MessageGroup.objects.filter(topic_id=topic_id).values_list("group_id", flat=True))
        users = [*participants.exclude(pk=author_id), *_group_members(group_ids).exclude(pk=author_id)]
        notify(users=users, kind=Notification.Kind.MESSAGE_REPLY, actor=actor, topic=topic, post=post)

    transaction.on_commit(tell)


@transaction.atomic
def message_add_participant(*, user: Any, topic: Topic, new_user: User) -> MessageParticipant:
    """Someone in a message adds another person to it; the newcomer is told."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.is_message or not permissions.can(user, "reply", topic):
        raise PermissionDenied
    if topic.anonymous:
        # "X is in this conversation already" would unmask the sender to whoever tried names.
        raise ValidationError(
            _("Nobody can be added to an anonymous conversation: it could tell who sent it."), code="anonymous"
        )
    if not new_user.is_active:
        raise ValidationError(_("Nobody active is called: %(names)s") % {"names": new_user.username}, code="unknown")
    if MessageParticipant.objects.filter(topic=topic, user=new_user).exists():
        raise ValidationError(_("%(name)s is in this conversation already.") % {"name": new_user.name}, code="already")
    if MessageParticipant.objects.filter(topic=topic).count() > MAX_RECIPIENTS:
        raise ValidationError(
            _("A message can go to %(n)d people at most.") % {"n": MAX_RECIPIENTS}, code="too_many_recipients"
        )
    participant = MessageParticipant.objects.create(topic=topic, user=new_user)
    content_changed()
    actor = None if is_anonymous_participant(topic=topic, user=user) else user

    def tell() -> None:
        notify(users=[new_user], kind=Notification.Kind.MESSAGE, actor=actor, topic=topic)

    transaction.on_commit(tell)
    return participant


@transaction.atomic
def message_leave(*, user: Any, topic: Topic) -> None:
    """A participant leaves a message: it is no longer theirs (a group they are in may still hold it)."""
    deleted, _count = MessageParticipant.objects.filter(topic=topic, user_id=user.pk).delete()
    if not deleted:
        raise ValidationError(_("You are not taking part in this conversation."), code="not_participant")
    permissions.forget_access(user)
    topic.__dict__.pop("_agora_sees_message", None)


# --- reads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone shown in a conversation: a name and a link, or "Anonymous" with neither."""

    name: str
    url: str = ""
    username: str = ""
    anonymous: bool = False
    is_viewer: bool = False
    avatar_user: Any = None


def person_for(viewer: Any, user: Any, anonymous: bool) -> Person:
    if anonymous and viewer.pk == user.pk:
        return Person(name=_("You (anonymous)"), anonymous=True, is_viewer=True)
    if anonymous:
        return Person(name=_("Anonymous"), anonymous=True)
    return Person(
        name=user.name,
        url=user.get_absolute_url(),
        username=user.username,
        is_viewer=viewer.pk == user.pk,
        avatar_user=user,
    )


def inbox_topics(user: Any, *, box: str = "all", group: Group | None = None) -> QuerySet[Topic]:
    """The viewer's messages, newest activity first: all of them, those they sent, or one group's inbox."""
    qs = permissions.messages_for(user)
    if box == "sent":
        qs = qs.filter(user_id=user.pk)
    if group is not None:
        qs = qs.filter(id__in=MessageGroup.objects.filter(group=group).values("topic_id"))
    return (
        qs.select_related("user", "last_poster")
        .prefetch_related(
            Prefetch(
                "participants", queryset=MessageParticipant.objects.select_related("user").order_by("created_at", "pk")
            ),
            Prefetch("message_groups", queryset=MessageGroup.objects.select_related("group")),
        )
        .order_by("-bumped_at", "-id")
    )


def annotate_inbox(user: Any, topics: list[Topic]) -> None:
    """Who is in each conversation and who wrote last, as this viewer may know them (no query: the
    participants and groups were prefetched)."""
    for topic in topics:
        participants = list(topic.participants.all())
        anonymous_ids = {p.user_id for p in participants if p.anonymous}
        topic.people = [person_for(user, p.user, p.anonymous) for p in participants]
        topic.group_names = [mg.group.name for mg in topic.message_groups.all() if shows_group(user, mg.group)]
        last = topic.last_poster
        masked = last is not None and (last.pk in anonymous_ids or (topic.anonymous and last.pk == topic.user_id))
        topic.last_person = person_for(user, last, masked) if last is not None else None


def shows_group(user: Any, group: Group) -> bool:
    """Name a message's group to this viewer? Only a group they may know exists (a participant outside a
    hidden group must not learn of it); the moderators' inbox is no secret to anyone writing to it."""
    return (group.automatic and group.name == MODERATORS) or permissions.can(user, "see", group)


def inbox_groups(user: Any) -> list[Group]:
    """The groups whose inbox the viewer reads: the moderators' for moderators and staff, and every
    group they are a member of that holds messages (one query)."""
    query = Q(pk__in=Membership.objects.filter(user_id=user.pk).values("group_id"), messages__isnull=False)
    if user.is_staff_or_moderator:
        query |= Q(automatic=True, name=MODERATORS)
    return list(Group.objects.filter(query).distinct().order_by("name"))


def moderators_group() -> Group:
    """The automatic group whose inbox is "message the moderators" (made by a migration)."""
    return Group.objects.get(automatic=True, name=MODERATORS)


def get_group_inbox_for_user(user: Any, name: str) -> Group:
    """A group whose messages the viewer may read; 404 otherwise, as for a group that does not exist."""
    group = Group.objects.filter(name=name).first()
    if group is None or not permissions.can(user, "see_messages", group):
        raise Http404
    return group


def conversation(user: Any, topic: Topic) -> dict[str, Any]:
    """The participants and groups of a message for its page, as the viewer may know them (two queries)."""
    participants = list(
        MessageParticipant.objects.filter(topic=topic).select_related("user").order_by("created_at", "pk")
    )
    return {
        "people": [person_for(user, p.user, p.anonymous) for p in participants],
        "message_groups": [
            mg.group
            for mg in MessageGroup.objects.filter(topic=topic).select_related("group")
            if shows_group(user, mg.group)
        ],
        "is_participant": any(p.user_id == user.pk for p in participants),
    }
