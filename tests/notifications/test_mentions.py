"""@mentions of people and of groups: which are linked in the stored HTML, and who is told."""

import pytest
from django.db import transaction

from agora import permissions
from agora.discuss import services
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def post_with(django_capture_on_commit_callbacks, member, public_category):
    """Write a topic as `author` (the member by default) and run what waits for the commit."""

    def write(raw: str, author=None, category=None):
        permissions.forget_access(author or member)  # categories made since the last write
        with django_capture_on_commit_callbacks(execute=True):
            topic = factories.make_topic(author or member, category or public_category, title="Mentions here", raw=raw)
        return topic.posts.get(number=1)

    return write


def make_group(name: str, *, members=(), owners=(), **fields) -> Group:
    group = Group.objects.create(name=name, **fields)
    for user in owners:
        Membership.objects.create(group=group, user=user, is_owner=True)
    for user in members:
        Membership.objects.create(group=group, user=user)
    return group


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- people -------------------------------------------------------------------------------------


def test_a_mentioned_person_is_told_with_the_author_as_actor(post_with, member, other_member):
    post = post_with("Hello @Другой_участник, look.")
    notification = Notification.objects.get(user=other_member)
    assert (notification.kind, notification.actor, notification.post, notification.topic) == (
        Kind.MENTIONED,
        member,
        post,
        post.topic,
    )


def test_nothing_is_sent_before_the_commit(member, other_member, public_category):
    with transaction.atomic():
        factories.make_topic(member, public_category, title="Not yet sent", raw="Hi @Другой_участник")
        assert not Notification.objects.exists()  # the callbacks wait for a commit that never comes here


def test_mentioning_yourself_or_a_deactivated_person_tells_nobody(post_with, member):
    gone = factories.UserFactory(username="Gone", is_active=False)
    post_with("Me @Member and @Gone")
    assert not Notification.objects.exists()
    assert kinds_for(gone) == []


def test_a_person_without_access_to_the_post_is_not_told(post_with, staff, member, other_member, staff_category):
    post = post_with("Psst @Member and @Другой_участник", author=staff, category=staff_category)
    assert not Notification.objects.exists()
    # The author sees the same stored HTML as for a public post: nothing says who can read it.
    assert 'href="/u/Member"' in post.html


def test_an_edit_tells_only_the_people_it_adds(django_capture_on_commit_callbacks, post_with, member, other_member):
    third = factories.UserFactory(username="Third")
    post = post_with("Hi @Другой_участник")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(user=member, post=post, raw="Hi @Другой_участник and @Third")
    assert kinds_for(other_member) == [Kind.MENTIONED]
    assert kinds_for(third) == [Kind.MENTIONED]


def test_a_reply_mentions_too(django_capture_on_commit_callbacks, topic, member, other_member):
    with django_capture_on_commit_callbacks(execute=True):
        reply = factories.make_reply(other_member, topic, raw="@Member you asked this")
    assert Notification.objects.get(user=member).post == reply


def test_running_the_task_twice_tells_people_once(post_with, other_member):
    from agora.notifications.services import notify_mentions

    post = post_with("Hi @Другой_участник")
    assert notify_mentions(post_id=post.pk) == []
    assert kinds_for(other_member) == [Kind.MENTIONED]


# --- groups: links ------------------------------------------------------------------------------


def test_a_public_group_is_linked_with_its_own_class(post_with, member):
    make_group("designers", visibility=Group.Visibility.PUBLIC)
    post = post_with("Ask @Designers.")
    assert (
        '<a class="mention group-mention" href="/g/designers" rel="nofollow ugc noopener">@Designers</a>.' in post.html
    )


@pytest.mark.parametrize("visibility", [Group.Visibility.GROUP, Group.Visibility.MEMBERS])
def test_a_hidden_or_signed_in_only_group_reads_exactly_like_a_name_nobody_has(post_with, member, visibility):
    make_group("secretcircle", visibility=visibility, members=[member], mentionable=Group.Audience.MEMBERS)
    hidden = post_with("Ask @secretcircle now").html
    unknown = post_with("Ask @secretcircle now", category=factories.make_category("Other")).html
    Group.objects.filter(name="secretcircle").delete()
    nobody = post_with("Ask @secretcircle now", category=factories.make_category("Third")).html
    assert hidden == unknown == nobody
    assert "href" not in hidden


def test_a_persons_name_wins_over_a_groups(post_with, other_member):
    factories.UserFactory(username="Design")
    make_group("design", visibility=Group.Visibility.PUBLIC, members=[other_member])
    post = post_with("cc @design")
    assert 'class="mention" href="/u/Design"' in post.html
    assert kinds_for(other_member) == []


def test_automatic_groups_are_never_linked_nor_notified(post_with, staff, moderator):
    post = post_with("Hey @moderators and @everyone", author=staff)
    assert "href" not in post.html
    assert kinds_for(moderator) == []


# --- groups: who is told ------------------------------------------------------------------------


@pytest.fixture
def crew(db):
    return [factories.UserFactory(username=f"Crew {i}") for i in range(3)]


@pytest.mark.parametrize(
    ("mentionable", "author_is_member", "told"),
    [
        (Group.Audience.NOBODY, True, False),
        (Group.Audience.GROUP, False, False),
        (Group.Audience.GROUP, True, True),
        (Group.Audience.MEMBERS, False, True),
    ],
)
def test_a_group_mention_follows_who_may_mention_the_group(
    post_with, member, crew, mentionable, author_is_member, told
):
    group = make_group("crew", members=[*crew, *([member] if author_is_member else [])], mentionable=mentionable)
    post_with("All hands @crew")
    notified = Notification.objects.filter(kind=Kind.GROUP_MENTIONED)
    if told:
        assert sorted(n.user_id for n in notified) == sorted(u.pk for u in crew)
        assert {(n.group_id, n.actor_id) for n in notified} == {(group.pk, member.pk)}
    else:
        assert not notified.exists()
    assert kinds_for(member) == []  # the author is never told about their own mention


def test_staff_may_mention_any_group(post_with, staff, crew):
    make_group("crew", members=crew, mentionable=Group.Audience.NOBODY, visibility=Group.Visibility.GROUP)
    post_with("All hands @crew", author=staff)
    assert Notification.objects.filter(kind=Kind.GROUP_MENTIONED).count() == 3


def test_a_hidden_group_the_author_cannot_see_is_unknown_text(post_with, member, crew):
    # Mentionable by "anyone signed in who can see the group": the author cannot see it, so nothing happens.
    make_group("hiddencrew", members=crew, visibility=Group.Visibility.GROUP, mentionable=Group.Audience.MEMBERS)
    post = post_with("Are you there @hiddencrew?")
    assert not Notification.objects.exists()
    assert "href" not in post.html


def test_a_hidden_group_mentioned_by_a_member_tells_the_others_without_a_link(post_with, member, crew):
    make_group("hiddencrew", members=[member, *crew], visibility=Group.Visibility.GROUP)
    post = post_with("Are you there @hiddencrew?")
    assert "href" not in post.html
    assert Notification.objects.filter(kind=Kind.GROUP_MENTIONED).count() == 3


def test_members_who_cannot_see_the_post_are_not_told(post_with, staff, crew):
    insiders = factories.make_category("Insiders", grants={"staff": CategoryGrant.Level.CREATE})
    make_group("crew", members=crew, mentionable=Group.Audience.MEMBERS)
    post_with("All hands @crew", author=staff, category=insiders)
    assert not Notification.objects.exists()


def test_a_person_mentioned_by_name_and_through_a_group_is_told_once(post_with, member, crew):
    make_group("crew", members=crew, mentionable=Group.Audience.MEMBERS)
    post_with("@crew and @Crew_0")
    assert kinds_for(crew[0]) == [Kind.MENTIONED]
    assert Notification.objects.count() == 3


def test_a_group_mention_tells_at_most_the_configured_number_owners_first(post_with, member, crew, settings):
    settings.AGORA_GROUP_MENTION_MAX_MEMBERS = 2
    boss = factories.UserFactory(username="Boss")
    make_group("crew", members=crew, owners=[boss], mentionable=Group.Audience.MEMBERS)
    post_with("All hands @crew")
    told = list(Notification.objects.values_list("user_id", flat=True))
    assert len(told) == 2 and boss.pk in told


def test_an_anonymous_message_mentions_without_an_actor(django_capture_on_commit_callbacks, member, moderator):
    with django_capture_on_commit_callbacks(execute=True):
        topic = factories.make_message(member, groups=["moderators"], raw="Please look @Moderator", anonymous=True)
    mention = Notification.objects.get(user=moderator, kind=Kind.MENTIONED)
    assert mention.actor is None and mention.topic == topic
    assert not Notification.objects.filter(actor=member).exists()


def test_an_anonymous_post_does_not_reveal_its_author_is_in_a_members_only_mentionable_group(
    django_capture_on_commit_callbacks, member, moderator, crew
):
    make_group("crew", members=[member, moderator, *crew], mentionable=Group.Audience.GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_message(member, groups=["moderators"], raw="Tell @crew", anonymous=True)
    assert not Notification.objects.filter(kind=Kind.GROUP_MENTIONED).exists()
