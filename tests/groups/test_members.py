"""Owners manage members: add by username, remove, make and unmake owners and moderators."""

import pytest

from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories
from tests.groups.conftest import make_group

pytestmark = pytest.mark.django_db


def _count(group: Group) -> int:
    group.refresh_from_db()
    return group.member_count


def test_an_owner_adds_a_member_by_username_and_they_are_told(owner_client, outsider, club):
    response = owner_client.post("/g/club/members/add", {"username": "outsider"}, follow=True)
    assert response.redirect_chain == [("/g/club/members", 302)]
    assert b"is now a member" in response.content
    assert Membership.objects.filter(group=club, user=outsider).exists()
    assert _count(club) == 3
    assert Notification.objects.filter(user=outsider, kind=Notification.Kind.ADDED_TO_GROUP, group=club).exists()


def test_a_username_with_underscores_for_spaces_is_found(owner_client, club):
    person = factories.UserFactory(username="Jane Doe")
    assert owner_client.post("/g/club/members/add", {"username": "jane_doe"}).status_code == 302
    assert Membership.objects.filter(group=club, user=person).exists()


def test_adding_an_unknown_username_is_refused(owner_client, club):
    response = owner_client.post("/g/club/members/add", {"username": "Nobody Here"})
    assert response.status_code == 400
    assert "Nobody here is called “Nobody Here”" in response.content.decode()
    assert b'value="Nobody Here"' in response.content  # the typed name stays in the form
    assert _count(club) == 2


def test_adding_a_deactivated_person_is_refused(owner_client, club):
    factories.UserFactory(username="Gone", is_active=False)
    assert owner_client.post("/g/club/members/add", {"username": "Gone"}).status_code == 400
    assert _count(club) == 2


def test_adding_someone_already_a_member_is_refused(owner_client, member, club):
    response = owner_client.post("/g/club/members/add", {"username": "Member"})
    assert response.status_code == 400
    assert b"Member is already a member." in response.content
    assert _count(club) == 2
    assert not Notification.objects.exists()


def test_an_empty_username_is_refused(owner_client, club):
    assert owner_client.post("/g/club/members/add", {"username": ""}).status_code == 400


def test_an_owner_removes_a_member(owner_client, member, club):
    response = owner_client.post(f"/g/club/members/{member.pk}/remove")
    assert response.status_code == 302
    assert not Membership.objects.filter(group=club, user=member).exists()
    assert _count(club) == 1


def test_removing_someone_not_in_the_group_answers_404(owner_client, outsider, club):
    assert owner_client.post(f"/g/club/members/{outsider.pk}/remove").status_code == 404
    assert _count(club) == 2


def test_the_last_owner_cannot_be_removed(owner_client, owner, club):
    response = owner_client.post(f"/g/club/members/{owner.pk}/remove")
    assert response.status_code == 400
    assert b"A group needs at least one owner" in response.content
    assert _count(club) == 2


def test_the_last_owner_cannot_be_demoted(owner_client, owner, club):
    response = owner_client.post(f"/g/club/members/{owner.pk}/role", {"role": "owner", "value": "0"})
    assert response.status_code == 400
    assert b"A group needs at least one owner" in response.content
    assert Membership.objects.get(group=club, user=owner).is_owner


def test_staff_removing_the_last_owner_are_refused_too(client_for, staff, owner, club):
    response = client_for(staff).post(f"/g/club/members/{owner.pk}/remove")
    assert response.status_code == 400
    assert Membership.objects.filter(group=club, user=owner, is_owner=True).exists()


def test_an_owner_makes_and_unmakes_owners_and_moderators(owner_client, owner, member, club):
    assert owner_client.post(f"/g/club/members/{member.pk}/role", {"role": "owner", "value": "1"}).status_code == 302
    assert Membership.objects.get(group=club, user=member).is_owner
    assert (
        owner_client.post(f"/g/club/members/{member.pk}/role", {"role": "moderator", "value": "1"}).status_code == 302
    )
    assert Membership.objects.get(group=club, user=member).is_moderator
    # With two owners, either may step down.
    response = owner_client.post(f"/g/club/members/{owner.pk}/role", {"role": "owner", "value": "0"})
    assert response.status_code == 302 and response["Location"] == "/g/club"
    assert not Membership.objects.get(group=club, user=owner).is_owner
    assert owner_client.get("/g/club/members").context["can_manage"] is False


def test_a_bad_role_is_refused(owner_client, member, club):
    response = owner_client.post(f"/g/club/members/{member.pk}/role", {"role": "king", "value": "1"})
    assert response.status_code == 400
    assert not Membership.objects.get(group=club, user=member).is_owner


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("members/add", {"username": "Outsider"}),
        ("members/{pk}/remove", {}),
        ("members/{pk}/role", {"role": "owner", "value": "1"}),
    ],
)
def test_a_member_who_is_not_an_owner_gets_403(client_for, member, outsider, owner, club, path, data):
    response = client_for(member).post(f"/g/club/{path.format(pk=owner.pk)}", data)
    assert response.status_code == 403
    assert Membership.objects.filter(group=club).count() == 2
    assert Membership.objects.get(group=club, user=owner).is_owner


@pytest.mark.parametrize("path", ["members/add", "members/{pk}/remove", "members/{pk}/role"])
def test_outsiders_posting_to_a_hidden_groups_member_actions_get_404(client_for, outsider, member, cell, path):
    data = {"username": "Outsider", "role": "owner", "value": "1"}
    response = client_for(outsider).post(f"/g/cell/{path.format(pk=member.pk)}", data)
    assert response.status_code == 404
    assert Membership.objects.filter(group=cell).count() == 2


def test_a_removed_member_at_once_loses_the_groups_private_topics(owner_client, client_for, owner, member, cell):
    room = factories.make_category("Cell room", grants={"cell": CategoryGrant.Level.CREATE}, group=cell)
    topic = factories.make_topic(owner, room, title="The cell's private plans")
    url = f"/t/{topic.slug}/{topic.pk}"
    member_client = client_for(member)
    assert member_client.get(url).status_code == 200
    assert owner_client.post(f"/g/cell/members/{member.pk}/remove").status_code == 302
    assert member_client.get(url).status_code == 404
    assert member_client.get("/g/cell").status_code == 404


def test_a_new_member_at_once_sees_the_groups_private_topics(owner_client, client_for, owner, outsider, cell):
    room = factories.make_category("Cell room", grants={"cell": CategoryGrant.Level.CREATE}, group=cell)
    topic = factories.make_topic(owner, room, title="The cell's private plans")
    url = f"/t/{topic.slug}/{topic.pk}"
    assert client_for(outsider).get(url).status_code == 404
    owner_client.post("/g/cell/members/add", {"username": "Outsider"})
    assert client_for(outsider).get(url).status_code == 200


def test_a_group_moderator_moderates_the_groups_categories(owner_client, client_for, owner, member, cell):
    from agora import permissions

    room = factories.make_category("Cell room", grants={"cell": CategoryGrant.Level.CREATE}, group=cell)
    topic = factories.make_topic(owner, room, title="Moderated by the cell")
    assert not permissions.can(member, "moderate", topic)
    owner_client.post(f"/g/cell/members/{member.pk}/role", {"role": "moderator", "value": "1"})
    permissions.forget_access(member)
    assert permissions.can(member, "moderate", topic)


def test_an_automatic_group_has_no_member_list_to_manage(client_for, staff):
    page = client_for(staff).get("/g/staff/members")
    assert page.status_code == 200 and page.context["page"] is None
    response = client_for(staff).post("/g/staff/members/add", {"username": "Staff"})
    assert response.status_code == 403


def test_counts_stay_true_through_a_round_of_changes(owner_client, client_for, outsider, member, owner):
    group = make_group("busy", owners=[owner], members=[member], joining=Group.Joining.OPEN)
    client_for(outsider).post("/g/busy/join")
    client_for(outsider).post("/g/busy/join")  # refused: already in
    owner_client.post("/g/busy/members/add", {"username": "Outsider"})  # refused: already in
    owner_client.post(f"/g/busy/members/{member.pk}/remove")
    client_for(member).post("/g/busy/leave")  # refused: not in
    assert _count(group) == Membership.objects.filter(group=group).count() == 2
