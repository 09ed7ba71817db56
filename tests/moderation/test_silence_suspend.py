"""Silenced people read but cannot post; suspended people cannot sign in, and their sessions end at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora import permissions
from agora.moderation.models import ModeratorAction
from agora.moderation.services import user_silence, user_suspend, user_unsilence, user_unsuspend
from tests.factories import UserFactory, make_category, make_topic

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def moderator():
    return UserFactory(is_moderator=True)


def test_a_silenced_member_reads_but_cannot_reply_or_start_topics(moderator):
    member = UserFactory()
    category = make_category()
    topic = make_topic(UserFactory(), category)
    user_silence(actor=moderator, user=member, until=timezone.now() + timedelta(days=3), reason="Cool off")
    permissions.forget_access(member)
    assert permissions.can(member, "see", topic)
    assert not permissions.can(member, "reply", topic)
    assert not permissions.can(member, "create_topic", category)
    user_unsilence(actor=moderator, user=member)
    assert permissions.can(member, "reply", topic)
    assert list(ModeratorAction.objects.values_list("action", flat=True)) == ["user_unsilence", "user_silence"]


def test_a_silence_that_has_run_out_lifts_by_itself(moderator):
    member = UserFactory()
    topic = make_topic(UserFactory(), make_category())
    user_silence(actor=moderator, user=member, until=timezone.now() + timedelta(days=1), reason="Spam")
    member.silenced_until = timezone.now() - timedelta(seconds=1)
    assert permissions.can(member, "reply", topic)


def test_a_suspension_ends_the_sessions_at_once_and_refuses_sign_in(client, moderator):
    member = UserFactory()
    client.force_login(member, backend="agora.accounts.backends.ModelBackend")
    assert client.get("/notifications").status_code == 200
    user_suspend(actor=moderator, user=member, until=timezone.now() + timedelta(days=7), reason="Harassment")
    response = client.get("/notifications")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert not client.login(username=member.username, password=PASSWORD)
    user_unsuspend(actor=moderator, user=member)
    assert client.login(username=member.username, password=PASSWORD)


@pytest.mark.parametrize("target", ["staff", "moderator", "self"])
def test_a_moderator_cannot_silence_or_suspend_staff_other_moderators_or_themselves(moderator, target):
    person = {"staff": UserFactory(is_staff=True), "moderator": UserFactory(is_moderator=True), "self": moderator}[
        target
    ]
    until = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        user_suspend(actor=moderator, user=person, until=until, reason="No")
    with pytest.raises(ValidationError):
        user_silence(actor=moderator, user=person, until=until, reason="No")
    person.refresh_from_db()
    assert person.suspended_until is None and person.silenced_until is None
    assert not ModeratorAction.objects.exists()


def test_a_suspension_needs_a_reason_and_a_future_end(moderator):
    member = UserFactory()
    with pytest.raises(ValidationError):
        user_suspend(actor=moderator, user=member, until=timezone.now() + timedelta(days=1), reason="  ")
    with pytest.raises(ValidationError):
        user_suspend(actor=moderator, user=member, until=timezone.now() - timedelta(days=1), reason="Past")
    member.refresh_from_db()
    assert member.suspended_until is None
