"""Notification emails: after the delay, one email per person for a burst, only what they may still see,
in their language, with the post, a link, a reply key, threading and one-click unsubscribe headers."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from agora.mail import keys, services
from agora.mail.composing import read_unsubscribe_token, topic_message_id
from agora.mail.models import OutgoingMail
from agora.notifications.models import Notification, NotificationSettings
from agora.notifications.services import notify
from tests import factories

from .smtp_out import bodies, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=11)


def replied(reader, author, topic, raw="A careful answer with **bold** words."):
    post = factories.make_reply(author, topic, raw=raw)
    (n,) = notify(users=[reader], kind=Notification.Kind.REPLIED, actor=author, post=post)
    return n


def choose(user, **choices):
    NotificationSettings.objects.update_or_create(user=user, defaults=choices)


def test_nothing_is_mailed_before_the_delay(member, other_member, topic):
    replied(member, other_member, topic)
    assert services.notification_mail_sweep() == 0
    assert not OutgoingMail.objects.exists()
    assert Notification.objects.get().emailed_at is None


def test_a_burst_becomes_one_email_with_every_post_sent_through_smtp(member, other_member, topic):
    for raw in ["First answer here.", "Second answer here.", "Third answer here."]:
        replied(member, other_member, topic, raw)
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0  # settled: never twice
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 1
    (message,) = smtp.messages
    text, html = bodies(message)
    assert message["To"] == member.email
    assert "3 new notifications" in message["Subject"]
    for raw in ["First answer here.", "Second answer here.", "Third answer here."]:
        assert raw in text and raw in html
    assert "http://" in text and "/t/" in text  # links back
    assert message["Auto-Submitted"] == "auto-generated"


def test_one_reply_carries_reply_key_threading_list_id_and_one_click_unsubscribe(member, other_member, topic):
    n = replied(member, other_member, topic)
    services.notification_mail_sweep(now=timezone.now() + LATER)
    with smtp_server() as smtp, smtp_settings(smtp.port):
        services.outbox_send_due()
    (message,) = smtp.messages
    key = keys.key_from_address(message["Reply-To"])
    assert keys.live_reply_key(key).post_id == n.post_id
    assert message["In-Reply-To"] == topic_message_id(topic.pk)
    assert message["References"] == topic_message_id(topic.pk)
    assert message["Message-ID"] == f"<topic/{topic.pk}/{n.post_id}@127.0.0.1>"
    assert topic.category.slug in message["List-Id"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link, mailto = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
    assert link.startswith("http") and mailto.startswith("mailto:")
    assert read_unsubscribe_token(link.rsplit("/", 1)[1]) == (member.pk, "notifications")
    text, html = bodies(message)
    assert "A careful answer with bold words." in text  # plain text, not Markdown or HTML
    assert "<strong>bold</strong>" in html


def test_a_post_moved_to_a_private_category_after_the_notification_is_not_mailed(
    member, other_member, topic, staff_category
):
    replied(member, other_member, topic)
    topic.category = staff_category
    topic.save()
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    assert not OutgoingMail.objects.exists()
    assert Notification.objects.get().emailed_at is not None  # settled, never mailed


def test_a_post_moved_away_between_queueing_and_sending_is_dropped(member, other_member, topic, staff_category):
    replied(member, other_member, topic)
    services.notification_mail_sweep(now=timezone.now() + LATER)
    topic.category = staff_category
    topic.save()
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 0
    assert smtp.messages == []
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.DROPPED


def test_away_means_not_about_what_came_before_their_last_visit(member, other_member, topic):
    replied(member, other_member, topic)
    member.last_seen_at = timezone.now() + timedelta(minutes=1)
    member.save(update_fields=["last_seen_at"])
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    choose(member, email_when=NotificationSettings.EmailWhen.ALWAYS)
    replied(member, other_member, topic)
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 1


def test_never_means_never_and_read_ones_are_not_mailed(member, other_member, topic):
    choose(member, email_when=NotificationSettings.EmailWhen.NEVER)
    replied(member, other_member, topic)
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    choose(other_member, email_when=NotificationSettings.EmailWhen.ALWAYS)
    (n,) = notify(users=[other_member], kind=Notification.Kind.REPLIED, actor=member, post=topic.posts.first())
    Notification.objects.filter(pk=n.pk).update(read_at=timezone.now())
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    assert not OutgoingMail.objects.exists()


def test_likes_stay_in_the_page(member, other_member, topic):
    notify(users=[member], kind=Notification.Kind.LIKED, actor=other_member, post=topic.posts.first())
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    assert Notification.objects.get().emailed_at is not None


def test_the_email_is_in_the_readers_interface_language(member, other_member, topic):
    member.interface_language = "fr"
    member.save(update_fields=["interface_language"])
    post = factories.make_reply(other_member, topic, raw="Bonjour @Member")
    notify(users=[member], kind=Notification.Kind.MENTIONED, actor=other_member, post=post)
    services.notification_mail_sweep(now=timezone.now() + LATER)
    with translation.override("fr"):
        label = str(Notification.Kind.MENTIONED.label)
    assert label != "mentioned you"  # the French catalogue has it
    mail = OutgoingMail.objects.get()
    assert label in mail.subject and label in mail.text_body
    assert 'lang="fr"' in mail.html_body


def test_mailing_list_mode_means_no_second_mail_about_the_same_post(member, other_member, topic):
    choose(member, mailing_list_mode=True, email_when=NotificationSettings.EmailWhen.ALWAYS)
    n = replied(member, other_member, topic)
    assert services.mailing_list_fanout(post_id=n.post_id) == 1
    assert services.notification_mail_sweep(now=timezone.now() + LATER) == 0
    assert list(OutgoingMail.objects.values_list("kind", flat=True)) == ["mailing_list"]


@override_settings(AGORA_NOTIFICATION_EMAIL_DELAY_MINUTES=10)
def test_the_sweep_takes_a_fixed_number_of_queries_per_person(
    member, other_member, outsider, topic, django_assert_max_num_queries
):
    for reader in (member, outsider):
        for _ in range(3):
            replied(reader, other_member, topic)
    # About nine per person (their settings, the permission filter, the claim, the reply key, the row), and
    # none per notification: three each here.
    with django_assert_max_num_queries(4 + 9 * 2):
        assert services.notification_mail_sweep(now=timezone.now() + LATER) == 2


def test_a_post_that_mentions_and_quotes_the_reader_is_shown_once(member, other_member, topic):
    post = factories.make_reply(other_member, topic, raw="Quoting and mentioning @Member at once.")
    notify(users=[member], kind=Notification.Kind.MENTIONED, actor=other_member, post=post)
    notify(users=[member], kind=Notification.Kind.QUOTED, actor=other_member, post=post)
    services.notification_mail_sweep(now=timezone.now() + LATER)
    mail = OutgoingMail.objects.get()
    assert mail.text_body.count("Quoting and mentioning") == 1
    assert mail.post_id == post.pk and "Reply-To" in mail.headers  # one post: threaded, with a reply key
