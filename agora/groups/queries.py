"""Group reads: the groups list, a group's members and owners, its categories and recent topics as the
viewer may see them, and the requests and invitations its owners answer. Each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from agora import permissions
from agora.core.pagination import Page, peek_page
from agora.discuss.models import Category, Topic

from .models import Group, Invitation, JoinRequest, Membership

MEMBERS_PREVIEW = 12
RECENT_TOPICS = 10
MEMBERS_PER_PAGE = 50


@dataclass
class GroupRow:
    """One group of the /g list, with what this viewer may know about it."""

    group: Group
    member_count: int | None  # None when the viewer may not see the members
    is_member: bool
    is_owner: bool


def groups_for_list(viewer: Any) -> list[GroupRow]:
    """The groups the viewer may know exist: people's groups first, then the automatic ones (staff and
    moderators only). Two queries: the groups, and the viewer's memberships."""
    groups = list(permissions.visible_groups(viewer).order_by("automatic", "name"))
    rows = []
    for group in groups:
        membership = permissions.membership_of(viewer, group)
        sees_members = not group.automatic and permissions.can(viewer, "see_members", group)
        rows.append(
            GroupRow(
                group=group,
                member_count=group.member_count if sees_members else None,
                is_member=membership is not None,
                is_owner=membership is not None and membership.is_owner,
            )
        )
    return rows


def group_owners(group: Group) -> list[Membership]:
    return list(Membership.objects.filter(group=group, is_owner=True).select_related("user").order_by("user__username"))


def _members_in_order(group: Group):
    return (
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("-is_owner", "-is_moderator", "user__username", "pk")
    )


def members_preview(group: Group) -> list[Membership]:
    return list(_members_in_order(group)[:MEMBERS_PREVIEW])


def members_page(group: Group, number: int, size: int = MEMBERS_PER_PAGE) -> Page:
    """One page of members, owners and moderators first (no COUNT: the group's member_count is the total)."""
    return peek_page(_members_in_order(group), number, size)


def group_category_ids(viewer: Any, group: Group) -> list[int]:
    """The categories of the group the viewer may see: those the group owns and those granted to it."""
    return list(
        permissions.visible_categories(viewer)
        .filter(Q(group=group) | Q(grants__group=group))
        .values_list("id", flat=True)
        .distinct()
        .order_by("id")
    )


def group_categories(viewer: Any, group: Group) -> list[Category]:
    return list(
        permissions.visible_categories(viewer)
        .filter(Q(group=group) | Q(grants__group=group))
        .select_related("parent")
        .distinct()
        .order_by("position", "name")
    )


def recent_topics(viewer: Any, categories: list[Category], limit: int = RECENT_TOPICS) -> list[Topic]:
    """The latest listed topics in these categories, as the viewer may see them."""
    if not categories:
        return []
    by_id = {c.pk: c for c in categories}
    topics = list(
        permissions.listed_topics(viewer)
        .filter(category_id__in=sorted(by_id))
        .select_related("user")
        .order_by("-bumped_at", "-id")[:limit]
    )
    for topic in topics:
        if topic.category_id is not None:  # always, for a listed topic
            topic.category = by_id[topic.category_id]  # the rows we have: no query per topic
    return topics


def welcome_topic(viewer: Any, group: Group) -> Topic | None:
    """The group's pinned welcome topic, if the viewer may open it."""
    if group.welcome_topic_id is None:
        return None
    return permissions.visible_topics(viewer).filter(pk=group.welcome_topic_id).select_related("category").first()


def viewer_request(viewer: Any, group: Group) -> JoinRequest | None:
    """The viewer's latest request to join the group (pending, or the last answer), if any."""
    if not viewer.is_authenticated:
        return None
    return JoinRequest.objects.filter(group=group, user=viewer).order_by("-created_at", "-id").first()


def pending_requests(group: Group):
    return JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING).select_related("user")


def pending_request_count(group: Group) -> int:
    return pending_requests(group).count()


def get_pending_request(group: Group, pk: int) -> JoinRequest:
    join_request = JoinRequest.objects.filter(group=group, pk=pk).select_related("user", "group").first()
    if join_request is None:
        raise Http404
    return join_request


def active_invitations(group: Group) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            group=group, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("created_by")
    )


def get_invitation(group: Group, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(group=group, pk=pk).select_related("group").first()
    if invitation is None:
        raise Http404
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation a link names, whatever its state (the page says why a spent one cannot be used);
    404 for a token that names none."""
    invitation = Invitation.objects.filter(token=token).select_related("group").first() if len(token) <= 64 else None
    if invitation is None:
        raise Http404
    return invitation


def get_member(group: Group, user_id: int) -> Membership:
    if not 0 < user_id < 2**63:  # a forged id no database column can hold is a missing member, not a 500
        raise Http404
    membership = Membership.objects.filter(group=group, user_id=user_id).select_related("user").first()
    if membership is None:
        raise Http404
    return membership
