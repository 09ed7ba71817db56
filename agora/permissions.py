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
- A private message (a topic with no category) is visible to its participants and to the members of
  the groups whose inbox it is in; to nobody else, staff included. Messages are never listed.
- A group is visible per its visibility (everyone, signed-in users, its members); automatic groups
  to staff and moderators. Its member list per its own setting. Owners and moderators of a group
  moderate the categories the group owns.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from agora.discuss.models import Category, CategoryGrant, MessageGroup, MessageParticipant, Post, Topic
from agora.groups import models as groups

SEE = CategoryGrant.Level.SEE
REPLY = CategoryGrant.Level.REPLY
CREATE = CategoryGrant.Level.CREATE

_CACHE_ATTR = "_agora_permissions"
_MEMBERSHIPS_ATTR = "_agora_memberships"


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per request: a level per visible category."""

    levels: dict[int, int]  # category id -> level, only for visible categories
    is_staff: bool
    is_moderator: bool  # staff or moderator: sees deleted topics, to restore them
    # Categories this user moderates as an owner or moderator of the group that owns them.
    moderated_category_ids: frozenset[int] = frozenset()

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
    is_staff = bool(authenticated and user.is_staff)
    levels: dict[int, int] = {}
    parents: dict[int, int | None] = {}
    moderated: set[int] = set()
    if is_staff:
        for cid, parent_id in Category.objects.values_list("id", "parent_id"):
            levels[cid] = CREATE
            parents[cid] = parent_id
    else:
        # One query: every grant to one of the user's groups, with the category's parent, and whether the
        # user owns or moderates the group that owns the category (a group moderator). Both are
        # uncorrelated subqueries (semi-joins), so the plan stays a few hash joins on any database.
        rows = CategoryGrant.objects.filter(group_id__in=user_group_ids(user))
        if authenticated:
            moderating = groups.Membership.objects.filter(Q(is_owner=True) | Q(is_moderator=True), user_id=user.pk)
            rows = rows.annotate(moderates=Q(category__group_id__in=moderating.values("group_id")))
        else:
            rows = rows.annotate(moderates=Value(False))
        for granted_id, level, granted_parent_id, group_moderator in rows.values_list(
            "category_id", "level", "category__parent_id", "moderates"
        ):
            levels[granted_id] = max(int(level), levels.get(granted_id, 0))
            parents[granted_id] = granted_parent_id
            if group_moderator:
                moderated.add(granted_id)
    visible = _visible_levels(levels, parents)
    access = Access(
        levels=visible,
        is_staff=is_staff,
        is_moderator=_is_mod(user),
        moderated_category_ids=frozenset(cid for cid in moderated if cid in visible),
    )
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
    """Drop the memoised Access and memberships, after a change of the user's groups or roles."""
    for attr in (_CACHE_ATTR, _MEMBERSHIPS_ATTR):
        if user is not None and hasattr(user, attr):
            delattr(user, attr)


def category_level(user: Any, category: Category | int) -> int:
    cid = category if isinstance(category, int) else category.pk
    return access_for(user).levels.get(cid, 0)


def visible_categories(user: Any) -> QuerySet[Category]:
    return Category.objects.filter(id__in=access_for(user).category_ids)


def creatable_categories(user: Any) -> QuerySet[Category]:
    levels = access_for(user).levels
    return Category.objects.filter(id__in=[cid for cid, level in levels.items() if level >= CREATE])


def user_group_ids(user: Any) -> QuerySet[groups.Group, Any]:
    """The ids of every group the user is in, automatic ones included, as a subquery (no query of its own)."""
    names = automatic_group_names(user)
    in_groups = Q(automatic=True, name__in=names)
    if user is not None and user.is_authenticated:
        in_groups |= Q(id__in=groups.Membership.objects.filter(user_id=user.pk).values("group_id"))
    return groups.Group.objects.filter(in_groups).values("id")


def message_topic_ids(user: Any) -> Q:
    """The private messages the user takes part in, directly or through a group's inbox (subqueries)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(id__in=MessageParticipant.objects.filter(user_id=user.pk).values("topic_id")) | Q(
        id__in=MessageGroup.objects.filter(group_id__in=user_group_ids(user)).values("topic_id")
    )


def _held_q(user: Any, access: Access, prefix: str = "") -> Q:
    """Held for approval (a new member's first posts, moderation.limits): seen by the author and by those
    who moderate its category, nobody else. `prefix` reads a post's topic ("topic__")."""
    if access.is_moderator:
        return Q()
    q = Q(**{f"{prefix}pending_approval": False}) | Q(
        **{f"{prefix}category_id__in": sorted(access.moderated_category_ids)}
    )
    if user is not None and user.is_authenticated:
        q |= Q(**{f"{prefix}user_id": user.pk})
    return q


def held_posts_q(user: Any) -> Q:
    """The posts of visible topics this user may see among held ones: theirs, or all if they moderate."""
    access = access_for(user)
    if access.is_moderator:
        return Q()
    q = Q(pending_approval=False) | Q(topic__category_id__in=sorted(access.moderated_category_ids))
    if user is not None and user.is_authenticated:
        q |= Q(user_id=user.pk)
    return q


def visible_topics(user: Any, *, include_deleted: bool = False) -> QuerySet[Topic]:
    """Every topic the user may open: in visible categories, and the private messages they are in."""
    access = access_for(user)
    qs = Topic.objects.filter(Q(category_id__in=access.category_ids) | (Q(is_message=True) & message_topic_ids(user)))
    qs = qs.filter(_held_q(user, access))
    if not include_deleted:
        return qs.filter(deleted_at__isnull=True)
    if access.is_moderator:
        return qs
    return qs.filter(Q(deleted_at__isnull=True) | Q(category_id__in=sorted(access.moderated_category_ids)))


def _in_group_q(group_id: int, name: str, automatic: bool) -> Q:
    """Who is in this group, as a filter on users (the bulk twin of automatic_group_names and memberships)."""
    if not automatic:
        return Q(id__in=groups.Membership.objects.filter(group_id=group_id).values("user_id"))
    if name in {groups.EVERYONE, groups.MEMBERS}:
        return Q(pk__isnull=False)  # everyone signed in (an empty Q() would vanish from an "or")
    if name == groups.STAFF:
        return Q(is_staff=True)
    if name == groups.MODERATORS:
        return Q(is_staff=True) | Q(is_moderator=True)
    if name in groups.TRUST_LEVELS:
        return Q(trust_level__gte=groups.TRUST_LEVELS.index(name))
    return Q(pk__in=[])


def topic_readers_q(topic: Topic) -> Q:
    """The active people who may see this topic now, as a filter on users: the bulk form of
    can(user, "see", topic) for a fan-out to thousands (two small queries: the category tree and the
    grants). Only for a topic of a category, neither deleted nor held: nobody otherwise. Staff see every
    category; anyone else needs a group granted at least "see" on the category and on each parent."""
    if topic.is_message or topic.category_id is None or topic.deleted_at is not None or topic.pending_approval:
        return Q(pk__in=[])
    chain: list[int] = []
    category_id: int | None = topic.category_id
    parents = dict(Category.objects.values_list("id", "parent_id"))
    while category_id is not None and category_id not in chain:
        chain.append(category_id)
        category_id = parents.get(category_id)
    if category_id is not None:
        return Q(is_active=True, is_staff=True)  # a cycle is never visible but to staff
    grants = CategoryGrant.objects.filter(category_id__in=chain, level__gte=SEE).values_list(
        "category_id", "group_id", "group__name", "group__automatic"
    )
    by_category: dict[int, Q] = {}
    for cid, group_id, name, automatic in grants:
        by_category[cid] = by_category.get(cid, Q(pk__in=[])) | _in_group_q(group_id, name, automatic)
    q = Q()
    for cid in chain:
        q &= by_category.get(cid, Q(pk__in=[]))
    return Q(is_active=True) & (Q(is_staff=True) | q)


def listed_topics(user: Any) -> QuerySet[Topic]:
    """Topics for lists, counts and feeds: in visible categories, not deleted and not unlisted. Never
    private messages: those are listed only by messages_for (the inbox)."""
    return Topic.objects.filter(
        category_id__in=access_for(user).category_ids, deleted_at__isnull=True, unlisted=False, pending_approval=False
    )


def messages_for(user: Any) -> QuerySet[Topic]:
    """The user's private messages (their own and their groups' inboxes), not deleted."""
    return Topic.objects.filter(Q(is_message=True) & message_topic_ids(user), deleted_at__isnull=True)


def visible_posts(user: Any) -> QuerySet[Post]:
    """Posts the user may read: not deleted, in topics they may open (private messages included)."""
    in_topics = Q(topic__category_id__in=access_for(user).category_ids)
    if user is not None and user.is_authenticated:
        in_topics |= Q(topic_id__in=messages_for(user).values("id"))
    access = access_for(user)
    return Post.objects.filter(
        in_topics,
        _held_q(user, access, "topic__"),
        held_posts_q(user),
        _shown_posts(user),
        topic__deleted_at__isnull=True,
        deleted_at__isnull=True,
    )


def listed_posts(user: Any) -> QuerySet[Post]:
    """Posts for activity pages and counts: visible, in listed topics (never private messages)."""
    return Post.objects.filter(
        topic__category_id__in=access_for(user).category_ids,
        topic__deleted_at__isnull=True,
        topic__unlisted=False,
        topic__pending_approval=False,
        deleted_at__isnull=True,
        pending_approval=False,
    ).filter(_shown_posts(user))


def _is_mod(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff_or_moderator)


def _moderates(user: Any, topic: Topic) -> bool:
    """Moderators and staff moderate every category they see; a group's owners and moderators the
    categories their group owns. Private messages are moderated by site moderators who take part."""
    if _is_mod(user):
        return True
    return topic.category_id is not None and topic.category_id in access_for(user).moderated_category_ids


def _sees_message(user: Any, topic: Topic) -> bool:
    """Is the user a participant of this private message, or in a group whose inbox holds it? Memoised
    on the topic object (one query per topic and request)."""
    if user is None or not user.is_authenticated:
        return False
    memo: dict[int, bool] = topic.__dict__.setdefault("_agora_sees_message", {})
    if user.pk not in memo:
        memo[user.pk] = Topic.objects.filter(Q(pk=topic.pk) & message_topic_ids(user)).exists()
    return memo[user.pk]


def _memberships(user: Any) -> dict[int, groups.Membership]:
    """The user's memberships by group id: one query, memoised on the user for the request."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if cached is None:
        cached = {m.group_id: m for m in groups.Membership.objects.filter(user_id=user.pk).select_related("group")}
        with contextlib.suppress(AttributeError):
            setattr(user, _MEMBERSHIPS_ATTR, cached)
    return cached


def membership_of(user: Any, group: groups.Group) -> groups.Membership | None:
    return _memberships(user).get(group.pk)


def is_group_member(user: Any, group: groups.Group) -> bool:
    if group.automatic:
        return group.name in automatic_group_names(user)
    return group.pk in _memberships(user)


def groups_to_speak_for(user: Any) -> QuerySet[groups.Group]:
    """The groups a person may name as speaking through them (a story's "on behalf of", an event's
    organizing group): the groups they are in, never an automatic one; staff, any group. Read from the
    database, not the request's memoised memberships, so a join a moment ago counts."""
    if user is None or not user.is_authenticated:
        return groups.Group.objects.none()
    qs = groups.Group.objects.filter(automatic=False)
    if user.is_staff:
        return qs
    return qs.filter(id__in=groups.Membership.objects.filter(user_id=user.pk).values("group_id"))


def may_speak_for(user: Any, group: groups.Group) -> bool:
    """See groups_to_speak_for (one query)."""
    return groups_to_speak_for(user).filter(pk=group.pk).exists()


def is_group_owner(user: Any, group: groups.Group) -> bool:
    membership = membership_of(user, group)
    return membership is not None and membership.is_owner


def visible_groups(user: Any) -> QuerySet[groups.Group]:
    """Groups the user may know exist: public ones, signed-in-only ones when signed in, hidden ones
    they belong to. Automatic groups only for staff and moderators; staff see every group."""
    if user is not None and user.is_authenticated and user.is_staff:
        return groups.Group.objects.all()
    shown = Q(automatic=False, visibility=groups.Group.Visibility.PUBLIC)
    if user is not None and user.is_authenticated:
        shown |= Q(automatic=False, visibility=groups.Group.Visibility.MEMBERS)
        shown |= Q(automatic=False, id__in=groups.Membership.objects.filter(user_id=user.pk).values("group_id"))
        if _is_mod(user):
            shown |= Q(automatic=True)
    return groups.Group.objects.filter(shown)


def _can_group(user: Any, action: str, group: groups.Group) -> bool:
    authenticated = user is not None and user.is_authenticated
    staff = bool(authenticated and user.is_staff)
    member = is_group_member(user, group)
    owner = is_group_owner(user, group)
    G = groups.Group
    if group.automatic:
        sees = staff or _is_mod(user)
    elif group.visibility == G.Visibility.PUBLIC:
        sees = True
    elif group.visibility == G.Visibility.MEMBERS:
        sees = authenticated
    else:
        sees = staff or member
    if action == "see":
        return sees
    if not sees:
        # The moderators' inbox takes messages from anyone signed in, who cannot see the group itself.
        return action == "message" and authenticated and group.automatic and group.name == groups.MODERATORS
    if action == "see_members":
        if group.automatic or staff or owner:
            return True  # automatic groups are seen only by staff and moderators, who may see who is in them
        rule = group.members_visibility
        return (
            rule == G.MembersVisibility.PUBLIC
            or (rule == G.MembersVisibility.MEMBERS and authenticated)
            or (rule == G.MembersVisibility.GROUP and member)
        )
    if not authenticated:
        return False
    if action == "join":
        return not group.automatic and not member and group.joining == G.Joining.OPEN
    if action == "ask_to_join":
        return not group.automatic and not member and group.joining == G.Joining.ASK
    if action == "leave":
        return not group.automatic and member
    if action == "manage":
        return not group.automatic and (staff or owner)
    if action in {"mention", "message"}:
        if group.automatic:
            return group.name == groups.MODERATORS if action == "message" else staff
        rule = group.mentionable if action == "mention" else group.messageable
        return (
            staff
            or (rule == G.Audience.MEMBERS)
            or (rule == G.Audience.GROUP and member)
            or (action == "message" and owner)
        )
    if action == "see_messages":
        return member or (group.automatic and group.name in automatic_group_names(user))
    return False


def may_post(user: Any) -> bool:
    """A signed-in person who is not silenced: may start topics, reply and send messages."""
    return bool(user is not None and user.is_authenticated and not user.is_silenced)


def can_edit_site_pages(user: Any) -> bool:
    """Staff edit the site pages (the code of conduct, the guidelines, "about"); nobody else does."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_edit_names(user: Any) -> bool:
    """Staff edit the translations of categories' and tags' names and descriptions (group owners edit
    their group's, as they edit its settings: can(user, "manage", group))."""
    return can_edit_site_pages(user)


def can_moderate_user(actor: Any, target: Any) -> bool:
    """May `actor` warn, silence, suspend or delete `target`? Staff may act on anyone but staff; site
    moderators on members (not on staff or other moderators); nobody on themselves. Group moderators
    moderate their group's posts, never people site-wide."""
    if not _is_mod(actor) or target is None or actor.pk == target.pk:
        return False
    if target.is_staff:
        return False
    if actor.is_staff:
        return True
    return not target.is_moderator


def may_flag(user: Any) -> bool:
    """Flags unlock at trust level AGORA_MIN_TRUST_TO_FLAG; staff and moderators always may flag."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return _is_mod(user) or user.trust_level >= settings.AGORA_MIN_TRUST_TO_FLAG


def reviewable_category_ids(user: Any) -> frozenset[int] | None:
    """What of /review a person may see: None for site moderators and staff (everything, people
    included); for a group moderator the categories their groups own (flagged and held posts there only);
    an empty set for everyone else (no /review at all)."""
    if _is_mod(user):
        return None
    if user is None or not user.is_authenticated:
        return frozenset()
    return access_for(user).moderated_category_ids


def may_review(user: Any) -> bool:
    return reviewable_category_ids(user) != frozenset()


def sees_hidden_post(user: Any, post: Post) -> bool:
    """A post hidden pending review is read by its author and by those who moderate its topic; everyone
    else sees that it is hidden, not what it says. `post.topic` is the topic row the caller has."""
    if user is None or not user.is_authenticated:
        return False
    return post.user_id == user.pk or _moderates(user, post.topic)


def _shown_posts(user: Any) -> Q:
    """Posts hidden pending review leave lists, activity, quotes and feeds for everyone but their author
    and site moderators (no query of its own)."""
    if _is_mod(user):
        return Q()
    if user is not None and user.is_authenticated:
        return Q(hidden_at__isnull=True) | Q(user_id=user.pk)
    return Q(hidden_at__isnull=True)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Actions: see, reply, create_topic, edit, delete, restore,
    like, bookmark, solve, moderate, see_deleted; for groups: see, see_members, join, ask_to_join,
    leave, manage, mention, message, see_messages."""
    authenticated = user is not None and user.is_authenticated
    if isinstance(obj, groups.Group):
        return _can_group(user, action, obj)
    if isinstance(obj, Category):
        level = category_level(user, obj)
        if action == "see":
            return level >= SEE
        if action == "create_topic":
            return may_post(user) and level >= CREATE
        if action == "reply":
            return may_post(user) and level >= REPLY
        return False
    if isinstance(obj, Topic) and obj.is_message:
        visible = obj.deleted_at is None and _sees_message(user, obj)
        if action == "see":
            return visible
        if not (visible and authenticated):
            return False
        if action == "reply":
            return may_post(user) and not obj.closed and not obj.archived
        if action == "moderate":
            return _is_mod(user)
        return False
    if isinstance(obj, Topic):
        level = category_level(user, obj.category_id or 0)  # not a message (above), so it has a category
        visible = level >= SEE and (obj.deleted_at is None or access_for(user).is_moderator or _moderates(user, obj))
        if obj.pending_approval and visible:
            visible = (authenticated and obj.user_id == user.pk) or _moderates(user, obj)
        if action == "see":
            return visible
        if not (visible and authenticated):
            return False
        if action == "reply":
            if obj.deleted_at is not None or obj.archived or not may_post(user):
                return False
            if obj.closed:
                # Closing stops members, not moderators; but a moderator still needs the reply level here.
                return _moderates(user, obj) and level >= REPLY
            return level >= REPLY
        if action == "moderate":
            return _moderates(user, obj)
        if action == "pin_globally":
            return _is_mod(user)
        if action == "link_translation":
            # Its author or a moderator says which topic it translates (agora.discuss.services).
            return (
                not obj.is_message
                and obj.deleted_at is None
                and ((obj.user_id == user.pk and may_post(user)) or _moderates(user, obj))
            )
        if action in TOPIC_TOOLS:
            return _can_topic_tool(user, action, obj, level)
        if action == "solve":
            return (
                obj.category is not None
                and obj.category.accepts_solutions
                and (user.pk == obj.user_id or _moderates(user, obj))
                and not obj.archived
            )
        return False
    if isinstance(obj, Post):
        topic = obj.topic
        if not can(user, "see", topic):
            return False
        if obj.deleted_at is not None and action not in {"see_deleted", "restore"}:
            return False
        if obj.pending_approval and not ((authenticated and obj.user_id == user.pk) or _moderates(user, topic)):
            return False  # held for approval: its author and its moderators only
        if action == "see":
            return True
        if not authenticated:
            return False
        own = obj.user_id == user.pk
        if action == "see_deleted":
            return _moderates(user, topic) or own
        if obj.action:  # a moderator tool's notice: nobody edits or likes it (deleting it is fine)
            return action in {"delete", "restore"} and _moderates(user, topic)
        if action == "like":
            return not own and not topic.archived
        if action in POST_TOOLS:
            return _moderates(user, topic)
        if action == "bookmark":
            return True
        if action == "edit":
            if _moderates(user, topic):
                return True
            if obj.locked:
                return False
            if obj.wiki and _trust_at_least(user, settings.AGORA_TL_EDIT_WIKI) and can(user, "reply", topic):
                return True
            # Leaders edit the forum's posts, never other people's private messages.
            if (
                _trust_at_least(user, settings.AGORA_TL_EDIT_ALL)
                and may_post(user)
                and not topic.archived
                and not topic.is_message
            ):
                return True
            window = timedelta(seconds=settings.AGORA_EDIT_WINDOW_SECONDS)
            return own and not topic.archived and not topic.closed and timezone.now() - obj.created_at <= window
        if action == "delete":
            if _moderates(user, topic):
                return True
            # An author may delete their own replies, and their own topic (its opening post) only while
            # nobody has replied: other people's replies are not theirs to take down.
            if obj.number == 1 and topic.reply_count > 0:
                return False
            return own and not topic.archived and not topic.closed
        if action == "restore":
            # A deleted topic is restored by moderators; a deleted reply also by the author who deleted it.
            if obj.number == 1:
                return _moderates(user, topic)
            return _moderates(user, topic) or (own and obj.deleted_by_id == user.pk)
        return False
    return False


# --- Moderator tools on topics and posts (discuss.topic_tools) --------------------------------

# Topic tools. Moderators and staff may use them all, group moderators in their group's categories;
# some are unlocked by trust level (settings AGORA_TL_*): retitle, recategorize and retag from
# AGORA_TL_RECATEGORIZE, pin in its category from AGORA_TL_EDIT_ALL.
TOPIC_TOOLS = frozenset(
    {"retitle", "recategorize", "retag", "pin", "close", "archive", "unlist", "merge", "split", "move_posts"}
)
# Post tools, for moderators only: hide and show, make a wiki, lock edits.
POST_TOOLS = frozenset({"hide", "wiki", "lock"})


def _trust_at_least(user: Any, level: int) -> bool:
    return bool(user is not None and user.is_authenticated and user.trust_level >= level)


def _can_topic_tool(user: Any, action: str, topic: Topic, level: int) -> bool:
    """A topic tool on a visible topic of a category (the caller checked both)."""
    if _moderates(user, topic):
        return True
    if topic.deleted_at is not None or topic.archived or not may_post(user) or level < REPLY:
        return False
    if action in {"retitle", "recategorize", "retag"}:
        return _trust_at_least(user, settings.AGORA_TL_RECATEGORIZE)
    if action == "pin":
        return _trust_at_least(user, settings.AGORA_TL_EDIT_ALL)
    return False


def topic_tools(user: Any, topic: Topic) -> frozenset[str]:
    """The topic tools the user may use on this topic (no query: for the topic page's menu)."""
    if topic.is_message or user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(action for action in TOPIC_TOOLS if can(user, action, topic))


def may_move_into(user: Any, category: Category) -> bool:
    """May the user move a topic (or start one by splitting) into this category? They must see it and
    start topics there, or moderate it."""
    return can(user, "create_topic", category) or (
        category.pk in access_for(user).levels
        and (_is_mod(user) or category.pk in access_for(user).moderated_category_ids)
    )


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
        # And the event the topic may be the page of (a one-to-one join, no query of its own).
        .select_related("category", "category__parent", "user", "solution_post", "solution_post__user", "event")
        # Whether other topics translate it: the page asks for its other languages only then.
        .annotate(has_translations=Exists(Topic.objects.filter(translation_of_id=OuterRef("pk"))))
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
        Post.objects.filter(pk=pk, topic__in=visible_topics(user, include_deleted=True))
        .select_related("topic", "topic__category", "user")
        .first()
    )
    if post is None or not can(user, "see", post.topic):
        raise Http404
    if post.pending_approval and not can(user, "see_deleted" if post.deleted_at else "see", post):
        raise Http404
    if post.deleted_at is not None and not can(user, "see_deleted", post):
        raise Http404
    if action != "see" and not can(user, action, post):
        raise PermissionDenied
    return post


def get_group_for_user(user: Any, name: str, action: str = "see") -> groups.Group:
    """The group if the user may know it exists (else 404, exactly as for a missing one) and do
    `action` (else 403)."""
    group = groups.Group.objects.filter(name=name).first()
    if group is None or not can(user, "see", group):
        raise Http404
    if action != "see" and not can(user, action, group):
        raise PermissionDenied
    return group


# --- Stories (the blog) ----------------------------------------------------------------------


def editorial_board_memberships() -> QuerySet[groups.Membership]:
    """The memberships of the editorial board (settings.AGORA_EDITORIAL_GROUP), as a subquery."""
    return groups.Membership.objects.filter(group__name=settings.AGORA_EDITORIAL_GROUP)


def is_editor(user: Any) -> bool:
    """A member of the editorial board, or staff (memberships are memoised for the request)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return any(m.group.name == settings.AGORA_EDITORIAL_GROUP for m in _memberships(user).values())


def editors_q(prefix: str = "") -> Q:
    """Who is an editor, as a condition on users (`prefix` reaches the user from another model)."""
    return Q(**{f"{prefix}is_staff": True}) | Q(**{f"{prefix}pk__in": editorial_board_memberships().values("user_id")})


def published_stories(user: Any) -> QuerySet[Any]:
    """Stories for lists, feeds and counts: published ones, the same for everyone."""
    from agora.blog.models import Story

    return Story.objects.filter(state=Story.State.PUBLISHED)


def _desk_q(user: Any) -> Q:
    from agora.blog.models import Story

    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    mine = Q(id__in=Story.authors.through.objects.filter(user_id=user.pk).values("story_id"))
    if user.is_staff:
        return mine | ~Q(state=Story.State.DRAFT)
    on_board = editorial_board_memberships().filter(user_id=user.pk)
    return mine | (~Q(state=Story.State.DRAFT) & Q(Exists(on_board)))


def desk_stories(user: Any) -> QuerySet[Any]:
    """Stories whose editorial desk the user may open (history, editorial comments, revisions, their
    notifications): their authors' in any state; the editors', once submitted. Subqueries only."""
    from agora.blog.models import Story

    return Story.objects.filter(_desk_q(user))


def visible_stories(user: Any) -> QuerySet[Any]:
    """Stories the user may open: published ones, and those whose desk they may open (never someone else's
    draft, editors included). Subqueries only: no query of its own, no duplicate rows."""
    from agora.blog.models import Story

    return Story.objects.filter(Q(state=Story.State.PUBLISHED) | _desk_q(user))


def is_story_author(user: Any, story: Any) -> bool:
    """One of the story's authors (from its prefetched authors when a page has them, else one query,
    memoised on the story object)."""
    if user is None or not user.is_authenticated:
        return False
    prefetched = getattr(story, "_prefetched_objects_cache", {}).get("authors")
    if prefetched is not None:
        return any(a.pk == user.pk for a in prefetched)
    ids = getattr(story, "_author_ids", None)
    if ids is None:
        ids = set(story.authors.values_list("pk", flat=True))
        with contextlib.suppress(AttributeError):
            story._author_ids = ids
    return user.pk in ids


def can_story(user: Any, action: str, story: Any) -> bool:
    """May `user` do `action` to a story they can open? `edit`, `comment` (editorial), `manage` (open the
    desk, set authors, link a translation), `review` (any editor's move), or a move of the story's
    editorial life by its name in Story.MOVES (`submit`, `withdraw`, `delete`, `claim`,
    `request_changes`, `schedule`, `publish`, `decline`, `unpublish`, `feature`), which also needs the
    story to be in a state the move starts from. Authors edit while the story is theirs to change (a
    draft, or changes requested); editors edit and comment on anything but someone else's draft."""
    from agora.blog.models import Story

    author = is_story_author(user, story)
    editor = is_editor(user) and story.state != Story.State.DRAFT
    if action == "edit":
        return editor or (author and story.state in Story.AUTHOR_EDITABLE)
    if action in ("comment", "manage"):
        return author or editor
    if action == "review":
        return editor
    if action in Story.MOVES:
        who, states = Story.MOVES[action]
        if story.state not in states:
            return False
        if action == "withdraw" and story.claimed_by_id is not None:
            return False  # an editor has it in hand: ask them in a comment
        if action == "claim" and story.claimed_by_id == getattr(user, "pk", None) and story.state != "submitted":
            return False
        return author if who == "author" else editor
    raise ValueError(f"unknown story action {action!r}")


# --- Events ----------------------------------------------------------------------------------
# An event is seen exactly when its topic is: its category's grants decide, and an unlisted event's
# topic is reachable by link only (left out of every list, calendar, map, feed and count).


def visible_events(user: Any) -> QuerySet[Any]:
    """Events whose topic the user may open (unlisted ones included): for pages reached by link."""
    from agora.events.models import Event

    return Event.objects.filter(topic_id__in=visible_topics(user).values("id"))


def listed_events(user: Any) -> QuerySet[Any]:
    """Events for calendars, maps, feeds and counts: their topic is listed for the user."""
    from agora.events.models import Event

    return Event.objects.filter(topic_id__in=listed_topics(user).values("id"))


def visible_occurrences(user: Any) -> QuerySet[Any]:
    from agora.events.models import Occurrence

    return Occurrence.objects.filter(event__topic_id__in=visible_topics(user).values("id"))


def listed_occurrences(user: Any) -> QuerySet[Any]:
    """Occurrences for calendars, maps, feeds, sidebars and counts: one subquery on the listed topics."""
    from agora.events.models import Occurrence

    return Occurrence.objects.filter(event__topic_id__in=listed_topics(user).values("id"))


def event_categories(user: Any) -> QuerySet[Category]:
    """Categories where the user may create events: they allow events, and the user may start topics
    there and has the trust level events need (staff always)."""
    if not may_create_events(user):
        return Category.objects.none()
    return creatable_categories(user).filter(allows_events=True)


def may_create_events(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.trust_level >= settings.AGORA_EVENT_MIN_TRUST_LEVEL)


def is_event_organizer(user: Any, event: Any) -> bool:
    """The topic's author and the organizers named on the event. Memoised on the event (one query)."""
    if user is None or not user.is_authenticated:
        return False
    if event.topic.user_id == user.pk:
        return True
    ids = event.__dict__.get("_agora_organizer_ids")
    if ids is None:
        ids = set(event.organizers.values_list("id", flat=True))
        event.__dict__["_agora_organizer_ids"] = ids
    return user.pk in ids


def _can_event(user: Any, action: str, event: Any, *, going: bool = False) -> bool:
    topic = event.topic
    if not can(user, "see", topic):
        return False
    authenticated = user is not None and user.is_authenticated
    manages = authenticated and (is_event_organizer(user, event) or _moderates(user, topic))
    if action == "see":
        return True
    if action == "manage":  # edit time and place, cancel or move dates, approve, message, export
        return manages and topic.deleted_at is None
    if action == "rsvp":
        return authenticated and topic.deleted_at is None and not topic.archived
    if action == "see_online_link":
        rule = event.online_audience
        return (
            rule == event.OnlineAudience.EVERYONE
            or (rule == event.OnlineAudience.MEMBERS and authenticated)
            or (rule == event.OnlineAudience.ATTENDEES and (going or manages))
        )
    if action == "see_attendees":
        rule = event.attendees_visibility
        return (
            rule == event.AttendeesVisibility.EVERYONE
            or (rule == event.AttendeesVisibility.ATTENDEES and authenticated and (going or manages))
            or manages
        )
    return False


def can_event(user: Any, action: str, event: Any, *, going: bool = False) -> bool:
    """May `user` do `action` to the event? Actions: see, manage, rsvp, see_online_link, see_attendees.
    `going`: the user said they are going to one of its dates (the caller knows, from its RSVP query)."""
    return _can_event(user, action, event, going=going)


def get_event_for_user(user: Any, pk: int, action: str = "see") -> Any:
    """The event if the user may see its topic (else 404) and do `action` (else 403)."""
    event = (
        visible_events(user)
        .select_related("topic", "topic__category", "topic__user", "group")
        .filter(pk=pk, topic__deleted_at__isnull=True)
        .first()
    )
    if event is None or not can(user, "see", event.topic):
        raise Http404
    if action != "see" and not can_event(user, action, event):
        raise PermissionDenied
    return event


def get_occurrence_for_user(user: Any, pk: int, action: str = "see") -> Any:
    """One date of an event the user may see (else 404), with `action` checked on its event (else 403)."""
    occurrence = (
        visible_occurrences(user)
        .select_related("event", "event__topic", "event__topic__category", "event__topic__user", "event__group")
        .filter(pk=pk, event__topic__deleted_at__isnull=True)
        .first()
    )
    if occurrence is None or not can(user, "see", occurrence.event.topic):
        raise Http404
    if action != "see" and not can_event(user, action, occurrence.event):
        raise PermissionDenied
    return occurrence
