"""Staff see groups, requests and invitations in the Django admin; member edits there keep the count true."""

import pytest

from agora.groups import services
from agora.groups.models import Group

pytestmark = pytest.mark.django_db


def test_staff_open_the_group_admin_pages(client_for, staff, owner, outsider, circle):
    join_request = services.join_request_create(user=outsider, group=circle)
    invitation = services.invitation_create(actor=owner, group=circle)
    client = client_for(staff)
    for url in [
        "/admin/agora_groups/group/",
        f"/admin/agora_groups/group/{circle.pk}/change/",
        "/admin/agora_groups/joinrequest/",
        f"/admin/agora_groups/joinrequest/{join_request.pk}/change/",
        "/admin/agora_groups/invitation/",
        f"/admin/agora_groups/invitation/{invitation.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url


def test_adding_a_member_in_the_admin_recounts_the_members(client_for, staff, owner, member, club):
    membership = club.memberships.get(user=owner)
    other = club.memberships.get(user=member)
    data = {
        "name": "club",
        "full_name": "The Club",
        "description": "Now *described*",
        "visibility": "public",
        "members_visibility": "public",
        "joining": "open",
        "mentionable": "group",
        "messageable": "group",
        "welcome_topic": "",
        "created_at_0": "2024-01-01",
        "created_at_1": "10:00:00",
        "memberships-TOTAL_FORMS": "3",
        "memberships-INITIAL_FORMS": "2",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-group": str(club.pk),
        "memberships-0-user": str(owner.pk),
        "memberships-0-is_owner": "on",
        "memberships-1-id": str(other.pk),
        "memberships-1-group": str(club.pk),
        "memberships-1-user": str(member.pk),
        "memberships-1-DELETE": "on",
        "memberships-2-group": str(club.pk),
        "memberships-2-user": str(staff.pk),
    }
    response = client_for(staff).post(f"/admin/agora_groups/group/{club.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    club = Group.objects.get(pk=club.pk)
    assert club.member_count == 2
    assert set(club.memberships.values_list("user__username", flat=True)) == {"Owner", "Staff"}
    assert "<em>described</em>" in club.description_html
