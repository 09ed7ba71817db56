"""The outgoing and incoming mail together: a notification email sent through the outbox to a real SMTP
sink is read back and answered through the real in-process receiver. Its List-Unsubscribe mailto turns
the setting off; the email itself echoed back is refused as a loop; a reply to it becomes the right post."""

import re
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

import pytest
from django.utils import timezone

from agora.discuss.models import Post
from agora.mail import composing, services
from agora.mail.models import IncomingMail, OutgoingMail
from agora.notifications.models import Notification, NotificationSettings
from agora.notifications.services import notify
from tests import factories
from tests.mail import test_in_receiver as receiving

from .smtp_out import smtp_server, smtp_settings

pytestmark = pytest.mark.django_db

receiver = receiving.receiver  # the real receiver on a free port (a fixture)
send = receiving.send


@pytest.fixture
def notification_email(member, other_member, topic):
    """The reply notification the member is mailed about other_member's answer, as a real SMTP server
    received it from the outbox. Returns (message, the answer)."""
    factories.verify_email(member)
    answer = factories.make_reply(other_member, topic, raw="Use the paperclip under the composer.")
    notify(users=[member], kind=Notification.Kind.REPLIED, actor=other_member, post=answer)
    assert services.notification_mail_sweep(now=timezone.now() + timedelta(minutes=11)) == 1
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 1
    (message,) = smtp.messages
    return message, answer


def mailto_of(message):
    """(address, subject) of the List-Unsubscribe mailto, decoded as a mail client does."""
    mailto = next(p.strip(" <>") for p in message["List-Unsubscribe"].split(",") if "mailto:" in p)
    parts = urlsplit(mailto)
    return parts.path, unquote(parts.query.removeprefix("subject="))


def mail(*, sender, to, subject, body="unsubscribe", **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.net")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def email_when(user):
    return NotificationSettings.objects.filter(user=user).values_list("email_when", flat=True).first()


# --- 1. The List-Unsubscribe mailto ----------------------------------------------------------------


def test_the_unsubscribe_mailto_of_a_sent_email_turns_notification_mail_off(receiver, notification_email, member):
    address, subject = mailto_of(notification_email[0])

    code, text = send(
        receiver, mail_from=member.email, to=address, content=mail(sender=member.email, to=address, subject=subject)
    )

    assert (code, text) == (250, "2.0.0 Unsubscribed from notification emails.")
    assert email_when(member) == NotificationSettings.EmailWhen.NEVER
    log = IncomingMail.objects.get(recipient=address)
    assert log.status == IncomingMail.Status.ACCEPTED and log.user == member and log.post is None


def test_an_unsubscribe_from_another_address_or_with_re_before_it_still_counts(receiver, notification_email, member):
    # The token is the proof (RFC 8058): the mailbox may forward, the client may add "Re:".
    address, subject = mailto_of(notification_email[0])
    message = mail(sender="old.alias@example.net", to=address, subject="Re: " + subject)

    assert send(receiver, mail_from="old.alias@example.net", to=address, content=message)[0] == 250
    assert email_when(member) == NotificationSettings.EmailWhen.NEVER


@pytest.mark.parametrize(
    "subject",
    ["unsubscribe", "Please take me off", "unsubscribe not-a-token", "unsubscribe {token}x"],
    ids=["no-token", "no-keyword", "garbage", "tampered"],
)
def test_an_unsubscribe_without_a_valid_token_is_refused_with_a_reason_and_changes_nothing(
    receiver, notification_email, member, subject
):
    address, good = mailto_of(notification_email[0])
    subject = subject.format(token=good.split()[1])
    before = email_when(member)

    code, text = send(
        receiver, mail_from=member.email, to=address, content=mail(sender=member.email, to=address, subject=subject)
    )

    assert code == 550 and "No valid unsubscribe token in the subject" in text
    assert email_when(member) == before != NotificationSettings.EmailWhen.NEVER
    log = IncomingMail.objects.get(recipient=address)
    assert log.status == IncomingMail.Status.REFUSED and "unsubscribe token" in log.reason


def test_an_auto_reply_to_the_unsubscribe_address_is_refused_and_unsubscribes_nobody(
    receiver, notification_email, member
):
    address, subject = mailto_of(notification_email[0])
    message = mail(sender=member.email, to=address, subject=f"Out of office: {subject}", Auto_Submitted="auto-replied")

    code, text = send(receiver, mail_from=member.email, to=address, content=message)

    assert code == 550 and "Auto-Submitted: auto-replied" in text
    assert email_when(member) != NotificationSettings.EmailWhen.NEVER


# --- 2. Our own mail echoed back -------------------------------------------------------------------


def test_every_queued_message_carries_the_loop_header_and_a_message_id_of_ours(notification_email):
    message, _answer = notification_email
    assert message[composing.LOOP_HEADER] == composing.site_domain()
    assert composing.is_our_message_id(message["Message-ID"])
    digestless = services.mail_enqueue(
        to_address="a@example.net", kind="test", dedupe_key="t", subject="s", text_body="b"
    )
    assert composing.is_our_message_id(digestless.message_id)  # one made for a message that threads under nothing
    assert digestless.headers[composing.LOOP_HEADER] == composing.site_domain()


@pytest.mark.parametrize(
    ("strip", "expected"),
    [
        ((), "came from this site"),
        (("X-Agora-Loop", "Auto-Submitted", "Precedence"), "own Message-ID"),
    ],
    ids=["as-sent", "headers-rewritten-by-a-list"],
)
def test_a_notification_email_echoed_back_to_its_reply_address_is_refused_as_a_loop(
    receiver, notification_email, member, topic, strip, expected
):
    message, _answer = notification_email
    for name in strip:
        del message[name]
    posts = Post.objects.filter(topic=topic).count()

    code, text = send(receiver, mail_from=member.email, to=message["Reply-To"], content=message.as_bytes())

    assert code == 550 and text.startswith("5.4.6") and expected in text
    assert Post.objects.filter(topic=topic).count() == posts
    assert IncomingMail.objects.get().status == IncomingMail.Status.REFUSED


def test_a_members_own_message_id_on_the_site_domain_is_not_a_loop(receiver, notification_email, member, topic):
    # Thunderbird names the sender's domain in its Message-IDs: a member mailing from the site's domain.
    message, _answer = notification_email
    reply = mail(sender=member.email, to=message["Reply-To"], subject="Re: it", body="Thanks, that works.")
    reply.replace_header("Message-ID", f"<0f1e2d3c-4b5a@{composing.site_domain()}>")

    assert send(receiver, mail_from=member.email, to=message["Reply-To"], content=reply)[0] == 250


# --- 3. The round trip -----------------------------------------------------------------------------


def test_a_reply_to_a_sent_notification_becomes_a_post_answering_the_right_post_without_the_quote(
    receiver, notification_email, member, topic
):
    message, answer = notification_email
    quoted = "\n".join(f"> {line}" for line in message.get_body(preferencelist=("plain",)).get_content().splitlines())
    reply = mail(
        sender=f"Member <{member.email}>",
        to=message["Reply-To"],
        subject=f"Re: {message['Subject']}",
        body=f"Thanks, the paperclip was it.\n\nOn Tue, Dec 8, 2026 at 9:14 AM {message['From']} wrote:\n{quoted}\n",
        In_Reply_To=message["Message-ID"],
        References=f"{message['References']} {message['Message-ID']}",
    )

    code, text = send(receiver, mail_from=member.email, to=message["Reply-To"], content=reply)

    assert (code, text) == (250, "2.0.0 Posted.")
    post = Post.objects.filter(topic=topic).order_by("-number").first()
    assert post.user == member and post.reply_to_number == answer.number
    assert post.raw.strip() == "Thanks, the paperclip was it."
    assert not re.search(r"paperclip under|wrote:", post.raw)
    assert IncomingMail.objects.get().post == post
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 1
