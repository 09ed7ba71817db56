"""Moderator tools on people: the panel at /u/<username>/moderate, warn, silence, suspend and delete, and
what the person meets (composers that say why, a sign-in form that says why, sessions that end)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.utils import timezone

from agora.accounts.models import User
from agora.discuss.models import CategoryGrant, MessageGroup, MessageParticipant, Post, Topic
from agora.groups.models import Group, Membership
from agora.moderation import people
from agora.moderation.models import ModeratorAction
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def person(db):
    return factories.UserFactory(username="Troll Person", trust_level=1)


def panel(person):
    return f"{person.get_absolute_url()}/moderate"


def post_tool(client, person, tool, **fields):
    data = {"tool": tool, **{f"{tool}-{k}": v for k, v in fields.items()}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(panel(person), data)


# --- who may open the panel --------------------------------------------------------------


def test_it_opens_for_moderators_and_staff(client_for, moderator, staff, person):
    for viewer in (moderator, staff):
        page = client_for(viewer).get(panel(person))
        assert page.status_code == 200
        assert b"Troll Person" in page.content and b"Trust level" in page.content


def test_it_is_a_404_for_members_and_outsiders_and_a_login_for_visitors(client_for, member, outsider, person):
    for viewer in (member, outsider):
        assert client_for(viewer).get(panel(person)).status_code == 404
        response = client_for(viewer).post(
            panel(person), {"tool": "suspend", "suspend-period": "7", "suspend-reason": "x"}
        )
        assert response.status_code == 404
    response = Client().get(panel(person))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    person.refresh_from_db()
    assert not person.is_suspended and not ModeratorAction.objects.exists()


def test_group_moderators_are_told_people_are_not_theirs(client_for, person):
    keeper = factories.UserFactory(username="Keeper")
    group = Group.objects.create(name="gardeners")
    Membership.objects.create(group=group, user=keeper, is_moderator=True)
    factories.make_category("Garden", group=group, grants={"gardeners": CategoryGrant.Level.CREATE})
    response = client_for(keeper).get(panel(person))
    assert response.status_code == 403
    assert b"site moderators and staff" in response.content
    assert client_for(keeper).post(panel(person), {"tool": "warn", "warn-message": "Hi"}).status_code == 403
    assert not ModeratorAction.objects.exists()


def test_a_closed_account_has_no_panel(client_for, staff, person):
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client_for(staff).get(panel(person)).status_code == 404


def test_the_profile_links_to_the_panel_for_moderators_only(client_for, moderator, member, person):
    link = f'href="{panel(person)}"'.encode()
    assert link in client_for(moderator).get(person.get_absolute_url()).content
    assert link not in client_for(member).get(person.get_absolute_url()).content


# --- IP addresses ------------------------------------------------------------------------


def test_ips_and_other_accounts_from_them_are_shown_to_staff_only(client_for, moderator, staff, person):
    User.objects.filter(pk=person.pk).update(registration_ip="198.51.100.7", last_ip="203.0.113.9")
    factories.UserFactory(username="Sock One", registration_ip="198.51.100.7")
    factories.UserFactory(username="Sock Two", last_ip="203.0.113.9")
    factories.UserFactory(username="Someone Else", registration_ip="192.0.2.1")
    staff_page = client_for(staff).get(panel(person)).content.decode()
    assert "198.51.100.7" in staff_page and "203.0.113.9" in staff_page
    assert "Sock One" in staff_page and "Sock Two" in staff_page and "Someone Else" not in staff_page
    moderator_page = client_for(moderator).get(panel(person))
    body = moderator_page.content.decode()
    assert "198.51.100.7" not in body and "203.0.113.9" not in body and "Sock One" not in body
    assert "shown to staff only" in body
    assert "same_ip_accounts" not in moderator_page.context


# --- warn --------------------------------------------------------------------------------


def test_a_warning_is_a_private_message_told_as_a_warning_and_logged(client_for, moderator, person):
    response = post_tool(client_for(moderator), person, "warn", message="Please stop insulting people.")
    assert response.status_code == 302
    topic = Topic.objects.get(is_message=True)
    assert topic.user == moderator
    assert topic.posts.get().raw == "Please stop insulting people."
    assert MessageParticipant.objects.filter(topic=topic, user=person).exists()
    assert MessageGroup.objects.filter(topic=topic, group__name="moderators").exists()
    kinds = list(Notification.objects.filter(user=person).values_list("kind", flat=True))
    assert kinds == [Notification.Kind.MOD_WARNING]  # told once, as a warning
    entry = ModeratorAction.objects.get()
    assert (entry.action, entry.actor, entry.subject_user) == ("user_warn", moderator, person)
    assert entry.details == {"message_id": topic.pk}
    # The person reads it.
    assert b"Please stop insulting people." in client_for(person).get(topic.get_absolute_url()).content


def test_an_empty_warning_is_refused_and_sends_nothing(client_for, moderator, person):
    response = post_tool(client_for(moderator), person, "warn", message="   ")
    assert response.status_code == 400
    assert "Write the warning" in response.content.decode()
    assert not Topic.objects.exists() and not ModeratorAction.objects.exists()


# --- silence -----------------------------------------------------------------------------


def test_silencing_for_a_period_tells_the_person_and_logs_it(client_for, moderator, person):
    before = timezone.now()
    response = post_tool(client_for(moderator), person, "silence", period="3", reason="Cool off for a bit")
    assert response.status_code == 302 and response["Location"] == panel(person)
    person.refresh_from_db()
    assert person.is_silenced and person.silence_reason == "Cool off for a bit"
    assert timedelta(days=3) <= person.silenced_until - before < timedelta(days=3, minutes=1)
    assert Notification.objects.filter(user=person, kind=Notification.Kind.SILENCED, actor=None).count() == 1
    entry = ModeratorAction.objects.get(action="user_silence")
    assert entry.reason == "Cool off for a bit" and "until" in entry.details
    page = client_for(moderator).get(panel(person)).content.decode()
    assert "Cool off for a bit" in page and "Lift the silence" in page


def test_silencing_until_a_date(client_for, moderator, person):
    day = timezone.now().date() + timedelta(days=10)
    post_tool(client_for(moderator), person, "silence", period="date", until_date=day.isoformat(), reason="Spam")
    person.refresh_from_db()
    assert person.silenced_until.date() == day


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"period": "3", "reason": ""}, "Say why"),
        ({"period": "date", "until_date": "2020-01-01", "reason": "Old"}, "in the future"),
        ({"period": "date", "until_date": "", "reason": "No date"}, "Choose the date"),
        ({"period": "date", "until_date": "not a date", "reason": "Bad"}, "Enter a valid date"),
        ({"period": "5", "reason": "Odd period"}, "Select a valid choice"),
    ],
)
def test_a_silence_without_a_reason_or_with_a_past_or_missing_date_is_refused(
    client_for, moderator, person, fields, message
):
    response = post_tool(client_for(moderator), person, "silence", **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    # What was typed stays in the form.
    if fields["reason"]:
        assert fields["reason"] in response.content.decode()
    person.refresh_from_db()
    assert person.silenced_until is None and not ModeratorAction.objects.exists()


def test_lifting_a_silence(client_for, moderator, person):
    client = client_for(moderator)
    post_tool(client, person, "silence", period="1", reason="Heated")
    assert post_tool(client, person, "unsilence", reason="Talked it over").status_code == 302
    person.refresh_from_db()
    assert not person.is_silenced
    assert ModeratorAction.objects.filter(action="user_unsilence", reason="Talked it over").exists()


def test_nobody_silences_or_suspends_themselves(client_for, moderator):
    page = client_for(moderator).get(panel(moderator))
    assert page.status_code == 200 and "This is you" in page.content.decode()
    assert b'name="tool" value="silence"' not in page.content
    response = post_tool(client_for(moderator), moderator, "silence", period="1", reason="Me")
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        people.user_silence(actor=moderator, user=moderator, until=timezone.now() + timedelta(days=1), reason="x")
    moderator.refresh_from_db()
    assert moderator.silenced_until is None and not ModeratorAction.objects.exists()


@pytest.mark.parametrize("tool", ["silence", "suspend"])
def test_staff_are_never_silenced_or_suspended(client_for, moderator, staff, tool):
    other_staff = factories.UserFactory(username="Other Staff", is_staff=True)
    for actor in (moderator, staff):
        response = post_tool(client_for(actor), other_staff, tool, period="7", reason="No")
        assert response.status_code == 403
        assert "Staff cannot be" in response.content.decode()
    other_staff.refresh_from_db()
    assert other_staff.silenced_until is None and other_staff.suspended_until is None
    assert not ModeratorAction.objects.exists()


def test_only_staff_act_on_another_moderator(client_for, moderator, staff):
    colleague = factories.UserFactory(username="Colleague", is_moderator=True)
    assert post_tool(client_for(moderator), colleague, "suspend", period="1", reason="No").status_code == 403
    assert post_tool(client_for(staff), colleague, "suspend", period="1", reason="Abuse").status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_suspended


# --- what a silenced person meets --------------------------------------------------------


@pytest.fixture
def silenced(moderator, person):
    people.user_silence(actor=moderator, user=person, until=timezone.now() + timedelta(days=3), reason="Cool off")
    return person


def test_a_silenced_person_is_told_why_and_until_when_on_every_composer(client_for, silenced, topic):
    client = client_for(silenced)
    for url in (f"/t/{topic.pk}/reply", "/new-topic", "/messages/new"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You are silenced until" in response.content.decode() and "Cool off" in response.content.decode()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "You are silenced until" in page and 'id="reply-form"' not in page
    assert "You are silenced until" in client.get(silenced.get_absolute_url()).content.decode()
    assert "You are silenced until" not in client_for(topic.user).get(silenced.get_absolute_url()).content.decode()


def test_a_silenced_persons_reply_is_refused_and_keeps_every_word(client_for, silenced, topic, public_category):
    client = client_for(silenced)
    words = "My carefully written answer, kept."
    response = client.post(f"/t/{topic.pk}/reply", {"raw": words})
    assert response.status_code == 403
    body = response.content.decode()
    assert "You are silenced until" in body and words in body
    response = client.post(
        "/new-topic", {"title": "A title for my topic", "raw": words, "category": public_category.pk}
    )
    assert response.status_code == 403
    assert "You are silenced until" in response.content.decode() and words in response.content.decode()
    member = factories.UserFactory(username="Friend")
    response = client.post("/messages/new", {"to": member.username, "title": "Hello friend", "raw": words})
    assert response.status_code == 400
    assert "You are silenced until" in response.content.decode() and words in response.content.decode()
    # From the topic page's reply box, opened before the silence: the notice in place of the box.
    response = client.post(f"/t/{topic.pk}/reply", {"raw": words}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and response["HX-Retarget"] == "#reply-box"
    assert "You are silenced until" in response.content.decode() and words in response.content.decode()
    assert Post.objects.filter(user=silenced).count() == 0


def test_a_silenced_person_may_still_write_to_the_moderators(client_for, silenced):
    client = client_for(silenced)
    response = client.post("/messages/moderators", {"title": "About my silence", "raw": "Why was I silenced?"})
    assert response.status_code == 302
    assert Topic.objects.filter(is_message=True, user=silenced).exists()


# --- suspend -----------------------------------------------------------------------------


def _signed_in(user) -> Client:
    """A client signed in through the real sign-in form, as a person would be."""
    factories.verify_email(user)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def test_a_suspension_ends_a_real_session_at_once(client_for, moderator, person):
    client = _signed_in(person)
    assert client.get("/notifications").status_code == 200
    assert post_tool(client_for(moderator), person, "suspend", period="7", reason="Harassment").status_code == 302
    response = client.get("/notifications")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    person.refresh_from_db()
    assert person.is_suspended
    assert ModeratorAction.objects.filter(action="user_suspend", subject_user=person).exists()


def test_a_suspended_person_signing_in_is_told_why_and_until_when(client_for, moderator, person):
    factories.verify_email(person)
    post_tool(client_for(moderator), person, "suspend", period="30", reason="Repeated harassment")
    client = Client()
    response = client.post("/accounts/login/", {"login": person.username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your account is suspended until" in body and "Repeated harassment" in body
    assert "_auth_user_id" not in client.session
    assert client.get("/notifications").status_code == 302
    # A wrong password learns nothing of the suspension.
    wrong = Client().post("/accounts/login/", {"login": person.username, "password": "not it"})
    assert "suspended" not in wrong.content.decode() and "Repeated harassment" not in wrong.content.decode()
    # Lifted: the person signs in again.
    assert post_tool(client_for(moderator), person, "unsuspend", reason="").status_code == 302
    assert Client().post("/accounts/login/", {"login": person.username, "password": PASSWORD}).status_code == 302


# --- delete ------------------------------------------------------------------------------


@pytest.fixture
def prolific(person, public_category):
    topic = factories.make_topic(person, public_category, title="Buy cheap watches now", raw="Spam spam")
    other = factories.make_topic(factories.UserFactory(), public_category, title="A real question", raw="Hm?")
    factories.make_reply(person, other, raw="Spam reply")
    return topic, other


def test_moderators_who_are_not_staff_cannot_delete(client_for, moderator, person):
    page = client_for(moderator).get(panel(person))
    assert b'value="delete"' not in page.content
    response = post_tool(client_for(moderator), person, "delete", confirm=person.username, reason="Spam")
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.parametrize("typed", ["", "Troll", "someone else"])
def test_deleting_needs_the_username_typed(client_for, staff, person, typed):
    response = post_tool(client_for(staff), person, "delete", confirm=typed, reason="Spam")
    assert response.status_code == 400
    assert "Troll Person" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.username == "Troll Person"


def test_deleting_with_posts_takes_them_down_and_anonymises_the_account(client_for, staff, person, prolific):
    spam_topic, other = prolific
    client = _signed_in(person)
    response = post_tool(
        client_for(staff), person, "delete", confirm="troll_person", reason="Spammer", delete_posts="on"
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active and person.username.startswith("anon") and person.email == ""
    assert not person.has_usable_password()
    assert Topic.objects.get(pk=spam_topic.pk).deleted_at is not None
    assert not Post.objects.filter(user=person, deleted_at__isnull=True).exists()
    assert Topic.objects.get(pk=other.pk).deleted_at is None
    # Their session ended, their profile is gone, and nothing of them shows on the topic page.
    assert client.get("/notifications").status_code == 302
    assert Client().get("/u/Troll_Person").status_code == 404
    assert b"Spam reply" not in Client().get(other.get_absolute_url()).content
    entry = ModeratorAction.objects.get(action="user_delete")
    assert entry.target_label == "Troll Person" and entry.reason == "Spammer"
    assert entry.details["delete_posts"] is True and entry.details["posts_deleted"] == 2


def test_deleting_without_posts_keeps_them_under_an_anonymous_name(client_for, staff, person, prolific):
    _spam_topic, other = prolific
    post_tool(client_for(staff), person, "delete", confirm="Troll Person", reason="Asked to leave")
    person.refresh_from_db()
    page = Client().get(other.get_absolute_url()).content.decode()
    assert "Spam reply" in page and person.username in page and "Troll Person" not in page
    assert ModeratorAction.objects.get(action="user_delete").target_label == "Troll Person"
    # The log page finds them by their new name.
    log = client_for(staff).get(f"/review/log?subject={person.username}").content.decode()
    assert "Troll Person" in log


def test_user_delete_refuses_staff_and_a_missing_reason(staff, person):
    other_staff = factories.UserFactory(is_staff=True)
    with pytest.raises(ValidationError):
        people.user_delete(actor=staff, user=other_staff, delete_posts=False, reason="x")
    with pytest.raises(ValidationError):
        people.user_delete(actor=staff, user=person, delete_posts=False, reason=" ")
    assert User.objects.filter(is_active=True, pk__in=[other_staff.pk, person.pk]).count() == 2


def test_the_panel_shows_the_persons_recent_log(client_for, moderator, person):
    post_tool(client_for(moderator), person, "silence", period="1", reason="First strike")
    page = client_for(moderator).get(panel(person)).content.decode()
    assert "silenced a person" in page and "First strike" in page
