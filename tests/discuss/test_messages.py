"""Private messages: who sees them (participants and group inboxes, nobody else), that they stay out of
every list and count, the composers and their errors, and anonymous messages to the moderators."""

import pytest
from django.core.exceptions import ValidationError

from agora.discuss import services
from agora.discuss.messages import message_add_participant, message_create, message_leave
from agora.discuss.models import MessageParticipant, Post, Topic
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Qzxmessage about the venue"
SECRET_BODY = "Qzxbody the keys are under the mat"


@pytest.fixture
def sender(db):
    """Has a display name nobody else has, to prove it never shows where it must not."""
    return factories.UserFactory(username="zyxwvsender", display_name="Zyxwv Sender", trust_level=1)


@pytest.fixture
def message(member, other_member):
    return factories.make_message(member, to=[other_member], title=SECRET_TITLE, raw=SECRET_BODY)


@pytest.fixture
def helpers_group(db, other_member):
    group = Group.objects.create(name="helpers", visibility=Group.Visibility.PUBLIC, messageable=Group.Audience.MEMBERS)
    Membership.objects.create(group=group, user=other_member)
    return group


def url_of(topic):
    return f"/t/{topic.slug}/{topic.pk}"


def assert_not_shown(response, *texts):
    content = response.content.decode()
    for text in texts:
        assert text not in content, f"{text!r} shows on {response.request['PATH_INFO']}"


# --- who sees a message ------------------------------------------------------------------


def test_participants_see_the_message(client_for, message, member, other_member):
    for person in (member, other_member):
        response = client_for(person).get(url_of(message))
        assert response.status_code == 200
        assert SECRET_BODY in response.content.decode()
        assert "Messages" in response.content.decode()  # the breadcrumb, in place of a category


def message_urls(topic):
    first = topic.posts.get(number=1)
    return {
        "get": [
            url_of(topic),
            f"/t/{topic.pk}",
            f"/t/-/{topic.pk}/1",
            f"/t/{topic.pk}/reply",
            f"/t/{topic.pk}/reply?quote=1",
            f"/p/{first.pk}/revisions",
            f"/p/{first.pk}/bookmark",
            f"/p/{first.pk}/edit",
            f"/p/{first.pk}/delete",
        ],
        "post": [
            f"/t/{topic.pk}/reply",
            f"/t/{topic.pk}/status",
            f"/p/{first.pk}/like",
            f"/p/{first.pk}/bookmark",
            f"/p/{first.pk}/edit",
            f"/p/{first.pk}/delete",
            f"/p/{first.pk}/restore",
            f"/p/{first.pk}/solve",
            f"/messages/{topic.pk}/add",
            f"/messages/{topic.pk}/leave",
        ],
    }


def test_an_outsider_gets_404_on_the_message_and_every_endpoint_of_its_posts(client_for, message, outsider):
    client = client_for(outsider)
    urls = message_urls(message)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        response = client.post(url, {"raw": "hello there", "username": "Outsider", "status": "closed", "enabled": "1"})
        assert response.status_code == 404, url
    assert not Post.objects.filter(topic=message, number__gt=1).exists()
    assert not MessageParticipant.objects.filter(topic=message, user=outsider).exists()


def test_staff_who_are_not_participants_get_404(client_for, message, staff, moderator):
    for person in (staff, moderator):
        client = client_for(person)
        for url in message_urls(message)["get"]:
            assert client.get(url).status_code == 404, url


def test_visitors_are_sent_to_log_in(client, message):
    for url in ("/messages", "/messages/sent", "/messages/new", "/messages/moderators", "/messages/group/moderators"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get(url_of(message)).status_code == 404


def test_a_group_inbox_message_is_seen_by_its_members(client_for, member, other_member, outsider, helpers_group):
    topic = factories.make_message(member, groups=[helpers_group], title=SECRET_TITLE, raw=SECRET_BODY)
    assert client_for(other_member).get(url_of(topic)).status_code == 200
    assert client_for(outsider).get(url_of(topic)).status_code == 404
    inbox = client_for(other_member).get("/messages/group/helpers")
    assert inbox.status_code == 200 and SECRET_TITLE in inbox.content.decode()
    assert client_for(outsider).get("/messages/group/helpers").status_code == 404


def test_a_member_removed_from_a_group_loses_its_messages_at_once(client_for, member, other_member, helpers_group):
    topic = factories.make_message(member, groups=[helpers_group], title=SECRET_TITLE, raw=SECRET_BODY)
    client = client_for(other_member)
    assert SECRET_TITLE in client.get("/messages").content.decode()
    Membership.objects.filter(group=helpers_group, user=other_member).delete()
    assert client.get(url_of(topic)).status_code == 404
    assert SECRET_TITLE not in client.get("/messages").content.decode()
    assert client.get("/messages/group/helpers").status_code == 404


def test_the_group_inbox_answers_404_to_a_non_member_even_for_a_group_they_see(client_for, member, helpers_group):
    assert client_for(member).get("/messages/group/helpers").status_code == 404
    assert client_for(member).get("/messages/group/moderators").status_code == 404
    assert client_for(member).get("/messages/group/no-such-group").status_code == 404


# --- never in lists ----------------------------------------------------------------------


def test_a_message_never_shows_in_lists_profiles_or_counts(client_for, member, other_member, public_category):
    factories.make_topic(member, public_category, title="A public topic", raw="Public words.")
    topic = factories.make_message(member, to=[other_member], title=SECRET_TITLE, raw=SECRET_BODY)
    factories.make_reply(other_member, topic, raw=SECRET_BODY + " reply")
    for person in (member, other_member):
        client = client_for(person)
        for url in (
            "/",
            "/latest",
            "/top?period=all",
            "/unanswered",
            "/categories",
            f"/c/{public_category.slug}",
            "/tags",
            f"/u/{member.username}",
            f"/u/{member.username}/replies",
            f"/u/{other_member.url_name}",
            f"/u/{other_member.url_name}/replies",
            f"/u/{other_member.url_name}/likes",
        ):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert_not_shown(response, SECRET_TITLE, "Qzxbody")
        counts = client.get(f"/u/{member.username}").context["counts"]
        assert counts == {"topics": 1, "replies": 0}
        counts = client.get(f"/u/{other_member.url_name}").context["counts"]
        assert counts == {"topics": 0, "replies": 0}
        categories = {c.slug: c for c in client.get("/categories").context["categories"]}
        assert categories[public_category.slug].topic_count == 1
        assert categories[public_category.slug].post_count == 1


# --- composing ---------------------------------------------------------------------------


def test_a_member_sends_a_message_from_the_composer(client_for, member, other_member, helpers_group):
    client = client_for(member)
    page = client.get(f"/messages/new?to={other_member.url_name}")
    assert page.status_code == 200 and page.context["form"]["to"].value() == "Другой_участник"
    response = client.post(
        "/messages/new",
        {"to": other_member.username, "groups": "helpers", "title": SECRET_TITLE, "raw": SECRET_BODY},
    )
    topic = Topic.objects.get(title=SECRET_TITLE)
    assert response.status_code == 302 and response["Location"] == url_of(topic)
    assert topic.is_message and topic.category is None
    assert set(topic.participants.values_list("user__username", flat=True)) == {member.username, other_member.username}
    assert list(topic.message_groups.values_list("group__name", flat=True)) == ["helpers"]
    inbox = client_for(other_member).get("/messages").content.decode()
    assert SECRET_TITLE in inbox and member.name in inbox
    sent = client.get("/messages/sent").content.decode()
    assert SECRET_TITLE in sent


def test_the_composer_is_prefilled_with_a_group(client_for, member, helpers_group):
    response = client_for(member).get("/messages/new?group=helpers")
    assert response.context["form"]["groups"].value() == "helpers"


def test_a_profile_has_a_message_button(client_for, member, other_member):
    content = client_for(member).get(other_member.get_absolute_url()).content.decode()
    assert "/messages/new?to=" in content
    assert "/messages/new?to=" not in client_for(member).get(member.get_absolute_url()).content.decode()


def _post_bad(client, url, data):
    before = Topic.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    assert Topic.objects.count() == before
    # The draft survives.
    if data.get("raw"):
        assert data["raw"] in response.content.decode()
    return response


@pytest.mark.parametrize(
    ("to", "groups", "error"),
    [
        ("", "", "Add at least one person or group"),
        ("nobody-by-this-name", "", "Nobody active is called: nobody-by-this-name"),
        ("Member", "", "Add someone other than yourself"),
        ("", "no-such-group", "There is no group called: no-such-group"),
    ],
)
def test_bad_recipients_keep_the_draft_and_send_nothing(client_for, member, to, groups, error):
    response = _post_bad(
        client_for(member), "/messages/new", {"to": to, "groups": groups, "title": SECRET_TITLE, "raw": SECRET_BODY}
    )
    assert error in response.content.decode()


def test_a_hidden_group_answers_exactly_like_an_unknown_name(client_for, member, other_member):
    hidden = Group.objects.create(name="shadow", visibility=Group.Visibility.GROUP, messageable=Group.Audience.MEMBERS)
    Membership.objects.create(group=hidden, user=other_member)
    client = client_for(member)
    data = {"title": SECRET_TITLE, "raw": SECRET_BODY}
    hidden_page = _post_bad(client, "/messages/new", {**data, "groups": "shadow"})
    unknown_page = _post_bad(client, "/messages/new", {**data, "groups": "shadowx"})
    assert hidden_page.context["form"].errors["groups"] == [
        e.replace("shadowx", "shadow") for e in unknown_page.context["form"].errors["groups"]
    ]
    # A member of it may write to it.
    assert client_for(other_member).post("/messages/new", {**data, "groups": "shadow"}).status_code == 302


def test_a_visible_group_that_takes_no_messages_says_so(client_for, member):
    Group.objects.create(name="quiet", visibility=Group.Visibility.PUBLIC, messageable=Group.Audience.NOBODY)
    response = _post_bad(
        client_for(member), "/messages/new", {"groups": "quiet", "title": SECRET_TITLE, "raw": SECRET_BODY}
    )
    assert "You may not send messages to: quiet" in response.content.decode()


def test_an_inactive_recipient_is_refused_like_an_unknown_one(client_for, member, other_member):
    other_member.is_active = False
    other_member.save()
    response = _post_bad(
        client_for(member), "/messages/new", {"to": other_member.username, "title": SECRET_TITLE, "raw": SECRET_BODY}
    )
    assert "Nobody active is called" in response.content.decode()


def test_an_empty_body_or_title_keeps_the_draft(client_for, member, other_member):
    client = client_for(member)
    response = _post_bad(client, "/messages/new", {"to": other_member.username, "title": SECRET_TITLE, "raw": "  "})
    assert "Write something first." in response.content.decode()
    assert SECRET_TITLE in response.content.decode()
    response = _post_bad(client, "/messages/new", {"to": other_member.username, "title": "Hi", "raw": SECRET_BODY})
    assert "A title needs at least" in response.content.decode()


def test_the_service_allows_anonymity_only_to_the_moderators_alone(member, other_member, helpers_group):
    moderators = factories.group("moderators")
    Membership.objects.create(group=helpers_group, user=member)
    for recipients, groups in (
        ([], [helpers_group]),
        ([other_member], [moderators]),
        ([], [moderators, helpers_group]),
    ):
        with pytest.raises(ValidationError, match="anonymously"):
            message_create(
                sender=member, title=SECRET_TITLE, raw=SECRET_BODY, recipients=recipients, groups=groups, anonymous=True
            )
    assert not Topic.objects.filter(is_message=True).exists()


def test_the_service_refuses_a_group_the_sender_may_not_message(member, other_member):
    hidden = Group.objects.create(name="shadow", visibility=Group.Visibility.GROUP)
    with pytest.raises(ValidationError, match="no group called: shadow"):
        message_create(sender=member, title=SECRET_TITLE, raw=SECRET_BODY, recipients=[], groups=[hidden])


def test_the_preview_shows_the_text_and_sends_nothing(client_for, member, other_member):
    response = client_for(member).post(
        "/messages/new", {"to": other_member.username, "title": SECRET_TITLE, "raw": "*shiny*", "preview": "1"}
    )
    assert response.status_code == 200 and "<em>shiny</em>" in response.content.decode()
    assert not Topic.objects.filter(is_message=True).exists()


# --- replies, people, leaving ------------------------------------------------------------


def test_a_reply_notifies_the_other_participants(
    client_for, member, other_member, helpers_group, django_capture_on_commit_callbacks
):
    third = factories.UserFactory(username="Third")
    Membership.objects.create(group=helpers_group, user=third)
    with django_capture_on_commit_callbacks(execute=True):
        topic = factories.make_message(member, to=[other_member], groups=[helpers_group])
    assert Notification.objects.filter(user=other_member, kind="message", actor=member, topic=topic).exists()
    assert Notification.objects.filter(user=third, kind="group_message", actor=member, topic=topic).exists()
    assert not Notification.objects.filter(user=member).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": "Thanks for writing."})
    assert response.status_code == 302
    reply = topic.posts.get(number=2)
    assert not reply.anonymous
    assert set(Notification.objects.filter(kind="message_reply", post=reply).values_list("user", flat=True)) == {
        member.pk,
        third.pk,
    }


def test_a_participant_adds_someone_who_then_sees_the_message(client_for, message, member, outsider):
    client = client_for(member)
    response = client.post(f"/messages/{message.pk}/add", {"username": outsider.username})
    assert response.status_code == 302
    assert client_for(outsider).get(url_of(message)).status_code == 200
    # Twice is refused with a message, and nothing breaks.
    client.post(f"/messages/{message.pk}/add", {"username": outsider.username})
    assert MessageParticipant.objects.filter(topic=message, user=outsider).count() == 1
    # An unknown name adds nobody.
    response = client.post(f"/messages/{message.pk}/add", {"username": "nobody-by-this-name"}, follow=True)
    assert "Nobody active is called" in response.content.decode()


def test_a_participant_leaves_and_the_message_leaves_their_inbox(client_for, message, other_member):
    client = client_for(other_member)
    response = client.post(f"/messages/{message.pk}/leave")
    assert response.status_code == 302 and response["Location"] == "/messages"
    assert SECRET_TITLE not in client.get("/messages").content.decode()
    assert client.get(url_of(message)).status_code == 404


def test_leave_and_add_through_the_services_check_their_rules(message, member, other_member, outsider):
    with pytest.raises(ValidationError):
        message_leave(user=outsider, topic=message)
    inactive = factories.UserFactory(username="Gone", is_active=False)
    with pytest.raises(ValidationError):
        message_add_participant(user=member, topic=message, new_user=inactive)


def test_deleting_a_messages_first_post_goes_back_to_the_inbox(client_for, message, member):
    response = client_for(member).post(f"/p/{message.posts.get(number=1).pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/messages"


# --- anonymous messages to the moderators ------------------------------------------------


@pytest.fixture
def anonymous_message(client_for, sender):
    response = client_for(sender).post(
        "/messages/moderators", {"title": "Someone harasses me", "raw": "Please look at this.", "anonymous": "on"}
    )
    assert response.status_code == 302
    return Topic.objects.get(title="Someone harasses me")


def test_the_moderators_composer_offers_anonymity(client_for, member):
    content = client_for(member).get("/messages/moderators").content.decode()
    assert "Send anonymously: moderators will see what you write, not who you are" in content
    assert 'href="/messages/moderators"' in client_for(member).get("/latest").content.decode()


def test_an_anonymous_message_reaches_the_moderators_without_the_senders_name(
    client_for, anonymous_message, sender, moderator, staff, django_capture_on_commit_callbacks
):
    topic = anonymous_message
    first = topic.posts.get(number=1)
    assert topic.anonymous and first.anonymous
    # The sender edits it (a revision), the moderator replies, the sender answers anonymously.
    sender_client = client_for(sender)
    assert sender_client.post(f"/p/{first.pk}/edit", {"raw": "Please look at this, now."}).status_code == 302
    mod_client = client_for(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert mod_client.post(f"/t/{topic.pk}/reply", {"raw": "We are looking."}).status_code == 302
        assert sender_client.post(f"/t/{topic.pk}/reply", {"raw": "Thank you, mods."}).status_code == 302
    answer = topic.posts.get(number=3)
    assert answer.anonymous and answer.user == sender
    names = (sender.username, sender.display_name, "Zyxwv", "zyxwv")
    for person in (moderator, staff):
        client = client_for(person)
        pages = [
            url_of(topic),
            f"/t/{topic.pk}/reply?quote=1",
            f"/t/{topic.pk}/reply?quote=3",
            f"/p/{first.pk}/revisions",
            "/messages",
            "/messages/group/moderators",
            "/notifications",
            f"/admin/discuss/topic/{topic.pk}/change/",
            f"/admin/discuss/post/{first.pk}/change/",
            "/admin/discuss/topic/",
            "/admin/discuss/post/",
        ]
        for url in pages:
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), url
            assert_not_shown(response, *names)
        page = client.get(url_of(topic)).content.decode()
        assert "Please look at this, now." in page and "Thank you, mods." in page and "Anonymous" in page
    # The moderators were told, without an actor.
    told = Notification.objects.filter(post=answer)
    assert set(told.values_list("user", flat=True)) == {moderator.pk, staff.pk}
    assert not told.exclude(actor=None).exists()
    assert not Notification.objects.filter(topic=topic, actor=sender).exists()


def test_the_anonymous_sender_sees_their_message_and_the_replies(client_for, anonymous_message, sender, moderator):
    factories.make_reply(moderator, anonymous_message, raw="We are looking into it.")
    client = client_for(sender)
    page = client.get(url_of(anonymous_message)).content.decode()
    assert "You (anonymous)" in page and "We are looking into it." in page
    assert "Someone harasses me" in client.get("/messages").content.decode()
    # The sender does not read the moderators' inbox.
    assert client.get("/messages/group/moderators").status_code == 404


def test_quoting_an_anonymous_post_does_not_reveal_the_name(client_for, anonymous_message, sender, moderator):
    client = client_for(moderator)
    draft = client.get(f"/t/{anonymous_message.pk}/reply?quote=1").context["form"].initial["raw"]
    assert draft.startswith('[quote="Anonymous, post:1')
    client.post(f"/t/{anonymous_message.pk}/reply", {"raw": draft + "Noted."})
    quoted = anonymous_message.posts.get(number=2)
    assert sender.username not in quoted.html and "Zyxwv" not in quoted.html
    assert "Anonymous" in quoted.html
    # The sender quoting themselves stays anonymous too.
    draft = client_for(sender).get(f"/t/{anonymous_message.pk}/reply?quote=1").context["form"].initial["raw"]
    assert sender.username not in draft


def test_a_moderators_bookmark_of_an_anonymous_post_shows_no_name(client_for, anonymous_message, moderator):
    post = anonymous_message.posts.get(number=1)
    services.bookmark_set(user=moderator, post=post)
    response = client_for(moderator).get("/bookmarks")
    assert "Someone harasses me" in response.content.decode()
    assert_not_shown(response, "Zyxwv", "zyxwvsender")


def test_a_named_message_to_the_moderators_shows_the_sender(client_for, sender, moderator):
    client_for(sender).post("/messages/moderators", {"title": "A named question", "raw": "Hello there."})
    topic = Topic.objects.get(title="A named question")
    assert not topic.anonymous
    assert "Zyxwv Sender" in client_for(moderator).get(url_of(topic)).content.decode()


# --- query budget ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_inbox_holds_its_query_budget(
    client_for, member, other_member, helpers_group, count, django_assert_max_num_queries
):
    Membership.objects.create(group=helpers_group, user=member)
    for n in range(count):
        factories.make_message(other_member, to=[member], groups=[helpers_group] if n % 2 else [], title=f"Message {n}")
    client = client_for(member)
    client.get("/messages")  # warm the session
    # Session, user, the topics, their participants with users, their groups, read state, the inbox tabs,
    # the viewer's memberships (to name only groups they may know of); and what base.html needs for every
    # signed-in page (the notifications badge and its access check).
    with django_assert_max_num_queries(10):
        response = client.get("/messages")
    assert response.status_code == 200
    assert len(response.context["topics"]) == min(count, 30)


def test_the_anonymous_sender_replies_through_htmx_and_sees_you_anonymous(client_for, anonymous_message, sender):
    response = client_for(sender).post(
        f"/t/{anonymous_message.pk}/reply", {"raw": "One more thing."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "You (anonymous)" in content and "Zyxwv" not in content
    assert anonymous_message.posts.get(number=2).anonymous


def test_a_message_page_lists_its_people_and_offers_add_and_leave(client_for, message, member, other_member):
    content = client_for(other_member).get(url_of(message)).content.decode()
    assert member.name in content and other_member.name in content
    assert f'action="/messages/{message.pk}/add"' in content
    assert f'action="/messages/{message.pk}/leave"' in content
    assert '<a class="category-link" href="/messages">' in content


def test_nobody_can_be_added_to_an_anonymous_message_so_names_cannot_be_probed(
    client_for, anonymous_message, sender, moderator
):
    client = client_for(moderator)
    assert f"/messages/{anonymous_message.pk}/add" not in client.get(url_of(anonymous_message)).content.decode()
    response = client.post(f"/messages/{anonymous_message.pk}/add", {"username": sender.username}, follow=True)
    assert "Nobody can be added to an anonymous conversation" in response.content.decode()
    assert_not_shown(response, "Zyxwv", "zyxwvsender")
    with pytest.raises(ValidationError):
        message_add_participant(user=moderator, topic=anonymous_message, new_user=factories.UserFactory())
