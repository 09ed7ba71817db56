"""Moderator tools on posts: hide and show, delete and restore, edit (revision kept, "edited by a
moderator"), wiki, lock edits; the trust-level unlocks for editing; who may reach each tool."""

import pytest
from django.core.exceptions import PermissionDenied

from agora import permissions
from agora.discuss import services, topic_tools
from agora.discuss.models import HiddenReason, Post, PostRevision
from agora.moderation.models import ModeratorAction
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(topic, other_member):
    return factories.make_reply(other_member, topic, raw="A reply worth moderating.")


TOOLS = [("hide", "hidden"), ("wiki", "wiki"), ("lock", "locked")]


@pytest.mark.parametrize("tool,field", TOOLS)
def test_a_moderator_toggles_each_post_tool(client_for, moderator, reply, tool, field):
    client = client_for(moderator)
    response = client.post(f"/p/{reply.pk}/{tool}", {field: "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{reply.number}")
    reply.refresh_from_db()
    on = reply.is_hidden if tool == "hide" else getattr(reply, field)
    assert on
    client.post(f"/p/{reply.pk}/{tool}", {field: "0"})
    reply.refresh_from_db()
    assert not (reply.is_hidden if tool == "hide" else getattr(reply, field))
    assert ModeratorAction.objects.filter(target_kind="post", target_id=reply.pk, actor=moderator).count() == 2


def test_hiding_tells_the_author_and_is_a_moderators_hide(moderator, reply):
    assert topic_tools.post_set_hidden(actor=moderator, post=reply, hidden=True, reason="rude")
    reply.refresh_from_db()
    assert reply.hidden_reason == HiddenReason.MODERATOR
    assert Notification.objects.filter(user=reply.user, kind=Notification.Kind.POST_HIDDEN).exists()
    assert ModeratorAction.objects.get(action="post_hide").reason == "rude"
    # Hiding twice changes nothing and tells nobody again.
    assert not topic_tools.post_set_hidden(actor=moderator, post=reply, hidden=True)
    assert Notification.objects.filter(user=reply.user, kind=Notification.Kind.POST_HIDDEN).count() == 1
    topic_tools.post_set_hidden(actor=moderator, post=reply, hidden=False)
    assert Notification.objects.filter(user=reply.user, kind=Notification.Kind.POST_SHOWN).exists()


@pytest.mark.parametrize("tool,field", TOOLS)
def test_members_are_refused_and_outsiders_find_nothing(
    client_for, member, outsider, staff, staff_category, reply, tool, field
):
    assert client_for(None).post(f"/p/{reply.pk}/{tool}", {field: "1"}).status_code == 302  # to sign in
    assert client_for(member).post(f"/p/{reply.pk}/{tool}", {field: "1"}).status_code == 403
    hidden_topic = factories.make_topic(staff, staff_category, title="Staff eyes only")
    hidden_post = factories.make_reply(staff, hidden_topic, raw="Staff words.")
    assert client_for(outsider).post(f"/p/{hidden_post.pk}/{tool}", {field: "1"}).status_code == 404
    reply.refresh_from_db()
    assert not (reply.is_hidden or reply.wiki or reply.locked)
    with pytest.raises(PermissionDenied):
        {"hide": topic_tools.post_set_hidden, "wiki": topic_tools.post_set_wiki, "lock": topic_tools.post_set_locked}[
            tool
        ](actor=member, post=reply, **{field: True})


@pytest.mark.parametrize("tool,field", TOOLS)
def test_the_tools_answer_post_only(client_for, moderator, reply, tool, field):
    assert client_for(moderator).get(f"/p/{reply.pk}/{tool}").status_code == 405


def test_a_moderator_deletes_and_restores_a_post_and_it_is_logged(client_for, moderator, reply):
    client = client_for(moderator)
    client.post(f"/p/{reply.pk}/delete")
    reply.refresh_from_db()
    assert reply.is_deleted
    client.post(f"/p/{reply.pk}/restore")
    reply.refresh_from_db()
    assert not reply.is_deleted
    actions = set(ModeratorAction.objects.filter(target_id=reply.pk).values_list("action", flat=True))
    assert actions == {"post_delete", "post_restore"}


def test_an_author_deleting_their_own_post_is_not_logged(member_client, member, topic):
    own = factories.make_reply(member, topic, raw="I take this back.")
    member_client.post(f"/p/{own.pk}/delete")
    assert not ModeratorAction.objects.exists()


def test_a_moderators_edit_keeps_the_revision_and_says_so(client_for, moderator, reply):
    response = client_for(moderator).post(f"/p/{reply.pk}/edit", {"raw": "A reply, tidied by a moderator."})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.raw == "A reply, tidied by a moderator." and reply.version == 2 and reply.mod_edited
    revision = PostRevision.objects.get(post=reply)
    assert revision.raw == "A reply worth moderating." and revision.by_moderator and revision.user == moderator
    assert Notification.objects.filter(user=reply.user, kind=Notification.Kind.POST_MOD_EDITED, post=reply).exists()
    assert ModeratorAction.objects.filter(action="post_edit", target_id=reply.pk).exists()
    page = client_for(None).get(reply.topic.get_absolute_url()).content.decode()
    assert "edited by a moderator" in page
    revisions = client_for(None).get(f"/p/{reply.pk}/revisions").content.decode()
    assert "edited by a moderator" in revisions


def test_an_authors_own_edit_is_not_a_moderators(client_for, other_member, reply):
    client_for(other_member).post(f"/p/{reply.pk}/edit", {"raw": "My own better words."})
    reply.refresh_from_db()
    assert reply.version == 2 and not reply.mod_edited
    assert not PostRevision.objects.get(post=reply).by_moderator
    assert not Notification.objects.filter(kind=Notification.Kind.POST_MOD_EDITED).exists()


def test_a_locked_post_is_edited_by_moderators_only(client_for, moderator, reply, other_member):
    topic_tools.post_set_locked(actor=moderator, post=reply, locked=True)
    reply.refresh_from_db()
    assert not permissions.can(other_member, "edit", reply)
    assert client_for(other_member).post(f"/p/{reply.pk}/edit", {"raw": "Sneaky change."}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.post_edit(user=other_member, post=reply, raw="Sneaky change.")
    assert permissions.can(moderator, "edit", reply)
    # Locked wins over wiki and over trust level 4.
    topic_tools.post_set_wiki(actor=moderator, post=reply, wiki=True)
    reply.refresh_from_db()
    leader = factories.UserFactory(username="Leader", trust_level=4)
    assert not permissions.can(leader, "edit", reply)
    assert not permissions.can(factories.UserFactory(username="Regular", trust_level=1), "edit", reply)


@pytest.mark.parametrize("level,may", [(0, False), (1, True), (2, True)])
def test_a_wiki_post_is_edited_from_trust_level_1(client_for, moderator, reply, level, may):
    topic_tools.post_set_wiki(actor=moderator, post=reply, wiki=True)
    person = factories.UserFactory(username=f"level{level}", trust_level=level)
    response = client_for(person).post(f"/p/{reply.pk}/edit", {"raw": "Improved by the community."})
    assert response.status_code == (302 if may else 403)
    reply.refresh_from_db()
    assert (reply.raw == "Improved by the community.") is may
    assert not reply.mod_edited


def test_a_wiki_post_needs_the_right_to_reply_there(moderator, reply):
    topic_tools.post_set_wiki(actor=moderator, post=reply, wiki=True)
    reply.refresh_from_db()
    person = factories.UserFactory(username="Wikiwriter", trust_level=2)
    assert permissions.can(person, "edit", reply)
    services.topic_set_status(user=moderator, topic=reply.topic, status="closed", enabled=True)
    reply.topic.refresh_from_db()
    reply = Post.objects.select_related("topic").get(pk=reply.pk)
    assert not permissions.can(person, "edit", reply)


def test_a_post_that_is_not_a_wiki_is_not_open_to_level_1(reply):
    assert not permissions.can(factories.UserFactory(username="Reader", trust_level=3), "edit", reply)


@pytest.mark.parametrize("level,may", [(3, False), (4, True)])
def test_editing_any_post_unlocks_at_trust_level_4(client_for, reply, level, may):
    person = factories.UserFactory(username=f"level{level}", trust_level=level)
    response = client_for(person).post(f"/p/{reply.pk}/edit", {"raw": "Edited by a leader."})
    assert response.status_code == (302 if may else 403)
    reply.refresh_from_db()
    assert (reply.raw == "Edited by a leader.") is may
    assert not reply.mod_edited  # a leader is not a moderator


def test_the_edit_levels_are_settings(reply, settings):
    settings.AGORA_TL_EDIT_ALL = 2
    assert permissions.can(factories.UserFactory(username="Two", trust_level=2), "edit", reply)


def test_the_topic_page_shows_the_post_tools_to_moderators_only(client_for, moderator, member, reply):
    url = reply.topic.get_absolute_url()
    assert f'action="/p/{reply.pk}/wiki"' in client_for(moderator).get(url).content.decode()
    assert f'action="/p/{reply.pk}/wiki"' not in client_for(member).get(url).content.decode()


def test_a_group_moderator_cannot_hide_another_groups_post(client_for, reply):
    from agora.groups.models import Group, Membership

    club = Group.objects.create(name="club")
    mod = factories.UserFactory(username="ClubMod", trust_level=2)
    Membership.objects.create(group=club, user=mod, is_moderator=True)
    own_category = factories.make_category("Club room", group=club)
    permissions.forget_access(reply.user)  # read before the category existed
    own = factories.make_reply(reply.user, factories.make_topic(reply.user, own_category, title="Club topic here"))
    client = client_for(mod)
    assert client.post(f"/p/{reply.pk}/hide", {"hidden": "1"}).status_code == 403
    assert client.post(f"/p/{own.pk}/hide", {"hidden": "1"}).status_code == 302
    assert Post.objects.get(pk=own.pk).is_hidden and not Post.objects.get(pk=reply.pk).is_hidden


def test_a_leader_does_not_edit_other_peoples_private_messages(member):
    leader = factories.UserFactory(username="Leader", trust_level=4)
    message = factories.make_message(member, to=[leader])
    first = Post.objects.select_related("topic").get(topic=message, number=1)
    assert permissions.can(leader, "see", message) and not permissions.can(leader, "edit", first)
