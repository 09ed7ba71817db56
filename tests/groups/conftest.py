"""Groups to test with: an open club, an ask-to-join circle and a hidden cell, each with an owner."""

import pytest

from agora.groups.models import Group, Membership
from tests import factories


def make_group(name: str, *, owners=(), members=(), **fields) -> Group:
    """A group with owners and members, its member_count true (bypassing the services)."""
    group = Group.objects.create(name=name, **fields)
    for user in owners:
        Membership.objects.create(group=group, user=user, is_owner=True)
    for user in members:
        Membership.objects.create(group=group, user=user)
    Group.objects.filter(pk=group.pk).update(member_count=len(owners) + len(members))
    group.refresh_from_db()
    return group


@pytest.fixture
def owner(db):
    return factories.UserFactory(username="Owner", trust_level=1)


@pytest.fixture
def club(owner, member):
    """Public, open to anyone, members shown to everyone."""
    return make_group("club", owners=[owner], members=[member], full_name="The Club", joining=Group.Joining.OPEN)


@pytest.fixture
def circle(owner):
    """Public, ask to join, members shown to its members only."""
    return make_group(
        "circle",
        owners=[owner],
        joining=Group.Joining.ASK,
        members_visibility=Group.MembersVisibility.GROUP,
    )


@pytest.fixture
def cell(owner, member):
    """Hidden: only its members know it exists."""
    return make_group("cell", owners=[owner], members=[member], visibility=Group.Visibility.GROUP)


@pytest.fixture
def owner_client(client_for, owner):
    return client_for(owner)
