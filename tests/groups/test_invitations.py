"""Invitations: owners make links (mailed when given an address); a link adds whoever accepts it, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agora.groups import services
from agora.groups.models import Group, Invitation, Membership
from tests.groups.conftest import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(owner, cell):
    return services.invitation_create(actor=owner, group=cell)


def _url(invitation: Invitation) -> str:
    return f"/g/invitation/{invitation.token}"


def test_an_owner_makes_an_invitation_and_sees_its_link(owner_client, cell):
    response = owner_client.post("/g/cell/invitations", {"email": "", "days": "7"}, follow=True)
    assert response.redirect_chain == [("/g/cell/invitations", 302)]
    invitation = Invitation.objects.get(group=cell)
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert f"/g/invitation/{invitation.token}".encode() in response.content
    assert not mail.outbox


def test_an_invitation_with_an_address_is_mailed_after_commit(owner_client, cell, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/g/cell/invitations", {"email": "friend@example.org", "days": "3"})
    invitation = Invitation.objects.get(group=cell)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["friend@example.org"]
    assert "cell" in message.subject
    assert f"/g/invitation/{invitation.token}" in message.body


@pytest.mark.parametrize("days", ["0", "31", "-1", "soon"])
def test_an_invitation_lasts_1_to_30_days(owner_client, cell, days):
    response = owner_client.post("/g/cell/invitations", {"email": "", "days": days})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_bad_address_is_refused(owner_client, cell):
    response = owner_client.post("/g/cell/invitations", {"email": "not an address", "days": "7"})
    assert response.status_code == 400 and b"valid email" in response.content
    assert not Invitation.objects.exists()


def test_the_service_refuses_more_than_30_days(owner, cell):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.invitation_create(actor=owner, group=cell, days=31)


def test_non_owners_cannot_make_invitations(client_for, member, outsider, cell):
    assert client_for(member).post("/g/cell/invitations", {"days": "7"}).status_code == 403
    assert client_for(outsider).post("/g/cell/invitations", {"days": "7"}).status_code == 404
    assert not Invitation.objects.exists()


def test_the_invitation_page_shows_the_group_and_an_accept_button(client_for, outsider, invitation):
    page = client_for(outsider).get(_url(invitation))
    assert page.status_code == 200
    assert b"cell" in page.content and b"Accept and join" in page.content


def test_visitors_are_sent_to_log_in_first(client_for, invitation):
    response = client_for(None).get(_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/g/invitation/{invitation.token}"


def test_accepting_adds_the_member_to_a_hidden_group(client_for, outsider, cell, invitation):
    response = client_for(outsider).post(_url(invitation))
    assert response.status_code == 302 and response["Location"] == "/g/cell"
    assert Membership.objects.filter(group=cell, user=outsider).exists()
    cell.refresh_from_db()
    assert cell.member_count == 3
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider and invitation.accepted_at is not None
    assert client_for(outsider).get("/g/cell").status_code == 200


def test_a_used_invitation_answers_410_and_changes_nothing(client_for, outsider, other_member, cell, invitation):
    client_for(outsider).post(_url(invitation))
    again = client_for(other_member)
    assert again.get(_url(invitation)).status_code == 410
    response = again.post(_url(invitation))
    assert response.status_code == 410 and b"already used" in response.content
    assert b"cell" not in response.content  # a spent link tells nothing of a hidden group
    assert not Membership.objects.filter(group=cell, user=other_member).exists()


def test_an_expired_invitation_answers_410_and_changes_nothing(client_for, outsider, cell, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client_for(outsider).post(_url(invitation))
    assert response.status_code == 410 and b"has expired" in response.content
    assert not Membership.objects.filter(group=cell, user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_is_refused_by_the_service_too(outsider, invitation):
    from django.core.exceptions import ValidationError

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=outsider, invitation=invitation)


def test_a_revoked_invitation_answers_410(owner_client, client_for, outsider, cell, invitation):
    assert owner_client.post(f"/g/cell/invitations/{invitation.pk}/revoke").status_code == 302
    response = client_for(outsider).post(_url(invitation))
    assert response.status_code == 410 and b"withdrawn" in response.content
    assert not Membership.objects.filter(group=cell, user=outsider).exists()
    assert invitation not in owner_client.get("/g/cell/invitations").context["invitations"]


def test_an_unknown_token_answers_404(client_for, outsider):
    assert client_for(outsider).get("/g/invitation/no-such-token").status_code == 404
    assert client_for(outsider).post("/g/invitation/no-such-token").status_code == 404
    assert client_for(None).get("/g/invitation/" + "x" * 200).status_code == 404


def test_a_member_accepting_is_told_and_the_invitation_stays_usable(client_for, member, cell, invitation):
    page = client_for(member).get(_url(invitation))
    assert b"already a member" in page.content
    response = client_for(member).post(_url(invitation))
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.is_usable
    cell.refresh_from_db()
    assert cell.member_count == 2


def test_non_owners_cannot_revoke(client_for, member, outsider, invitation):
    assert client_for(member).post(f"/g/cell/invitations/{invitation.pk}/revoke").status_code == 403
    assert client_for(outsider).post(f"/g/cell/invitations/{invitation.pk}/revoke").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_invitation_of_another_group_cannot_be_revoked_from_here(owner_client, owner, invitation):
    make_group("mine", owners=[owner], joining=Group.Joining.INVITE)
    assert owner_client.post(f"/g/mine/invitations/{invitation.pk}/revoke").status_code == 404


def test_a_mail_is_not_sent_for_an_invitation_revoked_before_the_worker_ran(owner, cell):
    invitation = Invitation.objects.create(
        group=cell, email="late@example.org", created_by=owner, expires_at=timezone.now() + timedelta(days=1)
    )
    services.invitation_revoke(actor=owner, invitation=invitation)
    assert services.invitation_email_send(invitation_id=invitation.pk) is False
    assert not mail.outbox
