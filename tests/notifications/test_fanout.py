"""The fan-out to watchers: one task per post, its audience in a few set queries whatever its size, and
never anyone who may not see the post when the task runs (the leak rule)."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora import permissions
from agora.accounts.models import User
from agora.discuss import services
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.notifications import services as notification_services
from agora.notifications.models import Notification, WatchLevel
from tests import factories

from .helpers import bulk_watchers, fresh, kinds_for

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
L = WatchLevel


def _insert_queries(rows: int) -> int:
    """How many INSERTs the database needs for `rows` notifications (SQLite splits a batch at 999 values)."""
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    per_insert = min(connection.ops.bulk_batch_size(fields, [None] * rows) or rows, notification_services.FANOUT_BATCH)
    return math.ceil(rows / per_insert)


# --- the bulk permission check ----------------------------------------------------------------------


def test_the_bulk_reader_check_agrees_with_can_see_for_every_kind_of_person(staff, moderator, member, outsider):
    club = Group.objects.create(name="Club")
    Membership.objects.create(group=club, user=member)
    veteran = factories.UserFactory(username="Veteran", trust_level=3)
    gone = factories.UserFactory(username="Gone", is_active=False)
    parent = factories.make_category("Parent", grants={"Club": CategoryGrant.Level.SEE, "trust_level_3": 1})
    places = {
        "public": factories.make_category("Open"),
        "staff": factories.make_category("Staff", grants={"staff": CategoryGrant.Level.CREATE}),
        "moderators": factories.make_category("Mods", grants={"moderators": CategoryGrant.Level.SEE}),
        "club": factories.make_category("Clubhouse", grants={"Club": CategoryGrant.Level.REPLY}),
        "trusted": factories.make_category("Lounge", grants={"trust_level_3": CategoryGrant.Level.SEE}),
        # A public child of a parent only the club and trusted people see: the parent decides.
        "child": factories.make_category("Child", parent=parent),
        "no grants": factories.make_category("Nobody", grants={}),
    }
    people = [staff, moderator, member, outsider, veteran, gone]
    for name, category in places.items():
        topic = factories.make_topic(staff, category, title=f"In {name}", raw="Text.")
        bulk = set(User.objects.filter(permissions.topic_readers_q(topic)).values_list("pk", flat=True))
        one_by_one = {p.pk for p in people if p.is_active and permissions.can(fresh(p), "see", topic)}
        assert bulk & {p.pk for p in people} == one_by_one, name


# --- leaks ----------------------------------------------------------------------------------------


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    def run(user, *, category=None, topic=None, raw="Some text here."):
        with django_capture_on_commit_callbacks(execute=True):
            if topic is not None:
                return factories.make_reply(fresh(user), topic, raw=raw)
            return factories.make_topic(fresh(user), category, title="Watched things", raw=raw)

    return run


def test_a_watcher_of_a_category_made_private_is_told_nothing(write, member, other_member, public_category):
    notification_services.watch_set(user=other_member, category=public_category, level=L.WATCHING)
    CategoryGrant.objects.filter(category=public_category).delete()
    CategoryGrant.objects.create(category=public_category, group=factories.group("staff"), level=3)
    write(factories.UserFactory(username="Boss", is_staff=True), category=public_category)
    assert kinds_for(other_member) == []


def test_a_watcher_removed_from_the_group_is_told_nothing(write, member, other_member):
    club = Group.objects.create(name="Club")
    for person in (member, other_member):
        Membership.objects.create(group=club, user=person)
    clubhouse = factories.make_category("Clubhouse", grants={"Club": CategoryGrant.Level.CREATE})
    notification_services.watch_set(user=other_member, category=clubhouse, level=L.WATCHING)
    topic = write(member, category=clubhouse)
    assert kinds_for(other_member) == [Kind.WATCHED_TOPIC]
    Membership.objects.filter(group=club, user=other_member).delete()
    write(member, topic=topic)
    assert kinds_for(other_member) == [Kind.WATCHED_TOPIC]  # nothing about the new reply


def test_a_held_post_tells_nobody_until_approved(settings, write, member, other_member, public_category):
    settings.AGORA_HOLD_FIRST_POSTS = 2
    newbie = factories.UserFactory(username="Newbie", trust_level=0)
    notification_services.watch_set(user=other_member, category=public_category, level=L.WATCHING)
    topic = write(newbie, category=public_category)
    opening = topic.posts.get(number=1)
    assert opening.pending_approval and kinds_for(other_member) == []
    services.post_release(post=opening)
    notification_services.post_notify(post_id=opening.pk)  # the approval's task (its commit is the test's)
    assert kinds_for(other_member, opening) == [Kind.WATCHED_TOPIC]


def test_a_post_deleted_before_the_task_runs_tells_nobody(member, other_member, topic):
    notification_services.watch_set(user=other_member, topic=topic, level=L.WATCHING)
    reply = factories.make_reply(member, topic)  # its task waits for a commit that never comes here
    services.post_delete(user=member, post=reply)
    notification_services.post_notify(post_id=reply.pk)
    assert kinds_for(other_member) == []


# --- in bulk --------------------------------------------------------------------------------------


def test_the_request_does_the_same_work_for_no_watchers_and_for_many(django_capture_on_commit_callbacks, member, topic):
    def queries_of_a_reply() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=False) as callbacks:
            factories.make_reply(member, topic)
        return len(ctx), len(callbacks)  # the notification task is one of the callbacks, whatever the audience

    factories.make_reply(member, topic)  # the first reply writes the author's watch row: measure after
    alone = queries_of_a_reply()
    bulk_watchers(300, topic=topic, level=L.WATCHING)
    assert queries_of_a_reply() == alone


@pytest.mark.parametrize("watchers", [10, 500])
def test_the_tasks_queries_do_not_grow_with_its_audience(
    django_assert_max_num_queries, member, public_category, watchers
):
    topic = factories.make_topic(member, public_category, title="Popular", raw="Hello.")
    bulk_watchers(watchers, category=public_category, level=L.WATCHING)
    reply = factories.make_reply(factories.UserFactory(username="Writer", trust_level=1), topic)
    # As measured: 19 for the mentions, the post, the starter's REPLIED (whom, access, muted?, insert), the tags,
    # the watches, who was told, the category tree and grants, and who may read; then the watchers' inserts
    # (each in a savepoint: 3 queries).
    with django_assert_max_num_queries(19 + 3 * _insert_queries(watchers)):
        notification_services.post_notify(post_id=reply.pk)
    assert Notification.objects.filter(post=reply, kind=Kind.WATCHED_POST).count() == watchers  # the starter: REPLIED


def test_a_large_audience_is_written_in_batches_and_a_second_run_adds_nothing(monkeypatch, member, public_category):
    monkeypatch.setattr(notification_services, "FANOUT_BATCH", 7)
    bulk_watchers(30, category=public_category, level=L.WATCHING_FIRST_POST)
    topic = factories.make_topic(member, public_category, title="Batches", raw="Hello.")
    opening = topic.posts.get(number=1)
    assert len(notification_services.post_notify(post_id=opening.pk)) == 30
    assert notification_services.post_notify(post_id=opening.pk) == []
    assert Notification.objects.filter(post=opening).count() == 30
