"""First posts held for review (AGORA_HOLD_FIRST_POSTS): a held topic or reply is seen by its author
(marked "awaiting approval") and by those who moderate it, and nowhere else: not listed, not counted,
nobody notified, until post_release()."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agora import permissions
from agora.discuss import services
from agora.discuss.models import Category, CategoryGrant, Post, Topic
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories

HELD_TITLE = "Cheap watches held for review"
HELD_TEXT = "Heldmarker text of a first post"


@pytest.fixture
def hold(settings):
    settings.AGORA_HOLD_FIRST_POSTS = 2
    return settings


@pytest.fixture
def newbie(db):
    return factories.UserFactory(username="Newbie", trust_level=0)


def page(client, url) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_it_is_off_by_default(newbie, public_category):
    topic = factories.make_topic(newbie, public_category, title=HELD_TITLE, raw=HELD_TEXT)
    assert not topic.pending_approval


def test_a_held_topic_is_seen_by_its_author_and_moderators_only(hold, newbie, member, moderator, client_for):
    category = factories.make_category("Shop talk")
    tag = factories.make_tag("watches")
    topic = factories.make_topic(newbie, category, title=HELD_TITLE, raw=HELD_TEXT, tags=["watches"])
    topic.refresh_from_db()
    assert topic.pending_approval and topic.posts.get(number=1).pending_approval
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (0, 0)

    url = topic.get_absolute_url()
    surfaces = [
        "/latest",
        "/",
        f"/c/{category.slug}",
        f"/tag/{tag.name}",
        "/top?period=all",
        "/unanswered",
        "/u/Newbie",
        "/u/Newbie/topics",
        "/u/Newbie/replies",
        "/categories",
    ]
    for viewer in (None, member):
        client = client_for(viewer)
        for surface in surfaces:
            status, body = page(client, surface)
            assert HELD_TITLE not in body and HELD_TEXT not in body, (viewer, surface)
        assert client.get(url).status_code == 404
        assert client.get(f"/t/{topic.pk}").status_code == 404
        assert client.get(f"/p/{topic.posts.get(number=1).pk}/revisions").status_code == 404

    status, body = page(client_for(newbie), url)
    assert status == 200 and HELD_TEXT in body and "Awaiting approval" in body
    status, body = page(client_for(moderator), url)
    assert status == 200 and HELD_TEXT in body and "Awaiting approval" in body
    # Lists stay lists of what everyone sees: not even the author's or a moderator's show it.
    assert HELD_TITLE not in page(client_for(moderator), "/latest")[1]


def test_a_held_reply_leaves_the_topic_as_it_was(hold, newbie, member, other_member, moderator, topic, client_for):
    before = Topic.objects.get(pk=topic.pk)
    reply = factories.make_reply(newbie, topic, raw=f"{HELD_TEXT} @Member")
    reply.refresh_from_db()
    assert reply.pending_approval
    after = Topic.objects.get(pk=topic.pk)
    assert (after.posts_count, after.reply_count, after.last_poster_id) == (1, 0, before.last_poster_id)
    assert after.bumped_at == before.bumped_at
    topic.category.refresh_from_db()
    assert topic.category.post_count == 1

    # The mention waits for approval.
    assert not Notification.objects.filter(user=member, post=reply).exists()

    for viewer in (None, member, other_member):
        client = client_for(viewer)
        status, body = page(client, topic.get_absolute_url())
        assert status == 200 and HELD_TEXT not in body
        assert client.get(f"/p/{reply.pk}/revisions").status_code == 404
        assert HELD_TEXT not in page(client, "/u/Newbie/replies")[1]
        assert HELD_TEXT not in page(client, "/u/Newbie")[1]
    viewer = factories.UserFactory(trust_level=1)
    assert not permissions.visible_posts(viewer).filter(pk=reply.pk).exists()
    assert permissions.visible_posts(newbie).filter(pk=reply.pk).exists()
    assert permissions.visible_posts(moderator).filter(pk=reply.pk).exists()
    assert not permissions.listed_posts(moderator).filter(pk=reply.pk).exists()

    for who in (newbie, moderator):
        status, body = page(client_for(who), topic.get_absolute_url())
        assert HELD_TEXT in body and "Awaiting approval" in body


def test_only_the_first_posts_are_held(hold, newbie, topic):
    posts = [factories.make_reply(newbie, topic, raw=f"Reply {n}") for n in range(3)]
    assert [Post.objects.get(pk=p.pk).pending_approval for p in posts] == [True, True, False]


def test_members_above_level_zero_and_messages_are_not_held(hold, member, newbie, topic):
    assert not Post.objects.get(pk=factories.make_reply(member, topic, raw="A member's reply").pk).pending_approval
    message = factories.make_message(newbie, groups=["moderators"])
    assert not message.pending_approval and not message.posts.get().pending_approval


def test_releasing_a_held_reply_shows_and_counts_it(
    hold, newbie, member, topic, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = factories.make_reply(newbie, topic, raw=f"{HELD_TEXT} @Member")
    assert not Notification.objects.filter(user=member, post=reply).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_release(post=reply)
    assert Notification.objects.filter(user=member, post=reply, kind=Notification.Kind.MENTIONED).exists()
    topic.refresh_from_db()
    topic.category.refresh_from_db()
    assert (topic.posts_count, topic.reply_count, topic.last_poster_id) == (2, 1, newbie.pk)
    assert topic.category.post_count == 2
    assert HELD_TEXT in page(client_for(member), topic.get_absolute_url())[1]


def test_releasing_a_held_topic_lists_it(hold, newbie, member, public_category, client_for):
    topic = factories.make_topic(newbie, public_category, title=HELD_TITLE, raw=HELD_TEXT)
    services.post_release(post=topic.posts.get(number=1))
    public_category.refresh_from_db()
    assert (public_category.topic_count, public_category.post_count) == (1, 1)
    assert HELD_TITLE in page(client_for(member), "/latest")[1]


def test_deleting_a_held_topic_keeps_the_category_counts_true(hold, newbie, moderator, public_category):
    topic = factories.make_topic(newbie, public_category, title=HELD_TITLE, raw=HELD_TEXT)
    services.post_delete(user=moderator, post=topic.posts.get(number=1))
    public_category.refresh_from_db()
    assert (public_category.topic_count, public_category.post_count) == (0, 0)


def test_group_moderators_see_held_posts_in_their_categories_only(hold, newbie):
    group_mod = factories.UserFactory(username="GroupMod", trust_level=1)
    group = Group.objects.create(name="club")
    Membership.objects.create(group=group, user=group_mod, is_moderator=True)
    grants = {"everyone": CategoryGrant.Level.SEE, "members": CategoryGrant.Level.CREATE}
    owned = factories.make_category("Club room", grants=grants, group=group)
    elsewhere = factories.make_category("Elsewhere")
    in_club = factories.make_topic(newbie, owned, title="Held in the club", raw="Body one")
    outside = factories.make_topic(newbie, elsewhere, title="Held elsewhere", raw="Body two")
    group_mod = type(group_mod).objects.get(pk=group_mod.pk)
    assert permissions.can(group_mod, "see", Topic.objects.get(pk=in_club.pk))
    assert not permissions.can(group_mod, "see", Topic.objects.get(pk=outside.pk))
    assert set(permissions.visible_topics(group_mod).filter(pk__in=[in_club.pk, outside.pk])) == {in_club}
    assert not permissions.can(AnonymousUser(), "see", Topic.objects.get(pk=in_club.pk))
    assert Category.objects.get(pk=owned.pk).topic_count == 0
