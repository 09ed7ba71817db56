"""Joining, leaving, asking to join and the owners' answers: counts, notices, notifications, refusals."""

import pytest

from agora.groups import services
from agora.groups.models import Group, JoinRequest, Membership
from agora.notifications.models import Notification
from tests import factories
from tests.groups.conftest import make_group

pytestmark = pytest.mark.django_db

POST_ONLY = ["join", "leave", "request", "withdraw", "members/add", "members/1/remove", "members/1/role"]


def _count(group: Group) -> int:
    group.refresh_from_db()
    return group.member_count


@pytest.mark.parametrize("action", [*POST_ONLY, "requests/1/accept", "requests/1/decline", "invitations/1/revoke"])
def test_the_buttons_answer_405_to_get(client_for, owner, club, action):
    assert client_for(owner).get(f"/g/club/{action}").status_code == 405


def test_the_buttons_are_csrf_protected(client_for, outsider, club):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    assert client.post("/g/club/join").status_code == 403
    assert not Membership.objects.filter(group=club, user=outsider).exists()


def test_visitors_posting_are_sent_to_log_in(client_for, club):
    response = client_for(None).post("/g/club/join")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/g/club")


# --- open groups ------------------------------------------------------------------------------


def test_anyone_signed_in_joins_an_open_group(client_for, outsider, club):
    client = client_for(outsider)
    response = client.post("/g/club/join", follow=True)
    assert response.redirect_chain == [("/g/club", 302)]
    assert b"you joined the group" in response.content
    assert Membership.objects.filter(group=club, user=outsider).exists()
    assert _count(club) == 3


def test_joining_twice_says_so_and_changes_nothing(client_for, member, club):
    response = client_for(member).post("/g/club/join")
    assert response.status_code == 400
    assert b"already a member" in response.content
    assert _count(club) == 2


def test_joining_a_hidden_group_by_guessing_its_name_answers_404(client_for, outsider, owner):
    make_group("secret", owners=[owner], visibility=Group.Visibility.GROUP, joining=Group.Joining.OPEN)
    response = client_for(outsider).post("/g/secret/join")
    assert response.status_code == 404
    assert client_for(outsider).post("/g/no-such-group/join").status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("joining", [Group.Joining.ASK, Group.Joining.INVITE])
def test_the_open_join_endpoint_refuses_ask_and_invite_groups(client_for, outsider, owner, joining):
    group = make_group("guarded", owners=[owner], joining=joining)
    response = client_for(outsider).post("/g/guarded/join")
    assert response.status_code == 403
    assert b"cannot be joined directly" in response.content
    assert _count(group) == 1


def test_a_member_leaves_and_the_count_drops(client_for, member, club):
    response = client_for(member).post("/g/club/leave")
    assert response.status_code == 302
    assert not Membership.objects.filter(group=club, user=member).exists()
    assert _count(club) == 1


def test_leaving_a_hidden_group_goes_back_to_the_list(client_for, member, cell):
    response = client_for(member).post("/g/cell/leave")
    assert response["Location"] == "/g"
    assert client_for(member).get("/g/cell").status_code == 404


def test_the_last_owner_may_not_leave(owner_client, club):
    response = owner_client.post("/g/club/leave")
    assert response.status_code == 400
    assert b"A group needs at least one owner" in response.content
    assert _count(club) == 2


def test_an_owner_may_leave_when_another_owner_stays(owner_client, member, club):
    Membership.objects.filter(group=club, user=member).update(is_owner=True)
    assert owner_client.post("/g/club/leave").status_code == 302
    assert _count(club) == 1


def test_someone_not_in_the_group_cannot_leave_it(client_for, outsider, club):
    assert client_for(outsider).post("/g/club/leave").status_code == 403


# --- asking to join ---------------------------------------------------------------------------


def test_asking_to_join_notifies_the_owners(client_for, outsider, owner, circle):
    response = client_for(outsider).post("/g/circle/request", {"message": "I bake bread."}, follow=True)
    assert b"Your request was sent" in response.content
    join_request = JoinRequest.objects.get(group=circle, user=outsider)
    assert join_request.status == JoinRequest.Status.PENDING and join_request.message == "I bake bread."
    notification = Notification.objects.get(user=owner)
    assert notification.kind == Notification.Kind.JOIN_REQUEST and notification.group == circle
    assert notification.actor == outsider
    # The page now offers to withdraw instead of asking again.
    assert b'action="/g/circle/withdraw"' in response.content
    assert b'action="/g/circle/request"' not in response.content


def test_asking_twice_says_you_already_asked(client_for, outsider, circle):
    client = client_for(outsider)
    client.post("/g/circle/request", {"message": "first"})
    response = client.post("/g/circle/request", {"message": "second"})
    assert response.status_code == 400
    assert b"You already asked to join this group" in response.content
    assert JoinRequest.objects.filter(group=circle, user=outsider).count() == 1


def test_a_too_long_message_is_refused_and_kept(client_for, outsider, circle):
    response = client_for(outsider).post("/g/circle/request", {"message": "x" * 2001})
    assert response.status_code == 400
    assert b"at most 2000 characters" in response.content
    assert not JoinRequest.objects.exists()


def test_asking_to_join_an_open_group_says_to_join(client_for, outsider, club):
    response = client_for(outsider).post("/g/club/request")
    assert response.status_code == 400 and b"join it directly" in response.content


def test_asking_to_join_an_invitation_only_group_is_refused(client_for, outsider, owner):
    make_group("closed", owners=[owner], joining=Group.Joining.INVITE)
    assert client_for(outsider).post("/g/closed/request").status_code == 403
    assert not JoinRequest.objects.exists()


def test_asking_to_join_a_hidden_group_answers_404(client_for, outsider, owner):
    make_group("hush", owners=[owner], joining=Group.Joining.ASK, visibility=Group.Visibility.GROUP)
    assert client_for(outsider).post("/g/hush/request").status_code == 404
    assert not JoinRequest.objects.exists()


def test_withdrawing_a_request(client_for, outsider, circle):
    client = client_for(outsider)
    client.post("/g/circle/request")
    assert client.post("/g/circle/withdraw").status_code == 302
    assert JoinRequest.objects.get().status == JoinRequest.Status.WITHDRAWN
    again = client.post("/g/circle/withdraw")
    assert again.status_code == 400 and b"no request waiting" in again.content
    # Asking again is possible after withdrawing.
    assert client.post("/g/circle/request").status_code == 302


def test_the_owner_accepts_and_the_requester_is_told(owner_client, client_for, outsider, circle):
    join_request = services.join_request_create(user=outsider, group=circle)
    response = owner_client.post(f"/g/circle/requests/{join_request.pk}/accept", follow=True)
    assert b"is now a member" in response.content
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED and join_request.decided_by is not None
    assert Membership.objects.filter(group=circle, user=outsider).exists()
    assert _count(circle) == 2
    assert Notification.objects.filter(user=outsider, kind=Notification.Kind.JOIN_ACCEPTED, group=circle).exists()


def test_the_owner_declines_with_a_reason_the_requester_sees(owner_client, client_for, outsider, circle):
    join_request = services.join_request_create(user=outsider, group=circle)
    response = owner_client.post(f"/g/circle/requests/{join_request.pk}/decline", {"reason": "Members only."})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED and join_request.reason == "Members only."
    assert not Membership.objects.filter(group=circle, user=outsider).exists()
    assert Notification.objects.filter(user=outsider, kind=Notification.Kind.JOIN_DECLINED, group=circle).exists()
    page = client_for(outsider).get("/g/circle")
    assert b"Your request to join was declined." in page.content and b"Members only." in page.content


def test_a_request_answered_twice_is_refused(owner_client, outsider, circle):
    join_request = services.join_request_create(user=outsider, group=circle)
    owner_client.post(f"/g/circle/requests/{join_request.pk}/accept")
    response = owner_client.post(f"/g/circle/requests/{join_request.pk}/decline")
    assert response.status_code == 400 and b"already answered" in response.content
    assert _count(circle) == 2
    assert not Notification.objects.filter(kind=Notification.Kind.JOIN_DECLINED).exists()


def test_a_member_who_is_not_an_owner_cannot_answer_requests(client_for, member, outsider, circle):
    Membership.objects.create(group=circle, user=member)
    join_request = services.join_request_create(user=outsider, group=circle)
    assert client_for(member).post(f"/g/circle/requests/{join_request.pk}/accept").status_code == 403
    assert client_for(member).post(f"/g/circle/requests/{join_request.pk}/decline").status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_outsiders_posting_to_a_hidden_groups_requests_get_404(client_for, outsider, owner):
    hush = make_group("hush", owners=[owner], joining=Group.Joining.ASK, visibility=Group.Visibility.GROUP)
    someone = factories.UserFactory(username="Someone")
    join_request = JoinRequest.objects.create(group=hush, user=someone)
    assert client_for(outsider).post(f"/g/hush/requests/{join_request.pk}/accept").status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_a_request_of_another_group_answers_404(owner_client, outsider, owner, circle):
    other = make_group("other", owners=[factories.UserFactory(username="Other owner")], joining=Group.Joining.ASK)
    join_request = services.join_request_create(user=outsider, group=other)
    assert owner_client.post(f"/g/circle/requests/{join_request.pk}/accept").status_code == 404
    assert not Membership.objects.filter(group=other, user=outsider).exists()
