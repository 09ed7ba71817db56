"""Mailing-list mode (every post by email, threaded, checked at sending), digests for people away, and
cross-posting to the staff's list addresses (once each)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.blog.models import Story
from agora.mail import keys, services
from agora.mail.composing import topic_message_id
from agora.mail.models import ListAddress, OutgoingMail
from agora.notifications.models import NotificationSettings, Watch, WatchLevel
from tests import factories

from .smtp_out import bodies, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db


def list_mode(user):
    NotificationSettings.objects.update_or_create(user=user, defaults={"mailing_list_mode": True})


def test_every_new_post_is_mailed_threaded_with_a_reply_key(member, other_member, topic):
    list_mode(other_member)
    first = topic.posts.get(number=1)
    assert services.mailing_list_fanout(post_id=first.pk) == 1
    reply = factories.make_reply(member, topic, raw="A reply to the first post.", reply_to_number=1)
    assert services.mailing_list_fanout(post_id=reply.pk) == 1
    assert services.mailing_list_fanout(post_id=reply.pk) == 0  # twice: still one each
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 2
    opening, answer = sorted(smtp.messages, key=lambda m: "Re:" in m["Subject"])
    assert opening["Message-ID"] == topic_message_id(topic.pk)
    assert opening["In-Reply-To"] is None
    assert answer["Subject"].startswith("Re: [Ask here]")
    assert answer["In-Reply-To"] == topic_message_id(topic.pk)  # post 1 is the topic
    assert answer["References"] == topic_message_id(topic.pk)
    assert answer["Precedence"] == "list"
    assert "via" in answer["From"] and member.name in answer["From"]
    assert keys.live_reply_key(keys.key_from_address(answer["Reply-To"])).post_id == reply.pk
    assert "A reply to the first post." in bodies(answer)[0]


def test_not_ones_own_posts_nor_what_the_reader_cannot_see(member, outsider, staff, staff_category):
    list_mode(member)
    list_mode(outsider)
    private = factories.make_topic(staff, staff_category, title="Staff only business")
    assert services.mailing_list_fanout(post_id=private.posts.get(number=1).pk) == 0
    own = factories.make_topic(member, factories.make_category("Open"), title="My own words")
    assert services.mailing_list_fanout(post_id=own.posts.get(number=1).pk) == 1  # the outsider only
    assert list(OutgoingMail.objects.values_list("user_id", flat=True)) == [outsider.pk]


def test_watched_categories_only_when_some_are_watched_and_muted_never(member, other_member):
    watched, other, muted = (factories.make_category(n) for n in ("Watched", "Other", "Muted"))
    list_mode(member)
    Watch.objects.create(user=member, category=watched, level=WatchLevel.WATCHING)
    Watch.objects.create(user=member, category=muted, level=WatchLevel.MUTED)
    for category, expected in ((watched, 1), (other, 0), (muted, 0)):
        topic = factories.make_topic(other_member, category, title=f"In {category.name}")
        assert services.mailing_list_fanout(post_id=topic.posts.get(number=1).pk) == expected, category.name


def test_a_list_mail_for_a_post_moved_away_before_sending_is_dropped(member, other_member, topic, staff_category):
    list_mode(other_member)
    services.mailing_list_fanout(post_id=topic.posts.get(number=1).pk)
    topic.category = staff_category
    topic.save()
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 0
    assert smtp.messages == [] and OutgoingMail.objects.get().status == OutgoingMail.Status.DROPPED


def away(user, days):
    user.last_seen_at = timezone.now() - timedelta(days=days)
    user.save(update_fields=["last_seen_at"])


def test_a_weekly_digest_for_someone_away_names_what_they_may_see(member, outsider, topic, staff, staff_category):
    factories.make_topic(staff, staff_category, title="Staff only business")
    away(outsider, 8)
    assert services.digests_send_due() == 1
    mail = OutgoingMail.objects.get(kind="digest")
    assert topic.title in mail.text_body and topic.title in mail.html_body
    assert "Staff only business" not in mail.text_body
    assert "List-Unsubscribe" in mail.headers
    assert services.digests_send_due() == 0  # not again this week


def test_no_digest_when_nothing_happened_nor_for_the_recent_the_long_gone_or_those_who_said_no(member, topic):
    away(member, 3)
    assert services.digests_send_due() == 0  # visited this week
    away(member, 200)
    assert services.digests_send_due() == 0  # gone too long
    away(member, 8)
    NotificationSettings.objects.create(user=member, digest=NotificationSettings.Digest.NEVER)
    assert services.digests_send_due() == 0
    NotificationSettings.objects.filter(user=member).update(digest=NotificationSettings.Digest.DAILY)
    from agora.discuss.models import Topic

    Topic.objects.update(last_posted_at=timezone.now() - timedelta(days=30))
    assert services.digests_send_due() == 0  # nothing new: no email, but the period starts again
    assert NotificationSettings.objects.get(user=member).digest_sent_at is not None
    assert not OutgoingMail.objects.exists()


def test_a_new_topic_in_a_configured_category_is_cross_posted_once(
    member, public_category, django_capture_on_commit_callbacks
):
    ListAddress.objects.create(address="announce@lists.example.org", category=public_category)
    with django_capture_on_commit_callbacks(execute=True):
        topic = factories.make_topic(member, public_category, title="Wikimania dates announced", raw="In **August**.")
    assert services.crosspost_topic(topic_id=topic.pk) == 0  # once
    mail = OutgoingMail.objects.get(kind="cross_post")
    assert mail.to_address == "announce@lists.example.org"
    assert mail.subject == "Wikimania dates announced"
    assert "In August." in mail.text_body and "<strong>August</strong>" in mail.html_body
    assert topic.get_absolute_url() in mail.text_body


def test_a_published_story_goes_to_the_blogs_lists_once(member, django_capture_on_commit_callbacks):
    ListAddress.objects.create(address="news@lists.example.org", blog=True)
    story = Story.objects.create(
        title="A new community space",
        slug="a-new-community-space",
        lead="We opened it.",
        body_html="<p>Come and see.</p>",
        created_by=member,
        state=Story.State.PUBLISHED,
        published_at=timezone.now(),
    )
    assert services.crosspost_story(story_id=story.pk) == 1
    assert services.crosspost_story(story_id=story.pk) == 0
    mail = OutgoingMail.objects.get(kind="cross_post")
    assert "Come and see." in mail.text_body and "We opened it." in mail.text_body
    assert story.get_absolute_url() in mail.text_body
