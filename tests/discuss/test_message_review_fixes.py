"""Holes a review found in private messages and group moderation, each closed and kept closed."""

import pytest

from agora.discuss import services
from agora.discuss.messages import message_leave
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from agora.notifications.services import notify_mentions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(db):
    return factories.UserFactory(username="zyxwvsender", display_name="Zyxwv Sender", trust_level=1)


def _anonymous_message(sender, **kw):
    return factories.make_message(
        sender, groups=["moderators"], title="Something is wrong here", raw="Please look.", anonymous=True, **kw
    )


def test_the_inbox_does_not_name_an_anonymous_sender_who_left(client_for, sender, moderator):
    topic = _anonymous_message(sender)
    factories.make_reply(sender, topic, raw="One more detail.")
    message_leave(user=sender, topic=topic)
    page = client_for(moderator).get("/messages").content.decode()
    assert "Something is wrong here" in page
    assert "Zyxwv Sender" not in page and "zyxwvsender" not in page


def test_an_anonymous_sender_who_left_still_replies_anonymously(client_for, moderator):
    topic = _anonymous_message(moderator)
    message_leave(user=moderator, topic=topic)
    client_for(moderator).post(f"/t/{topic.pk}/reply", {"raw": "A follow-up from me."})
    assert topic.posts.get(number=2).anonymous


def test_a_participant_outside_a_hidden_group_does_not_learn_its_name(client_for, member, outsider):
    cell = Group.objects.create(
        name="cell", full_name="Secret Cell Name", visibility=Group.Visibility.GROUP, messageable=Group.Audience.GROUP
    )
    Membership.objects.create(group=cell, user=member, is_owner=True)
    topic = factories.make_message(member, to=[outsider], groups=[cell], title="Hello from us", raw="Body text.")
    client = client_for(outsider)
    for url in (f"/t/{topic.slug}/{topic.pk}", "/messages"):
        page = client.get(url).content.decode()
        assert "Hello from us" in page
        assert "Secret Cell Name" not in page and "/messages/group/cell" not in page and ">cell<" not in page
    assert "Secret Cell Name" in client_for(member).get(f"/t/{topic.slug}/{topic.pk}").content.decode()


def test_a_group_moderator_cannot_pin_a_topic_for_the_whole_site(client_for, member):
    club = Group.objects.create(name="club")
    Membership.objects.create(group=club, user=member, is_moderator=True)
    space = factories.make_category("Club space", group=club, grants={"everyone": 1, "club": 3})
    topic = factories.make_topic(member, space, title="Club topic here")
    client = client_for(member)
    page = client.get(f"/t/{topic.slug}/{topic.pk}").content.decode()
    assert 'value="pinned"' in page and 'value="pinned_globally"' not in page
    client.post(f"/t/{topic.pk}/status", {"status": "pinned_globally", "enabled": "1"})
    topic.refresh_from_db()
    assert not topic.pinned_globally
    client.post(f"/t/{topic.pk}/status", {"status": "pinned", "enabled": "1"})
    topic.refresh_from_db()
    assert topic.pinned_at is not None  # pinning in their own category is theirs to do


def test_a_message_cannot_be_pinned_or_unlisted(moderator, sender):
    from django.core.exceptions import ValidationError

    topic = _anonymous_message(sender)
    for status in ("pinned", "pinned_globally", "unlisted"):
        with pytest.raises(ValidationError):
            services.topic_set_status(user=moderator, topic=topic, status=status, enabled=True)


def test_an_anonymous_mention_of_a_hidden_group_tells_nobody(sender, moderator):
    cell = Group.objects.create(name="cellx", visibility=Group.Visibility.GROUP, mentionable=Group.Audience.MEMBERS)
    Membership.objects.create(group=cell, user=sender)
    Membership.objects.create(group=cell, user=moderator)
    topic = factories.make_message(
        sender, groups=["moderators"], title="Mention test here", raw="hello @cellx look", anonymous=True
    )
    notify_mentions(post_id=topic.posts.get(number=1).pk)
    assert not Notification.objects.filter(user=moderator, kind=Notification.Kind.GROUP_MENTIONED).exists()


def test_a_member_id_no_column_can_hold_is_404_not_500(client_for, member, other_member):
    club = Group.objects.create(name="club")
    Membership.objects.create(group=club, user=member, is_owner=True)
    Membership.objects.create(group=club, user=other_member)
    client = client_for(member)
    for url in ("/g/club/members/99999999999999999999999/role", "/g/club/members/99999999999999999999999/remove"):
        assert client.post(url, {"role": "owner", "value": "1"}).status_code == 404, url
