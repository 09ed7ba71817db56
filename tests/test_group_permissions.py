"""The group and message rules of agora/permissions.py: can(user, action, group), who reads which private
message, and group owners and moderators moderating the categories their group owns (and nothing else)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from agora import permissions
from agora.discuss import services
from agora.discuss.models import CategoryGrant, MessageGroup, MessageParticipant, Post, Topic
from agora.groups.models import Group, Membership
from tests import factories

pytestmark = pytest.mark.django_db

SEE, REPLY, CREATE = CategoryGrant.Level.SEE, CategoryGrant.Level.REPLY, CategoryGrant.Level.CREATE
G = Group


def fresh(user):
    """The user as a new request loads it: nothing memoised."""
    return None if user is None else type(user).objects.get(pk=user.pk)


@pytest.fixture
def people(db):
    """An owner, a group moderator, a member, a signed-in outsider, a site moderator, staff, a visitor."""
    return {
        "owner": factories.UserFactory(username="Owner", trust_level=1),
        "group_mod": factories.UserFactory(username="GroupMod", trust_level=1),
        "member": factories.UserFactory(username="Member", trust_level=1),
        "outsider": factories.UserFactory(username="Outsider", trust_level=1),
        "moderator": factories.UserFactory(username="Moderator", is_moderator=True, trust_level=3),
        "staff": factories.UserFactory(username="Staff", is_staff=True, trust_level=4),
        "anonymous": None,
    }


def make_group(people, name="club", **fields) -> Group:
    group = Group.objects.create(name=name, **fields)
    Membership.objects.create(group=group, user=people["owner"], is_owner=True)
    Membership.objects.create(group=group, user=people["group_mod"], is_moderator=True)
    Membership.objects.create(group=group, user=people["member"])
    return group


def can(people, who, action, obj) -> bool:
    user = fresh(people[who])
    return permissions.can(user if user is not None else AnonymousUser(), action, obj)


def allowed(people, action, obj) -> set[str]:
    return {who for who in people if can(people, who, action, obj)}


SIGNED_IN = {"owner", "group_mod", "member", "outsider", "moderator", "staff"}
IN_GROUP = {"owner", "group_mod", "member"}


# --- seeing a group and its members ---------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "who"),
    [
        (G.Visibility.PUBLIC, SIGNED_IN | {"anonymous"}),
        (G.Visibility.MEMBERS, SIGNED_IN),
        (G.Visibility.GROUP, IN_GROUP | {"staff"}),
    ],
)
def test_a_group_is_seen_per_its_visibility(people, visibility, who):
    group = make_group(people, visibility=visibility)
    assert allowed(people, "see", group) == who
    for name, user in people.items():
        listed = permissions.visible_groups(fresh(user) or AnonymousUser()).filter(pk=group.pk).exists()
        assert listed is (name in who), name


@pytest.mark.parametrize(
    ("rule", "who"),
    [
        (G.MembersVisibility.PUBLIC, SIGNED_IN | {"anonymous"}),
        (G.MembersVisibility.MEMBERS, SIGNED_IN),
        (G.MembersVisibility.GROUP, IN_GROUP | {"staff"}),
        (G.MembersVisibility.OWNERS, {"owner", "staff"}),
    ],
)
def test_a_public_groups_members_are_seen_per_its_rule(people, rule, who):
    group = make_group(people, members_visibility=rule)
    assert allowed(people, "see_members", group) == who


def test_nobody_sees_the_members_of_a_group_they_cannot_see(people):
    group = make_group(people, visibility=G.Visibility.GROUP, members_visibility=G.MembersVisibility.PUBLIC)
    assert allowed(people, "see_members", group) == IN_GROUP | {"staff"}


def test_automatic_groups_are_seen_by_staff_and_moderators_only(people):
    for name in ("everyone", "members", "trust_level_1", "moderators", "staff"):
        group = factories.group(name)
        assert allowed(people, "see", group) == {"moderator", "staff"}, name
        assert allowed(people, "see_members", group) == {"moderator", "staff"}, name
        for action in ("join", "ask_to_join", "leave", "manage"):
            assert allowed(people, action, group) == set(), (name, action)


def test_a_missing_and_a_hidden_group_are_the_same_404(people):
    make_group(people, name="secret", visibility=G.Visibility.GROUP)
    for name in ("secret", "no-such-group"):
        with pytest.raises(Http404):
            permissions.get_group_for_user(fresh(people["outsider"]), name)
    assert permissions.get_group_for_user(fresh(people["member"]), "secret").name == "secret"
    with pytest.raises(PermissionDenied):
        permissions.get_group_for_user(fresh(people["member"]), "secret", "manage")


# --- joining, leaving, managing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("joining", "join", "ask"),
    [(G.Joining.OPEN, True, False), (G.Joining.ASK, False, True), (G.Joining.INVITE, False, False)],
)
def test_joining_follows_the_groups_rule_and_only_for_non_members_who_see_it(people, joining, join, ask):
    for visibility in G.Visibility.values:
        group = make_group(people, name=f"g-{joining}-{visibility}", visibility=visibility, joining=joining)
        sees = allowed(people, "see", group)
        outsiders = (SIGNED_IN - IN_GROUP) & sees
        assert allowed(people, "join", group) == (outsiders if join else set())
        assert allowed(people, "ask_to_join", group) == (outsiders if ask else set())
        assert allowed(people, "leave", group) == IN_GROUP


def test_only_owners_and_staff_manage_a_group(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    assert allowed(people, "manage", group) == {"owner", "staff"}


# --- mentioning and messaging a group -------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "who"),
    [
        (G.Audience.NOBODY, {"staff"}),
        (G.Audience.GROUP, IN_GROUP | {"staff"}),
        (G.Audience.MEMBERS, SIGNED_IN),
    ],
)
def test_mentions_and_messages_follow_the_audience_rule(people, audience, who):
    group = make_group(people, mentionable=audience, messageable=audience)
    assert allowed(people, "mention", group) == who
    # Owners may always write to their own group's inbox.
    assert allowed(people, "message", group) == who | {"owner"}


def test_nobody_mentions_or_messages_a_group_they_cannot_see(people):
    group = make_group(
        people, visibility=G.Visibility.GROUP, mentionable=G.Audience.MEMBERS, messageable=G.Audience.MEMBERS
    )
    assert allowed(people, "mention", group) == IN_GROUP | {"staff"}
    assert allowed(people, "message", group) == IN_GROUP | {"staff"}


def test_anyone_signed_in_messages_the_moderators_and_only_moderators_read_their_inbox(people):
    moderators = factories.group("moderators")
    assert allowed(people, "message", moderators) == SIGNED_IN
    assert allowed(people, "see_messages", moderators) == {"moderator", "staff"}
    assert allowed(people, "mention", moderators) == {"staff"}
    assert allowed(people, "message", factories.group("members")) == set()


def test_a_groups_inbox_is_read_by_its_members_and_not_by_staff(people):
    group = make_group(people, visibility=G.Visibility.PUBLIC)
    assert allowed(people, "see_messages", group) == IN_GROUP


# --- private messages -----------------------------------------------------------------------


def make_message(sender, *, to=(), groups=(), anonymous=False) -> Topic:
    now = timezone.now()
    topic = Topic.objects.create(
        title="A private word", slug="a-private-word", category=None, is_message=True, user=sender, anonymous=anonymous
    )
    Post.objects.create(topic=topic, number=1, user=sender, raw="Just us", html="<p>Just us</p>", created_at=now)
    MessageParticipant.objects.create(topic=topic, user=sender, anonymous=anonymous)
    for user in to:
        MessageParticipant.objects.create(topic=topic, user=user)
    for group in groups:
        MessageGroup.objects.create(topic=topic, group=group)
    return topic


def test_a_message_is_read_by_its_participants_only_staff_and_moderators_included(people):
    message = make_message(people["member"], to=[people["outsider"]])
    assert allowed(people, "see", message) == {"member", "outsider"}
    assert allowed(people, "reply", message) == {"member", "outsider"}
    for who, user in people.items():
        user = fresh(user) or AnonymousUser()
        sees = who in {"member", "outsider"}
        assert permissions.visible_topics(user).filter(pk=message.pk).exists() is sees, who
        assert permissions.messages_for(user).filter(pk=message.pk).exists() is sees, who
        assert permissions.visible_posts(user).filter(topic=message).exists() is sees, who
        # Messages are never listed or counted, not even for their participants.
        assert not permissions.listed_topics(user).filter(pk=message.pk).exists()
        assert not permissions.listed_posts(user).filter(topic=message).exists()


def test_a_message_to_a_group_is_read_by_its_members_and_its_sender(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    message = make_message(people["outsider"], groups=[group])
    assert allowed(people, "see", message) == IN_GROUP | {"outsider"}


def test_a_message_to_the_moderators_is_read_by_moderators_and_staff(people):
    message = make_message(people["member"], groups=[factories.group("moderators")], anonymous=True)
    assert allowed(people, "see", message) == {"member", "moderator", "staff"}
    assert allowed(people, "moderate", message) == {"moderator", "staff"}


def test_a_deleted_message_is_read_by_nobody(people):
    message = make_message(people["member"], to=[people["outsider"], people["moderator"]])
    Topic.objects.filter(pk=message.pk).update(deleted_at=timezone.now())
    message.refresh_from_db()
    assert allowed(people, "see", message) == set()
    post = message.posts.get()
    for who in ("member", "moderator", "staff"):
        with pytest.raises(Http404):
            permissions.get_post_for_user(fresh(people[who]), post.pk)
        with pytest.raises(Http404):
            permissions.get_topic_for_user(fresh(people[who]), message.pk)


def test_the_posts_of_a_message_are_fetched_only_by_those_who_read_it(people):
    message = make_message(people["member"], to=[people["outsider"]])
    post = message.posts.get()
    assert permissions.get_post_for_user(fresh(people["outsider"]), post.pk).pk == post.pk
    for who in ("moderator", "staff", "owner"):
        with pytest.raises(Http404):
            permissions.get_post_for_user(fresh(people[who]), post.pk)
    # The author may edit their message; the other participant may not (403: they see it).
    with pytest.raises(PermissionDenied):
        permissions.get_post_for_user(fresh(people["outsider"]), post.pk, "edit")


def test_leaving_a_group_hides_its_inbox_at_once(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    message = make_message(people["owner"], groups=[group])
    member = fresh(people["member"])
    assert permissions.can(member, "see", message)
    Membership.objects.filter(group=group, user=member).delete()
    permissions.forget_access(member)
    message.__dict__.pop("_agora_sees_message", None)
    assert not permissions.can(member, "see", message)
    assert not permissions.visible_posts(fresh(member)).filter(topic=message).exists()


# --- group owners and moderators moderate their group's categories ----------------------------


def test_group_owners_and_moderators_moderate_the_categories_their_group_owns_and_nothing_else(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    owned = factories.make_category("Club room", grants={"club": CREATE}, group=group)
    public_owned = factories.make_category("Club corner", group=group)  # public, owned by the group
    elsewhere = factories.make_category("Elsewhere")  # public, not the group's
    author = factories.UserFactory(username="Author", trust_level=1)
    Membership.objects.create(group=group, user=author)
    topics = {
        cat.slug: factories.make_topic(author, cat, title=f"A topic in {cat.name}", raw="Body")
        for cat in (owned, public_owned, elsewhere)
    }
    for slug in ("club-room", "club-corner"):
        assert allowed(people, "moderate", topics[slug]) == {"owner", "group_mod", "moderator", "staff"} - (
            {"moderator"} if slug == "club-room" else set()
        ), slug
    assert allowed(people, "moderate", topics["elsewhere"]) == {"moderator", "staff"}
    reply = factories.make_reply(people["member"], topics["club-room"], raw="A member's reply")
    assert allowed(people, "edit", reply) == {"owner", "group_mod", "member", "staff"}
    assert allowed(people, "delete", reply) == {"owner", "group_mod", "member", "staff"}
    other_reply = factories.make_reply(people["member"], topics["elsewhere"], raw="A reply elsewhere")
    assert allowed(people, "edit", other_reply) == {"member", "moderator", "staff"}


def test_group_moderators_see_deleted_topics_in_their_categories_only(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    owned = factories.make_category("Club room", grants={"club": CREATE}, group=group)
    topic = factories.make_topic(people["member"], owned, title="Soon gone", raw="Body")
    services.post_delete(user=fresh(people["owner"]), post=topic.posts.get(number=1))
    topic.refresh_from_db()
    assert topic.deleted_at is not None
    assert allowed(people, "see", topic) == {"owner", "group_mod", "staff"}
    assert permissions.visible_topics(fresh(people["group_mod"]), include_deleted=True).filter(pk=topic.pk).exists()
    assert not permissions.visible_topics(fresh(people["member"]), include_deleted=True).filter(pk=topic.pk).exists()


def test_a_former_group_moderator_moderates_nothing(people):
    group = make_group(people, visibility=G.Visibility.GROUP)
    owned = factories.make_category("Club room", grants={"club": CREATE}, group=group)
    topic = factories.make_topic(people["member"], owned, title="A topic", raw="Body")
    assert can(people, "group_mod", "moderate", topic)
    Membership.objects.filter(group=group, user=people["group_mod"]).update(is_moderator=False)
    assert not can(people, "group_mod", "moderate", topic)


def test_who_may_speak_for_a_group(people):
    """A story's "on behalf of" and an event's organizing group: the groups one is in, never an automatic
    one; staff, any group but the automatic ones; nobody signed out."""
    club = make_group(people, visibility=G.Visibility.GROUP)
    everyone = Group.objects.get(name="everyone")
    speakers = {who for who in people if fresh(people[who]) and permissions.may_speak_for(fresh(people[who]), club)}
    assert speakers == {"owner", "group_mod", "member", "staff"}
    for who in people:
        user = fresh(people[who]) or AnonymousUser()
        assert not permissions.may_speak_for(user, everyone), who
    assert list(permissions.groups_to_speak_for(AnonymousUser())) == []
    assert club in permissions.groups_to_speak_for(fresh(people["staff"]))
    assert list(permissions.groups_to_speak_for(fresh(people["outsider"]))) == []
