"""Watching levels: set by activity and by hand (topic, category, tag and group pages, /my/notifications),
and what each level tells."""

import pytest

from agora.discuss.models import Category
from agora.groups.models import Group, Membership
from agora.notifications import services as notification_services
from agora.notifications.models import Notification, NotificationSettings, Watch, WatchLevel
from tests import factories

from .helpers import kinds_for

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
L = WatchLevel


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Write a topic (category given) or a reply (topic given), running what waits for the commit."""

    def run(user, *, category=None, topic=None, raw="Some text here.", tags=()):
        with django_capture_on_commit_callbacks(execute=True):
            if topic is not None:
                return factories.make_reply(user, topic, raw=raw)
            return factories.make_topic(user, category, title="A new topic to watch", raw=raw, tags=tags)

    return run


def level_of(user, **target):
    watch = Watch.objects.filter(user=user, **target).first()
    return None if watch is None else (watch.level, watch.automatic)


# --- levels from activity -------------------------------------------------------------------------


def test_starting_a_topic_watches_it_and_replying_watches_it_too(write, member, other_member, public_category):
    topic = write(member, category=public_category)
    write(other_member, topic=topic)
    assert level_of(member, topic=topic) == (L.WATCHING, True)
    assert level_of(other_member, topic=topic) == (L.WATCHING, True)


def test_replying_only_tracks_when_the_person_said_so(write, member, other_member, public_category):
    NotificationSettings.objects.create(user=other_member, watch_replied=False)
    NotificationSettings.objects.create(user=member, watch_created=False)
    topic = write(member, category=public_category)
    write(other_member, topic=topic)
    assert level_of(member, topic=topic) is None
    assert level_of(other_member, topic=topic) == (L.TRACKING, True)


def test_activity_never_changes_a_level_the_person_chose(write, member, other_member, topic):
    notification_services.watch_set(user=other_member, topic=topic, level=L.NORMAL)
    notification_services.watch_set(user=other_member, topic=topic, level=L.MUTED)
    write(other_member, topic=topic)
    assert level_of(other_member, topic=topic) == (L.MUTED, False)


# --- what each level tells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "on_topic", "on_reply"),
    [
        (L.WATCHING, [Kind.WATCHED_TOPIC], [Kind.WATCHED_POST]),
        (L.WATCHING_FIRST_POST, [Kind.WATCHED_TOPIC], []),
        (L.TRACKING, [], []),
        (L.MUTED, [], []),
    ],
)
def test_a_category_level_decides_what_its_new_topics_and_replies_tell(
    write, member, other_member, public_category, level, on_topic, on_reply
):
    watcher = factories.UserFactory(username="Watcher")
    notification_services.watch_set(user=watcher, category=public_category, level=level)
    topic = write(member, category=public_category)
    reply = write(other_member, topic=topic)
    assert kinds_for(watcher, topic.posts.get(number=1)) == on_topic
    assert kinds_for(watcher, reply) == on_reply


def test_a_watched_tag_or_group_tells_of_new_topics(write, member, public_category):
    tag_watcher, group_watcher = factories.UserFactory(username="Tagfan"), factories.UserFactory(username="Groupfan")
    tag = factories.make_tag("events")
    group = Group.objects.create(name="Owners")
    Category.objects.filter(pk=public_category.pk).update(group=group)
    notification_services.watch_set(user=tag_watcher, tag=tag, level=L.WATCHING_FIRST_POST)
    notification_services.watch_set(user=group_watcher, group=group, level=L.WATCHING)
    topic = write(member, category=public_category, tags=["events"])
    assert kinds_for(tag_watcher) == kinds_for(group_watcher) == [Kind.WATCHED_TOPIC]
    assert Notification.objects.get(user=tag_watcher).post == topic.posts.get(number=1)


def test_a_muted_category_beats_a_watched_tag_and_a_topic_level_beats_both(
    write, member, other_member, public_category
):
    fan = factories.UserFactory(username="Fan")
    factories.make_tag("news")
    notification_services.watch_set(user=fan, category=public_category, level=L.MUTED)
    notification_services.watch_set(user=fan, tag=factories.make_tag("news"), level=L.WATCHING)
    topic = write(member, category=public_category, tags=["news"])
    assert kinds_for(fan) == []
    notification_services.watch_set(user=fan, topic=topic, level=L.WATCHING)
    reply = write(other_member, topic=topic)
    assert kinds_for(fan, reply) == [Kind.WATCHED_POST]


def test_a_topic_is_watched_at_four_levels_only(member, topic):
    with pytest.raises(Exception, match="levels offered"):
        notification_services.watch_set(user=member, topic=topic, level=L.WATCHING_FIRST_POST)


# --- the controls ---------------------------------------------------------------------------------


def test_the_topic_page_offers_the_level_to_members_and_not_to_visitors(client_for, member, topic):
    page = client_for(member).get(topic.get_absolute_url()).content.decode()
    assert 'action="/notifications/watch"' in page and '<option value="4" selected>Watching</option>' in page
    assert 'action="/notifications/watch"' not in client_for(None).get(topic.get_absolute_url()).content.decode()


@pytest.mark.parametrize("target", ["topic", "category", "tag", "group"])
def test_the_level_form_sets_the_level_and_goes_back(client_for, other_member, topic, public_category, target):
    tag = factories.make_tag("howto")
    group = Group.objects.create(name="Helpers", visibility=Group.Visibility.PUBLIC)
    key, obj = {
        "topic": (topic.pk, topic),
        "category": (public_category.slug, public_category),
        "tag": (tag.name, tag),
        "group": (group.name, group),
    }[target]
    response = client_for(other_member).post(
        "/notifications/watch", {"target": target, "key": key, "level": L.MUTED, "next": "/latest"}
    )
    assert (response.status_code, response["Location"]) == (302, "/latest")
    assert level_of(other_member, **{target: obj}) == (L.MUTED, False)
    # Normal is no row at all.
    client_for(other_member).post("/notifications/watch", {"target": target, "key": key, "level": L.NORMAL})
    assert level_of(other_member, **{target: obj}) is None


def test_a_place_one_may_not_see_cannot_be_watched(client_for, outsider, staff, staff_category):
    private_topic = factories.make_topic(staff, staff_category, title="Staff only", raw="Hush.")
    hidden = Group.objects.create(name="Secret", visibility=Group.Visibility.GROUP)
    client = client_for(outsider)
    for target, key in (("topic", private_topic.pk), ("category", staff_category.slug), ("group", hidden.name)):
        response = client.post("/notifications/watch", {"target": target, "key": key, "level": L.WATCHING})
        assert response.status_code == 404, target
    assert not Watch.objects.filter(user=outsider).exists()


def test_bad_input_is_refused_clearly_and_changes_nothing(client_for, member, topic):
    client = client_for(member)
    before = list(Watch.objects.values_list("pk", "level"))
    for data in (
        {"target": "topic", "key": topic.pk, "level": 99},
        {"target": "planet", "key": "x", "level": 4},
        {"target": "topic", "key": topic.pk, "level": L.WATCHING_FIRST_POST},
        {"target": "topic", "key": "not-a-number", "level": 4},
    ):
        response = client.post("/notifications/watch", data)
        assert response.status_code in {400, 404}, data
    assert list(Watch.objects.values_list("pk", "level")) == before
    visitor = client_for(None).post("/notifications/watch", {"target": "topic", "key": topic.pk, "level": 0})
    assert visitor.status_code == 302
    assert client.get("/notifications/watch").status_code == 405


def test_preferences_list_ones_places_and_save_the_automatic_choices(
    client_for, member, public_category, staff_category
):
    notification_services.watch_set(user=member, category=public_category, level=L.WATCHING_FIRST_POST)
    Watch.objects.create(user=member, category=staff_category, level=L.WATCHING)  # access lost since
    client = client_for(member)
    page = client.get("/my/notifications").content.decode()
    assert "Ask here" in page and '<option value="3" selected>Watching first post</option>' in page
    assert "Staff room" not in page
    response = client.post("/my/notifications", {"watch_created": "on"})
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=member)
    assert (prefs.watch_created, prefs.watch_replied) == (True, False)
    client.post("/my/notifications", {})  # both unticked: the form posts no field at all
    prefs.refresh_from_db()
    assert (prefs.watch_created, prefs.watch_replied) == (False, False)
    assert client_for(None).get("/my/notifications").status_code == 302


def test_a_removed_member_no_longer_sees_a_hidden_groups_level(client_for, member):
    group = Group.objects.create(name="Inner", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=group, user=member)
    notification_services.watch_set(user=member, group=group, level=L.WATCHING)
    assert "@Inner" in client_for(member).get("/my/notifications").content.decode()
    Membership.objects.filter(group=group, user=member).delete()
    assert "@Inner" not in client_for(member).get("/my/notifications").content.decode()
