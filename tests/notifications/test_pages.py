"""The notifications page, opening and marking read, and the header's unread count: all filtered at
read time through the permission module."""

import re

import pytest
from django.utils import timezone

from agora import permissions
from agora.discuss.models import Category, CategoryGrant
from agora.groups.models import Group, Membership
from agora.notifications import queries
from agora.notifications.models import Notification
from agora.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def badge(response) -> str | None:
    match = re.search(rb'class="badge new notification-count">(\d+)', response.content)
    return match[1].decode() if match else None


@pytest.fixture
def club(member, other_member):
    """A hidden group with a category of its own; the member is in it, the other member owns it."""
    group = Group.objects.create(name="club", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=group, user=member)
    Membership.objects.create(group=group, user=other_member, is_owner=True)
    room = factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE})
    topic = factories.make_topic(other_member, room, title="Club secrets here", raw="Only for us @club")
    return group, topic


def mention(user, topic, *, actor=None, group=None, kind=Kind.MENTIONED):
    post = topic.posts.get(number=1)
    return notify(users=[user], kind=kind, actor=actor or topic.user, topic=topic, post=post, group=group)[0]


# --- who sees what -------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_list_shows_the_users_own_notifications_as_links(client_for, member, other_member, topic):
    reply = factories.make_reply(other_member, topic, raw="@Member here")
    note = notify(users=[member], kind=Kind.MENTIONED, actor=other_member, topic=topic, post=reply)[0]
    notify(users=[other_member], kind=Kind.MENTIONED, actor=member, topic=topic, post=topic.posts.get(number=1))
    response = client_for(member).get("/notifications")
    assert response.status_code == 200
    assert list(response.context["page"]) == [note]
    body = response.content.decode()
    assert f'href="/notifications/{note.pk}/open"' in body and "Другой участник" in body
    assert 'class="notification unread"' in body


def test_a_member_removed_from_a_group_no_longer_sees_or_counts_its_notifications(client_for, member, club):
    group, secret = club
    mention(member, secret, group=group, kind=Kind.GROUP_MENTIONED)
    added = notify(users=[member], kind=Kind.ADDED_TO_GROUP, actor=secret.user, group=group)[0]
    assert queries.unread_notification_count(member) == 2
    client = client_for(member)
    assert badge(client.get("/latest")) == "2"
    Membership.objects.filter(group=group, user=member).delete()
    permissions.forget_access(member)
    assert queries.notifications_for(member).count() == 0
    assert queries.unread_notification_count(member) == 0
    response = client.get("/notifications")
    assert list(response.context["page"]) == []
    assert b"Club secrets" not in response.content and b"@club" not in response.content
    assert badge(client.get("/latest")) is None
    assert client.get(f"/notifications/{added.pk}/open").status_code == 404


def test_the_header_count_with_nothing_unread_composes_no_permission_filter(
    member, other_member, topic, django_assert_num_queries, monkeypatch
):
    """Most pages are seen with nothing unread: one query on the user's own rows answers them, before the
    permission filters are composed (they cost more to build than to run); with some unread, a second
    query counts those still visible."""
    composed = []
    visible = queries._visible_notifications
    monkeypatch.setattr(queries, "_visible_notifications", lambda user: composed.append(user) or visible(user))
    permissions.access_for(member)  # memoised per request in the site; not what is measured here
    with django_assert_num_queries(1):
        assert queries.unread_notification_count(member) == 0
    assert composed == []
    note = mention(member, topic, actor=other_member)
    with django_assert_num_queries(2):
        assert queries.unread_notification_count(member) == 1
    assert composed == [member]
    Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    assert queries.unread_notification_count(member) == 0
    assert composed == [member]


def test_a_group_mention_is_hidden_once_out_of_a_public_group(member, other_member, topic):
    group = Group.objects.create(name="open", visibility=Group.Visibility.PUBLIC)
    Membership.objects.create(group=group, user=member)
    mention(member, topic, actor=other_member, group=group, kind=Kind.GROUP_MENTIONED)
    assert queries.notifications_for(member).count() == 1
    Membership.objects.filter(group=group, user=member).delete()
    assert queries.notifications_for(member).count() == 0


def test_a_category_made_private_hides_its_notifications(member, other_member, public_category):
    topic = factories.make_topic(other_member, public_category, title="Soon to be private", raw="Hi @Member")
    mention(member, topic)
    assert queries.unread_notification_count(member) == 1
    CategoryGrant.objects.filter(category=public_category).delete()
    permissions.forget_access(member)
    assert queries.unread_notification_count(member) == 0


def test_a_deleted_post_hides_its_notification(member, other_member, topic):
    from agora.discuss.services import post_delete

    reply = factories.make_reply(other_member, topic, raw="@Member oops")
    notify(users=[member], kind=Kind.MENTIONED, actor=other_member, topic=topic, post=reply)
    post_delete(user=other_member, post=reply)
    assert queries.notifications_for(member).count() == 0


def test_a_message_left_hides_its_notifications(member, other_member):
    from agora.discuss.messages import message_leave

    message = factories.make_message(other_member, to=[member], title="Just us two", raw="Hello")
    notify(users=[member], kind=Kind.MESSAGE, actor=other_member, topic=message, post=message.posts.get())
    assert queries.notifications_for(member).count() == 1
    message_leave(user=member, topic=message)
    assert queries.notifications_for(member).count() == 0


def test_every_kind_renders_and_an_anonymous_sender_is_someone(client_for, member, other_member, club, topic, settings):
    settings.AGORA_TOPICS_PER_PAGE = len(Kind) + 1  # every kind on one page
    group, secret = club
    message = factories.make_message(other_member, to=[member], title="A quiet word", raw="Hello")
    post = message.posts.get()
    for kind in Kind:
        if kind in {Kind.MESSAGE, Kind.GROUP_MESSAGE, Kind.MESSAGE_REPLY}:
            notify(users=[member], kind=kind, actor=None, topic=message, post=post)
        elif kind in {Kind.MENTIONED, Kind.GROUP_MENTIONED}:
            mention(member, secret, group=group if kind == Kind.GROUP_MENTIONED else None, kind=kind)
        else:
            notify(users=[member], kind=kind, actor=other_member, group=group)
    response = client_for(member).get("/notifications")
    body = response.content.decode()
    assert len(response.context["page"]) == len(Kind)
    for kind in Kind:
        assert str(kind.label) in body
    assert body.count("Someone (anonymous)") == 3
    assert "A quiet word" in body and "@club" in body


# --- opening, marking read -----------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_post(client_for, member, other_member, topic):
    reply = factories.make_reply(other_member, topic, raw="@Member see")
    note = notify(users=[member], kind=Kind.MENTIONED, actor=other_member, topic=topic, post=reply)[0]
    client = client_for(member)
    response = client.get(f"/notifications/{note.pk}/open")
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.post(f"/notifications/{note.pk}/open").status_code == 302


def test_opening_a_group_notification_goes_to_the_group(client_for, member, other_member, club):
    group, _secret = club
    note = notify(users=[member], kind=Kind.JOIN_ACCEPTED, actor=other_member, group=group)[0]
    assert client_for(member).get(f"/notifications/{note.pk}/open")["Location"] == "/g/club"


def test_another_users_notification_is_a_404(client_for, member, other_member, outsider, topic):
    note = mention(member, topic, actor=other_member)
    for user in (other_member, outsider):
        assert client_for(user).get(f"/notifications/{note.pk}/open").status_code == 404
        assert client_for(user).post(f"/notifications/{note.pk}/open").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert client_for(member).get("/notifications/987654/open").status_code == 404


def test_mark_all_read(client_for, member, other_member, topic):
    mention(member, topic, actor=other_member)
    theirs = mention(other_member, topic, actor=member)
    client = client_for(member)
    assert b"Mark all read" in client.get("/notifications").content
    assert client.get("/notifications/mark-read").status_code == 405
    response = client.post("/notifications/mark-read")
    assert response.status_code == 302 and response["Location"] == "/notifications"
    assert queries.unread_notification_count(member) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None  # only the member's own
    page = client.get("/notifications")
    assert b"Mark all read" not in page.content and b'class="notification unread"' not in page.content


# --- the header ----------------------------------------------------------------------------------


def test_the_header_counts_unread_visible_notifications(client_for, member, other_member, topic):
    client = client_for(member)
    assert badge(client.get("/latest")) is None
    mention(member, topic, actor=other_member)
    second = mention(member, topic, actor=other_member)
    assert badge(client.get("/latest")) == "2"
    second.read_at = timezone.now()
    second.save()
    assert badge(client.get("/latest")) == "1"


def test_visitor_pages_carry_no_count(client, member, other_member, topic):
    mention(member, topic, actor=other_member)
    body = client.get("/latest").content
    assert b"notification-count" not in body and b"/notifications" not in body


# --- queries -------------------------------------------------------------------------------------


def test_the_page_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, member, club):
    group, secret = club
    other = Category.objects.get(slug="club-room")
    client = client_for(member)
    counts = {}
    for size in (3, 30):
        while Notification.objects.filter(user=member).count() < size:
            topic = factories.make_topic(secret.user, other, title="Another club topic", raw="Hello @club")
            mention(member, topic, group=group, kind=Kind.GROUP_MENTIONED)
            notify(users=[member], kind=Kind.JOIN_ACCEPTED, actor=secret.user, group=group)
        client.get("/notifications")
        # session, user, access, the page of notifications, the header's count (are any unread? then
        # how many of those are visible)
        with django_assert_max_num_queries(6) as captured:
            response = client.get("/notifications")
        assert len(response.context["page"]) >= 3
        counts[size] = len(captured)
    assert counts[3] == counts[30]
