"""The staff action log page (/review/log): who did what to which object, when and why; filterable,
paginated, read-only, and only what the reader may see."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.moderation.actions import ACTIONS, action_label
from agora.moderation.models import ModeratorAction
from agora.moderation.services import action_log
from tests import factories

pytestmark = pytest.mark.django_db

LOG = "/review/log"


def _entries(response) -> list[ModeratorAction]:
    return list(response.context["page"].object_list)


@pytest.fixture
def logged(moderator, staff, member, topic):
    """A few entries by two people about two subjects, one of them days ago."""
    silence = action_log(actor=moderator, action="user_silence", target=member, subject_user=member, reason="Heated")
    close = action_log(actor=staff, action="topic_close", target=topic, subject_user=topic.user, reason="Done")
    author = factories.UserFactory(username="Flagged Author")
    old = action_log(actor=None, action="post_hide", target=topic.posts.get(number=1), subject_user=author)
    # The log refuses updates (it is append-only): date the entry back in SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE moderation_moderatoraction SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=10), old.pk],
        )
    return {"silence": silence, "close": close, "old": old}


# --- who may read it ---------------------------------------------------------------------


def test_moderators_and_staff_read_it(client_for, moderator, staff, logged):
    for viewer in (moderator, staff):
        response = client_for(viewer).get(LOG)
        assert response.status_code == 200
        assert len(_entries(response)) == 3


def test_members_and_outsiders_get_a_404_and_visitors_a_login(client_for, member, outsider, logged):
    for viewer in (member, outsider):
        assert client_for(viewer).get(LOG).status_code == 404
    response = client_for(None).get(LOG)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_group_moderators_are_told_the_log_is_not_theirs(client_for, logged):
    keeper = factories.UserFactory(username="Keeper")
    group = Group.objects.create(name="gardeners")
    Membership.objects.create(group=group, user=keeper, is_owner=True)
    factories.make_category("Garden", group=group, grants={"gardeners": CategoryGrant.Level.CREATE})
    response = client_for(keeper).get(LOG)
    assert response.status_code == 403 and b"site moderators and staff" in response.content


def test_moderators_see_nothing_about_topics_they_cannot_see(client_for, moderator, staff, staff_category):
    secret = factories.make_topic(staff, staff_category, title="Staff-only plans", raw="Secret")
    action_log(actor=staff, action="topic_close", target=secret, reason="Secret reason")
    action_log(actor=staff, action="post_hide", target=secret.posts.get(number=1), reason="Secret reason")
    action_log(actor=staff, action="user_warn", target_kind="site", reason="Visible to all readers")
    mod_page = client_for(moderator).get(LOG).content.decode()
    assert "Staff-only plans" not in mod_page and "Secret reason" not in mod_page
    assert "Visible to all readers" in mod_page
    staff_page = client_for(staff).get(LOG).content.decode()
    assert "Staff-only plans" in staff_page and "Secret reason" in staff_page


# --- what it shows -----------------------------------------------------------------------


def test_it_shows_who_did_what_to_which_object_when_and_why(client_for, moderator, topic, logged):
    page = client_for(moderator).get(LOG).content.decode()
    assert "closed a topic" in page and topic.title in page and "Done" in page
    assert f'href="/t/{topic.pk}"' in page
    assert f'href="/t/-/{topic.pk}/1"' in page  # the hidden post, through its topic and number
    assert "the system" in page  # the post hidden by flags
    assert "silenced a person" in page and "Heated" in page


def test_every_verb_has_a_label_and_unknown_ones_show_as_they_are(client_for, moderator):
    written = [
        "post_hide",
        "post_unhide",
        "post_delete",
        "post_restore",
        "post_edit",
        "post_wiki",
        "post_lock",
        "topic_close",
        "topic_open",
        "topic_pin",
        "topic_unpin",
        "topic_unlist",
        "topic_archive",
        "topic_move",
        "topic_retitle",
        "topic_retag",
        "topic_merge",
        "topic_split",
        "posts_move",
        "flag_agree",
        "flag_disagree",
        "flag_ignore",
        "post_approve",
        "post_reject",
        "user_silence",
        "user_unsilence",
        "user_suspend",
        "user_unsuspend",
        "user_warn",
        "user_delete",
        "trust_level_change",
        "page_edit",
    ]
    assert set(written) <= set(ACTIONS)
    assert all(action_label(verb) != verb for verb in written)
    assert action_label("badge_grant") == "badge_grant"
    action_log(actor=moderator, action="badge_grant", target_kind="site")
    assert "badge_grant" in client_for(moderator).get(LOG).content.decode()


def test_details_are_shown(client_for, moderator, topic):
    action_log(actor=moderator, action="topic_move", target=topic, details={"from": "Lounge", "to": "Help"})
    page = client_for(moderator).get(LOG).content.decode()
    assert "from: Lounge" in page and "to: Help" in page


# --- filters -----------------------------------------------------------------------------


def test_it_filters_by_action_actor_subject_and_dates(client_for, moderator, staff, member, logged):
    client = client_for(moderator)
    assert _entries(client.get(LOG, {"action": "topic_close"})) == [logged["close"]]
    assert _entries(client.get(LOG, {"actor": staff.username})) == [logged["close"]]
    assert _entries(client.get(LOG, {"actor": "moderator"})) == [logged["silence"]]  # any case
    assert set(_entries(client.get(LOG, {"subject": member.username}))) == {logged["silence"], logged["close"]}
    assert _entries(client.get(LOG, {"subject": "flagged_author"})) == [logged["old"]]
    today = timezone.localdate()
    recent = _entries(client.get(LOG, {"since": (today - timedelta(days=1)).isoformat()}))
    assert set(recent) == {logged["silence"], logged["close"]}
    older = _entries(client.get(LOG, {"until": (today - timedelta(days=5)).isoformat()}))
    assert older == [logged["old"]]
    both = client.get(LOG, {"action": "user_silence", "subject": member.username, "since": today.isoformat()})
    assert _entries(both) == [logged["silence"]]


def test_bad_filters_are_named_and_show_nothing_wrongly(client_for, moderator, logged):
    client = client_for(moderator)
    response = client.get(LOG, {"actor": "Nobody At All"})
    assert response.status_code == 200
    assert "Nobody is called Nobody At All" in response.content.decode()
    assert _entries(response) == []
    response = client.get(LOG, {"since": "yesterday-ish", "action": "topic_close"})
    assert "Enter a valid date" in response.content.decode()
    assert _entries(response) == [logged["close"]]  # the good filters still apply
    response = client.get(LOG, {"since": "2026-02-02", "until": "2026-01-01"})
    assert "The end comes before the start" in response.content.decode()


def test_pages_keep_the_filters(client_for, moderator, member, settings):
    settings.AGORA_TOPICS_PER_PAGE = 2
    for n in range(5):
        action_log(actor=moderator, action="user_warn", target=member, subject_user=member, reason=f"w{n}")
    client = client_for(moderator)
    first = client.get(LOG, {"action": "user_warn"})
    assert [e.reason for e in _entries(first)] == ["w4", "w3"]
    assert "action=user_warn&amp;page=2" in first.content.decode()
    third = client.get(LOG, {"action": "user_warn", "page": "3"})
    assert [e.reason for e in _entries(third)] == ["w0"]
    assert client.get(LOG, {"page": "9"}).status_code == 404
    assert client.get(LOG, {"page": "x"}).status_code == 404


@pytest.mark.parametrize("viewer", ["moderator", "staff"])
def test_the_page_costs_the_same_queries_for_1_and_50_rows(
    client_for, moderator, staff, member, topic, viewer, settings, django_assert_max_num_queries
):
    settings.AGORA_TOPICS_PER_PAGE = 50
    client = client_for({"moderator": moderator, "staff": staff}[viewer])
    post = topic.posts.get(number=1)

    def add(n):
        for i in range(n):
            target = [post, member, topic][i % 3]  # the first one a post: its link costs the one query
            action_log(actor=staff, action="post_hide", target=target, subject_user=member, details={"i": i})

    add(1)
    client.get(LOG)  # warm the session and the user's access
    with CaptureQueriesContext(connection) as one:
        assert len(_entries(client.get(LOG))) == 1
    add(49)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(_entries(client.get(LOG))) == 50
    assert len(one.captured_queries) <= 10


# --- append-only -------------------------------------------------------------------------


def test_it_is_read_only_in_the_site(client_for, moderator, staff, logged):
    for viewer in (moderator, staff):
        client = client_for(viewer)
        assert client.post(LOG, {"action": "x"}).status_code == 405
        assert client.delete(LOG).status_code == 405
        assert client.put(LOG).status_code == 405
    assert ModeratorAction.objects.count() == 3
    assert ModeratorAction.objects.get(pk=logged["close"].pk).reason == "Done"


def test_it_is_read_only_in_the_admin(client_for, staff, logged):
    client = client_for(staff)
    entry = logged["close"]
    url = f"/admin/moderation/moderatoraction/{entry.pk}/"
    assert client.get("/admin/moderation/moderatoraction/").status_code == 200
    assert client.get(f"{url}change/").status_code == 200  # a read-only view
    assert client.post(f"{url}change/", {"action": "rewritten", "reason": "rewritten"}).status_code == 403
    assert client.get("/admin/moderation/moderatoraction/add/").status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/moderation/moderatoraction/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.action, entry.reason) == ("topic_close", "Done")
    assert ModeratorAction.objects.count() == 3
