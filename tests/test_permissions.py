"""The rules of agora/permissions.py: grants to groups, levels, hidden parents, deleted and unlisted topics, can()."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from agora import permissions
from agora.discuss import services
from agora.discuss.models import Category, CategoryGrant, Post, Topic
from agora.groups.models import Group, Membership
from tests import factories

SEE, REPLY, CREATE = CategoryGrant.Level.SEE, CategoryGrant.Level.REPLY, CategoryGrant.Level.CREATE
pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user as a new request would load it: no memoised Access."""
    return type(user).objects.get(pk=user.pk)


def level(user, category):
    return permissions.category_level(fresh(user), category)


# --- automatic groups --------------------------------------------------------------------


def test_it_puts_anonymous_visitors_in_everyone_only():
    assert permissions.automatic_group_names(AnonymousUser()) == ["everyone"]
    assert permissions.automatic_group_names(None) == ["everyone"]


def test_it_puts_a_trust_level_2_user_in_trust_levels_0_to_2():
    user = factories.UserFactory(trust_level=2)
    names = permissions.automatic_group_names(user)
    assert {"everyone", "members", "trust_level_0", "trust_level_1", "trust_level_2"} <= set(names)
    assert "trust_level_3" not in names
    assert "staff" not in names and "moderators" not in names


def test_it_puts_staff_in_staff_and_moderators_and_moderators_in_moderators_only(staff, moderator):
    assert {"staff", "moderators"} <= set(permissions.automatic_group_names(staff))
    mod_names = permissions.automatic_group_names(moderator)
    assert "moderators" in mod_names and "staff" not in mod_names


def test_it_grants_everyone_to_anonymous_visitors():
    cat = factories.make_category("Open", grants={"everyone": SEE})
    assert permissions.can(AnonymousUser(), "see", cat)
    assert not permissions.can(AnonymousUser(), "reply", cat)


def test_it_grants_members_to_signed_in_users_only(member):
    cat = factories.make_category("Members only", grants={"members": CREATE})
    assert not permissions.can(AnonymousUser(), "see", cat)
    assert permissions.can(fresh(member), "create_topic", cat)


@pytest.mark.parametrize(("trust_level", "sees"), [(0, False), (1, False), (2, True), (3, True), (4, True)])
def test_it_grants_trust_level_n_to_users_at_level_n_or_above(trust_level, sees):
    cat = factories.make_category("Lounge", grants={"trust_level_2": SEE})
    user = factories.UserFactory(trust_level=trust_level)
    assert permissions.can(fresh(user), "see", cat) is sees


def test_it_grants_moderators_to_moderators_and_staff(moderator, staff, member):
    cat = factories.make_category("Mod room", grants={"moderators": CREATE})
    assert permissions.can(fresh(moderator), "see", cat)
    assert permissions.can(fresh(staff), "see", cat)
    assert not permissions.can(fresh(member), "see", cat)


def test_it_grants_staff_to_staff_only(moderator, staff):
    cat = factories.make_category("Staff only", grants={"staff": SEE})
    assert permissions.can(fresh(staff), "see", cat)
    assert not permissions.can(fresh(moderator), "see", cat)


def test_it_grants_a_user_made_group_to_its_members(member, other_member):
    group = Group.objects.create(name="translators")
    Membership.objects.create(group=group, user=member)
    cat = factories.make_category("Translation desk", grants={"translators": REPLY})
    assert level(member, cat) == REPLY
    assert level(other_member, cat) == 0
    assert not permissions.can(AnonymousUser(), "see", cat)


def test_it_forgets_memoised_access_when_asked(member):
    cat = factories.make_category("Later", grants={"staff": SEE})
    user = fresh(member)
    assert not permissions.can(user, "see", cat)
    group = Group.objects.create(name="latecomers")
    Membership.objects.create(group=group, user=member)
    CategoryGrant.objects.create(category=cat, group=group, level=SEE)
    assert not permissions.can(user, "see", cat)  # memoised for the request
    permissions.forget_access(user)
    assert permissions.can(user, "see", cat)


# --- levels ------------------------------------------------------------------------------


def test_it_gives_the_highest_level_of_the_users_groups(member):
    cat = factories.make_category("Mixed", grants={"everyone": SEE, "trust_level_1": REPLY, "members": SEE})
    assert level(member, cat) == REPLY
    assert permissions.category_level(AnonymousUser(), cat) == SEE


def test_see_level_allows_seeing_but_not_replying_or_creating(member):
    cat = factories.make_category("Announcements", grants={"everyone": SEE, "staff": CREATE})
    user = fresh(member)
    assert permissions.can(user, "see", cat)
    assert not permissions.can(user, "reply", cat)
    assert not permissions.can(user, "create_topic", cat)


def test_reply_level_allows_replying_but_not_creating(member, staff):
    cat = factories.make_category("Feedback", grants={"members": REPLY})
    topic = factories.make_topic(staff, cat)
    user = fresh(member)
    assert permissions.can(user, "reply", cat)
    assert permissions.can(user, "reply", topic)
    assert not permissions.can(user, "create_topic", cat)


def test_create_level_allows_all_three(member):
    cat = factories.make_category("Open floor", grants={"members": CREATE})
    user = fresh(member)
    assert all(permissions.can(user, a, cat) for a in ("see", "reply", "create_topic"))


def test_anonymous_visitors_never_reply_or_create_even_with_a_create_grant_to_everyone(member):
    cat = factories.make_category("Wide open", grants={"everyone": CREATE})
    topic = factories.make_topic(member, cat)
    anon = AnonymousUser()
    assert permissions.can(anon, "see", cat)
    assert not permissions.can(anon, "reply", cat)
    assert not permissions.can(anon, "create_topic", cat)
    assert not permissions.can(anon, "reply", topic)


def test_creatable_categories_are_those_with_the_create_level(member):
    a = factories.make_category("Can create", grants={"members": CREATE})
    b = factories.make_category("Can reply", grants={"members": REPLY})
    ids = set(permissions.creatable_categories(fresh(member)).values_list("id", flat=True))
    assert a.pk in ids and b.pk not in ids


# --- subcategories, staff ---------------------------------------------------------------


def test_it_hides_a_subcategory_when_its_parent_is_hidden(member, staff):
    parent = factories.make_category("Hidden parent", grants={"staff": CREATE})
    child = factories.make_category("Open child", parent=parent, grants={"everyone": SEE, "members": CREATE})
    topic = factories.make_topic(staff, child)
    user = fresh(member)
    assert not permissions.can(user, "see", child)
    assert child.pk not in permissions.access_for(user).levels
    assert not permissions.visible_topics(user).filter(pk=topic.pk).exists()
    with pytest.raises(Http404):
        permissions.get_category_for_user(user, child.slug)


def test_it_shows_a_visible_subcategory_of_a_visible_parent(member):
    parent = factories.make_category("Parent", grants={"everyone": SEE})
    child = factories.make_category("Child", parent=parent, grants={"everyone": SEE})
    assert permissions.can(fresh(member), "see", child)


def test_it_hides_a_private_subcategory_of_a_public_parent(member, public_category):
    child = factories.make_category("Secret child", parent=public_category, grants={"staff": SEE})
    assert not permissions.can(fresh(member), "see", child)
    assert permissions.can(fresh(member), "see", public_category)


def test_staff_see_and_create_everywhere_even_without_grants(staff):
    cat = Category.objects.create(name="No grants", slug="no-grants")
    child = Category.objects.create(name="Sub", slug="sub", parent=cat)
    user = fresh(staff)
    assert permissions.can(user, "create_topic", cat)
    assert permissions.can(user, "create_topic", child)


def test_it_hides_private_topics_from_outsiders(outsider, staff, staff_category):
    topic = factories.make_topic(staff, staff_category)
    user = fresh(outsider)
    assert not permissions.visible_topics(user).filter(pk=topic.pk).exists()
    assert not permissions.visible_posts(user).filter(topic=topic).exists()
    assert not permissions.can(user, "see", topic)
    assert permissions.visible_topics(fresh(staff)).filter(pk=topic.pk).exists()


# --- deleted and unlisted topics -------------------------------------------------------


def test_it_hides_deleted_topics_except_from_moderators_and_staff(topic, member, moderator, staff):
    services.post_delete(user=fresh(staff), post=topic.posts.get(number=1))
    topic.refresh_from_db()
    assert topic.deleted_at is not None
    # Moderators see a deleted topic (by link, not in lists) so they can restore it.
    assert not permissions.visible_topics(fresh(moderator)).filter(pk=topic.pk).exists()
    assert permissions.get_topic_for_user(fresh(moderator), topic.pk) == topic
    for user in (member,):
        assert not permissions.visible_topics(fresh(user), include_deleted=True).filter(pk=topic.pk).exists()
        assert not permissions.can(fresh(user), "see", topic)
        with pytest.raises(Http404):
            permissions.get_topic_for_user(fresh(user), topic.pk)
    assert not permissions.visible_topics(fresh(staff)).filter(pk=topic.pk).exists()
    assert permissions.visible_topics(fresh(staff), include_deleted=True).filter(pk=topic.pk).exists()
    assert permissions.get_topic_for_user(fresh(staff), topic.pk) == topic


def test_it_hides_deleted_posts_from_lists_of_posts(topic, member, other_member):
    reply = factories.make_reply(other_member, topic)
    services.post_delete(user=fresh(other_member), post=reply)
    assert not permissions.visible_posts(fresh(member)).filter(pk=reply.pk).exists()
    with pytest.raises(Http404):
        permissions.get_post_for_user(fresh(member), reply.pk)
    # The author may still open it (to restore it).
    assert permissions.get_post_for_user(fresh(other_member), reply.pk, action="restore") == reply


def test_it_shows_unlisted_topics_by_link_but_not_in_lists(topic, member, staff):
    services.topic_set_status(user=fresh(staff), topic=topic, status="unlisted", enabled=True)
    user = fresh(member)
    assert permissions.get_topic_for_user(user, topic.pk).pk == topic.pk
    assert permissions.visible_topics(user).filter(pk=topic.pk).exists()
    assert not permissions.listed_topics(user).filter(pk=topic.pk).exists()
    assert not permissions.listed_posts(user).filter(topic=topic).exists()


# --- can(): reply -------------------------------------------------------------------------


def test_members_reply_to_open_topics(topic, other_member):
    assert permissions.can(fresh(other_member), "reply", topic)


def test_nobody_but_moderators_replies_to_closed_topics(topic, other_member, moderator):
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    topic.refresh_from_db()
    assert not permissions.can(fresh(other_member), "reply", topic)
    assert not permissions.can(fresh(topic.user), "reply", topic)
    assert permissions.can(fresh(moderator), "reply", topic)


def test_moderators_reply_to_closed_topics_only_where_they_may_reply(moderator, staff):
    cat = factories.make_category("Read only", grants={"everyone": SEE, "staff": CREATE})
    topic = factories.make_topic(staff, cat)
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    topic.refresh_from_db()
    assert not permissions.can(fresh(moderator), "reply", topic)


def test_nobody_replies_to_archived_topics(topic, other_member, moderator, staff):
    Topic.objects.filter(pk=topic.pk).update(archived=True)
    topic.refresh_from_db()
    for user in (other_member, moderator, staff):
        assert not permissions.can(fresh(user), "reply", topic)


def test_nobody_replies_to_deleted_topics(topic, staff):
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now())
    topic.refresh_from_db()
    assert not permissions.can(fresh(staff), "reply", topic)
    assert not permissions.can(fresh(topic.user), "reply", topic)


# --- can(): like, edit, delete, restore -------------------------------------------------


def test_it_refuses_a_like_on_ones_own_post(topic, member, other_member):
    post = topic.posts.get(number=1)
    assert not permissions.can(fresh(member), "like", post)
    assert permissions.can(fresh(other_member), "like", post)
    assert not permissions.can(AnonymousUser(), "like", post)


def test_it_refuses_likes_in_archived_topics_and_on_deleted_posts(topic, other_member, member):
    reply = factories.make_reply(other_member, topic)
    services.post_delete(user=fresh(other_member), post=reply)
    reply.refresh_from_db()
    assert not permissions.can(fresh(member), "like", reply)
    Topic.objects.filter(pk=topic.pk).update(archived=True)
    post = Post.objects.select_related("topic").get(topic=topic, number=1)
    assert not permissions.can(fresh(other_member), "like", post)


def test_authors_edit_within_the_edit_window_only(topic, member, other_member):
    post = topic.posts.get(number=1)
    assert permissions.can(fresh(member), "edit", post)
    assert not permissions.can(fresh(other_member), "edit", post)
    with override_settings(AGORA_EDIT_WINDOW_SECONDS=60):
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(seconds=61))
        post.refresh_from_db()
        assert not permissions.can(fresh(member), "edit", post)
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(seconds=50))
        post.refresh_from_db()
        assert permissions.can(fresh(member), "edit", post)


def test_moderators_edit_any_time(topic, moderator, staff):
    post = topic.posts.get(number=1)
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=400))
    post.refresh_from_db()
    assert not permissions.can(fresh(topic.user), "edit", post)
    assert permissions.can(fresh(moderator), "edit", post)
    assert permissions.can(fresh(staff), "edit", post)


def test_authors_delete_their_posts_others_do_not(topic, member, other_member, moderator):
    reply = factories.make_reply(other_member, topic)
    assert permissions.can(fresh(other_member), "delete", reply)
    assert not permissions.can(fresh(member), "delete", reply)
    assert permissions.can(fresh(moderator), "delete", reply)
    assert not permissions.can(AnonymousUser(), "delete", reply)


def test_authors_do_not_delete_in_closed_topics(topic, other_member, moderator):
    reply = factories.make_reply(other_member, topic)
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    reply = Post.objects.select_related("topic").get(pk=reply.pk)
    assert not permissions.can(fresh(other_member), "delete", reply)
    assert permissions.can(fresh(moderator), "delete", reply)


def test_authors_restore_only_what_they_deleted_themselves(topic, other_member, moderator):
    mine = factories.make_reply(other_member, topic, raw="Deleted by me")
    theirs = factories.make_reply(other_member, topic, raw="Deleted by a moderator")
    services.post_delete(user=fresh(other_member), post=mine)
    services.post_delete(user=fresh(moderator), post=theirs)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert permissions.can(fresh(other_member), "restore", mine)
    assert not permissions.can(fresh(other_member), "restore", theirs)
    assert permissions.can(fresh(moderator), "restore", theirs)
    with pytest.raises(PermissionDenied):
        permissions.get_post_for_user(fresh(other_member), theirs.pk, action="restore")


# --- can(): solve, moderate -------------------------------------------------------------


def test_only_the_topic_author_or_moderators_solve_in_question_categories(topic, member, other_member, moderator):
    assert topic.category.accepts_solutions
    assert permissions.can(fresh(member), "solve", topic)
    assert not permissions.can(fresh(other_member), "solve", topic)
    assert permissions.can(fresh(moderator), "solve", topic)
    assert not permissions.can(AnonymousUser(), "solve", topic)


def test_nobody_solves_outside_question_categories(member, staff):
    cat = factories.make_category("Chat", accepts_solutions=False)
    topic = factories.make_topic(member, cat)
    assert not permissions.can(fresh(member), "solve", topic)
    assert not permissions.can(fresh(staff), "solve", topic)


def test_only_moderators_and_staff_moderate(topic, member, moderator, staff):
    assert not permissions.can(fresh(member), "moderate", topic)
    assert permissions.can(fresh(moderator), "moderate", topic)
    assert permissions.can(fresh(staff), "moderate", topic)


def test_nobody_moderates_a_topic_they_cannot_see(moderator, staff, staff_category):
    topic = factories.make_topic(staff, staff_category)
    assert not permissions.can(fresh(moderator), "moderate", topic)


def test_unknown_actions_and_objects_are_refused(topic, staff):
    assert not permissions.can(fresh(staff), "fly", topic)
    assert not permissions.can(fresh(staff), "fly", topic.posts.get(number=1))
    assert not permissions.can(fresh(staff), "see", object())


# --- fetch helpers: 404 for the invisible, 403 for the visible but not allowed ----------


def test_get_topic_for_user_raises_404_for_a_topic_the_user_cannot_see(outsider, staff, staff_category):
    topic = factories.make_topic(staff, staff_category)
    with pytest.raises(Http404):
        permissions.get_topic_for_user(fresh(outsider), topic.pk)
    with pytest.raises(Http404):
        permissions.get_topic_for_user(fresh(outsider), topic.pk, action="reply")
    with pytest.raises(Http404):
        permissions.get_topic_for_user(fresh(outsider), 987654321)


def test_get_topic_for_user_raises_403_for_a_visible_topic_the_user_may_not_act_on(topic, other_member):
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    with pytest.raises(PermissionDenied):
        permissions.get_topic_for_user(fresh(other_member), topic.pk, action="reply")
    assert permissions.get_topic_for_user(fresh(other_member), topic.pk).pk == topic.pk


def test_get_post_for_user_raises_404_for_a_post_the_user_cannot_see(outsider, staff, staff_category):
    topic = factories.make_topic(staff, staff_category)
    post = topic.posts.get(number=1)
    with pytest.raises(Http404):
        permissions.get_post_for_user(fresh(outsider), post.pk)
    with pytest.raises(Http404):
        permissions.get_post_for_user(AnonymousUser(), post.pk)
    assert permissions.get_post_for_user(fresh(staff), post.pk) == post


def test_get_post_for_user_raises_403_for_a_visible_post_the_user_may_not_act_on(topic, member, other_member):
    post = topic.posts.get(number=1)
    with pytest.raises(PermissionDenied):
        permissions.get_post_for_user(fresh(other_member), post.pk, action="edit")
    with pytest.raises(PermissionDenied):
        permissions.get_post_for_user(fresh(member), post.pk, action="like")


def test_get_post_for_user_raises_404_for_posts_of_deleted_topics(topic, other_member, staff):
    reply = factories.make_reply(other_member, topic)
    services.post_delete(user=fresh(staff), post=topic.posts.get(number=1))
    with pytest.raises(Http404):
        permissions.get_post_for_user(fresh(other_member), reply.pk)
    assert permissions.get_post_for_user(fresh(staff), reply.pk) == reply


def test_access_is_computed_in_one_query(django_assert_num_queries, member):
    for n in range(5):
        factories.make_category(f"Cat {n}")
    user = fresh(member)
    with django_assert_num_queries(1):
        permissions.access_for(user)
        permissions.access_for(user)
        permissions.visible_categories(user)
