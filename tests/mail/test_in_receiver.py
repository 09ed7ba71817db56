"""The inbound receiver end to end: a real aiosmtpd server started here, real mail sent to it with smtplib
(and a raw socket for the 30 MB one), real rows read back. Every refusal says why with its SMTP code and
makes no post; the receiver keeps answering after bad input."""

import asyncio
import concurrent.futures
import re
import smtplib
import socket
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from agora.discuss.models import Post
from agora.mail import inbound, keys
from agora.mail.models import CategoryInbox, IncomingMail, PostMail, ReplyKey
from tests import factories

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def receiver():
    """The receiver on a free port, in a thread of its own, its database work done on this test's
    connection (inside the test's transaction, so nothing needs committing). Yields (host, port)."""
    connection = connections["default"]
    connection.inc_thread_sharing()
    database_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)

    async def run(function, *args):
        def call():
            connections["default"] = connection
            return function(*args)

        return await asyncio.get_running_loop().run_in_executor(database_thread, call)

    loop = asyncio.new_event_loop()
    started = threading.Event()
    state = {}

    def serve():
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(
            loop.create_server(inbound.server_factory(run=run, hostname="agora.test"), "127.0.0.1", 0)
        )
        state["port"] = server.sockets[0].getsockname()[1]
        started.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(5)
    yield "127.0.0.1", state["port"]
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
    database_thread.shutdown()
    connection.dec_thread_sharing()


def send(server, *, mail_from, to, content):
    """One SMTP transaction; returns (code, text) of the first refusal, or of DATA when all was taken."""
    if isinstance(content, EmailMessage):
        content = content.as_bytes()
    content = re.sub(rb"\r?\n", b"\r\n", content)  # smtplib sends bytes as they are: SMTP wants CRLF
    with smtplib.SMTP(*server, timeout=10) as smtp:
        smtp.ehlo("client.example.net")
        code, text = smtp.mail(mail_from)
        if code != 250:
            return code, text.decode()
        code, text = smtp.rcpt(to)
        if code != 250:
            return code, text.decode()
        try:
            code, text = smtp.data(content)
        except smtplib.SMTPDataError as error:
            code, text = error.smtp_code, error.smtp_error
        return code, text.decode()


@pytest.fixture
def ana(member):
    """The member, known by the Gmail sample's verified address."""
    member.email = "ana.souza@gmail.com"
    member.save(update_fields=["email"])
    factories.verify_email(member)
    return member


@pytest.fixture
def moderator_post(moderator, topic):
    return factories.make_reply(moderator, topic, raw="Use the paperclip under the composer.")


@pytest.fixture
def reply_to(ana, topic, moderator_post):
    """Ana's reply address for the moderator's post."""
    return keys.reply_address(keys.reply_key_for(user=ana, topic=topic, post=moderator_post))


def sample(name):
    return (SAMPLES / name).read_bytes()


def reply_mail(sender="ana.souza@gmail.com", body="Thanks, that is what I needed.", **headers):
    message = EmailMessage()
    message["From"] = f"Ana <{sender}>"
    message["To"] = "replies@localhost"
    message["Subject"] = "Re: How do I upload a file?"
    message["Message-ID"] = make_msgid(domain="mail.example.net")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def replies(topic):
    return list(Post.objects.filter(topic=topic, number__gt=1).order_by("number"))


def last_log():
    return IncomingMail.objects.order_by("-id").first()


# --- replies that become posts ---------------------------------------------------------------------


def test_a_gmail_reply_becomes_a_post_by_its_sender_without_the_quote(receiver, reply_to, ana, topic, moderator_post):
    code, text = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=sample("gmail_reply.eml"))

    assert (code, text) == (250, "2.0.0 Posted.")
    post = replies(topic)[-1]
    assert post.user == ana
    assert post.reply_to_number == moderator_post.number
    assert (
        post.raw
        == 'Thanks, that worked! The button is under the composer, next to "Preview".\n\nI uploaded the file as a PDF.'
    )
    assert "wrote" not in post.raw and "paperclip" not in post.raw
    mail = PostMail.objects.get(post=post)
    assert (mail.message_id, mail.source) == ("<CAH9xq1+Zr8bV3kqLpW2mN4t7uE6yJ0sGfT5dQ@mail.gmail.com>", "email")
    log = last_log()
    assert (log.status, log.post, log.user, log.sender) == ("accepted", post, ana, "ana.souza@gmail.com")
    assert ReplyKey.objects.get(user=ana, post=moderator_post).used_at is not None


@pytest.mark.parametrize(
    ("name", "address", "expected"),
    [
        (
            "outlook_reply.eml",
            "jose.garcia@outlook.com",
            "Gracias, ya está resuelto. The paperclip works from the café wifi too.",
        ),
        (
            "apple_mail_reply.eml",
            "mika.virtanen@icloud.com",
            "Kiitos! This is a long line that Apple Mail wraps with a trailing space so it continues on the next "
            "line when it is read as flowed text.",
        ),
    ],
)
def test_outlook_and_apple_mail_replies_lose_their_quotes_and_phone_lines(
    receiver, ana, topic, moderator_post, name, address, expected
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=ana, email=address, verified=True, primary=False)  # any verified address of hers
    to = keys.reply_address(keys.reply_key_for(user=ana, topic=topic, post=moderator_post))

    assert send(receiver, mail_from=address, to=to, content=sample(name))[0] == 250
    assert replies(topic)[-1].raw == expected


def test_a_second_delivery_of_the_same_message_id_does_not_post_twice(receiver, reply_to, topic):
    first = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=sample("gmail_reply.eml"))
    again = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=sample("gmail_reply.eml"))

    assert first == (250, "2.0.0 Posted.")
    assert again == (250, "2.0.0 Already posted.")  # taken, so the MTA stops retrying, but not posted
    assert len(replies(topic)) == 2  # the moderator's and Ana's, once


def test_an_html_only_reply_is_read_as_text_without_its_quote_or_markup(receiver, reply_to, topic):
    message = reply_mail()
    message.set_content(
        "<html><body><p>Works <b>now</b>, see <a href='https://example.org/x'>the guide</a>.</p>"
        "<script>alert(1)</script><blockquote>old words</blockquote></body></html>",
        subtype="html",
    )

    assert send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=message)[0] == 250
    assert replies(topic)[-1].raw == "Works now, see the guide <https://example.org/x>."


def test_a_mail_to_a_category_inbox_starts_a_topic_there(receiver, ana, public_category):
    CategoryInbox.objects.create(category=public_category, address="ask@lists.example.org")
    message = reply_mail(body="Where do I find last year's minutes?\n\n-- \nAna, sent with love")
    message.replace_header("Subject", "Minutes of the 2025 meeting")

    code, _text = send(receiver, mail_from="ana.souza@gmail.com", to="Ask@Lists.example.org", content=message)

    assert code == 250
    post = Post.objects.get(topic__category=public_category, topic__title="Minutes of the 2025 meeting")
    assert (post.number, post.user, post.raw) == (1, ana, "Where do I find last year's minutes?")
    assert PostMail.objects.filter(post=post, message_id=message["Message-ID"]).exists()


# --- refusals at RCPT TO ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("replies+ffffffffffffffffffffffffffffffff@localhost", "Unknown reply address"),
        ("somebody@localhost", "No such recipient here"),
        ("replies@localhost", "No such recipient here"),  # no key
    ],
)
def test_unknown_recipients_are_refused_at_rcpt(receiver, to, expected):
    code, text = send(receiver, mail_from="ana.souza@gmail.com", to=to, content=reply_mail())

    assert code == 550 and text.startswith("5.1.1 ") and expected in text
    assert (last_log().status, last_log().recipient) == ("refused", to)
    assert not Post.objects.filter(number__gt=1).exists()


def test_an_expired_reply_key_is_refused(receiver, reply_to, topic, settings):
    ReplyKey.objects.update(created_at=timezone.now() - timedelta(days=settings.AGORA_REPLY_KEY_DAYS + 1))

    code, text = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=reply_mail())

    assert code == 550 and "expired (older than 90 days)" in text
    assert len(replies(topic)) == 1


def test_one_recipient_per_transaction(receiver, reply_to):
    with smtplib.SMTP(*receiver, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail("ana.souza@gmail.com")
        assert smtp.rcpt(reply_to)[0] == 250
        assert smtp.rcpt(reply_to)[0] == 452  # the MTA sends it again in a transaction of its own


# --- refusals at DATA -----------------------------------------------------------------------------


def refused(receiver, reply_to, topic, content, mail_from="ana.souza@gmail.com"):
    code, text = send(receiver, mail_from=mail_from, to=reply_to, content=content)
    assert len(replies(topic)) == 1, "a refused mail made a post"
    assert last_log().status == "refused" and last_log().reason in text
    return code, text


def test_a_sender_who_is_not_the_keys_person_is_refused(receiver, reply_to, topic, other_member):
    other_member.email = "other@example.org"
    other_member.save(update_fields=["email"])
    factories.verify_email(other_member)  # a member, but not the one the key was made for

    code, text = refused(receiver, reply_to, topic, reply_mail(sender=other_member.email), mail_from=other_member.email)

    assert code == 550 and "not the person this reply address was made for" in text


def test_an_unverified_address_of_the_keys_person_is_refused(receiver, reply_to, topic, ana):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=ana, email="ana@work.example.com", verified=False)

    code, _text = refused(receiver, reply_to, topic, reply_mail(sender="ana@work.example.com"))

    assert code == 550


def test_an_unknown_sender_to_a_category_inbox_is_refused(receiver, public_category):
    CategoryInbox.objects.create(category=public_category, address="ask@lists.example.org")

    code, text = send(
        receiver, mail_from="x@spam.example", to="ask@lists.example.org", content=reply_mail("x@spam.example")
    )

    assert code == 550 and "Unknown sender" in text
    assert not Post.objects.filter(topic__category=public_category).exists()


def test_a_vacation_auto_reply_is_refused(receiver, reply_to, topic):
    code, text = refused(receiver, reply_to, topic, sample("vacation_autoreply.eml"))

    assert code == 550 and "(Auto-Submitted: auto-replied) is not taken" in text


@pytest.mark.parametrize(
    "headers",
    [{"X_Autoreply": "yes"}, {"Precedence": "bulk"}, {"Precedence": "junk"}, {"Precedence": "auto_reply"}],
)
def test_auto_reply_headers_other_than_auto_submitted_are_refused(receiver, reply_to, topic, headers):
    code, text = refused(receiver, reply_to, topic, reply_mail(**headers))

    assert code == 550 and "Automatic" in text


def test_auto_submitted_no_is_a_person_writing(receiver, reply_to, topic):
    assert (
        send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=reply_mail(Auto_Submitted="no"))[0] == 250
    )


def test_a_delivery_status_bounce_is_refused_with_or_without_the_null_sender(receiver, reply_to, topic):
    assert "Bounces" in refused(receiver, reply_to, topic, sample("dsn_bounce.eml"), mail_from="")[1]
    # A report that comes from a real address is still a report.
    code, text = refused(
        receiver,
        reply_to,
        topic,
        sample("dsn_bounce.eml").replace(b"Auto-Submitted", b"X-Was"),
        mail_from="postmaster@example.net",
    )
    assert code == 550 and "Delivery reports" in text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X_Agora_Loop": "yes"}, "came from this site"),
        ({"Received": "from a by b"}, "too many Received"),
    ],
)
def test_mail_loops_are_refused(receiver, reply_to, topic, headers, expected):
    message = reply_mail(**headers)
    if "Received" in headers:
        for _ in range(inbound.MAX_RECEIVED):
            message["Received"] = "from relay.example.net by relay.example.net"

    code, text = refused(receiver, reply_to, topic, message)

    assert code == 550 and text.startswith("5.4.6") and expected in text


def test_our_own_message_id_is_a_loop(receiver, reply_to, topic):
    message = reply_mail()
    message.replace_header("Message-ID", "<topic/41/77@localhost>")  # a post id of ours, on the reply domain

    assert "own Message-ID" in refused(receiver, reply_to, topic, message)[1]


def test_a_reply_that_is_only_quote_and_signature_is_refused_as_empty(receiver, reply_to, topic):
    body = "On Mon, Dec 7, 2026 at 9:14 AM Agora <replies@localhost> wrote:\n> Use the paperclip.\n"

    code, text = refused(receiver, reply_to, topic, reply_mail(body=body))

    assert code == 550 and "empty once quoted text and signatures are removed" in text


def test_a_silenced_or_suspended_sender_is_refused(receiver, reply_to, topic, ana):
    ana.silenced_until = timezone.now() + timedelta(days=1)
    ana.save(update_fields=["silenced_until"])
    assert "silenced" in refused(receiver, reply_to, topic, reply_mail())[1]

    ana.silenced_until = None
    ana.suspended_until = timezone.now() + timedelta(days=1)
    ana.save(update_fields=["silenced_until", "suspended_until"])
    assert "suspended" in refused(receiver, reply_to, topic, reply_mail())[1]


def test_a_reply_to_a_closed_topic_is_refused_by_the_reply_permission(receiver, reply_to, topic):
    topic.closed = True
    topic.save(update_fields=["closed"])

    code, text = refused(receiver, reply_to, topic, reply_mail())

    assert code == 550 and "may not post there" in text


def test_a_new_topic_needs_the_create_permission_and_a_subject(receiver, ana, staff_category, public_category):
    CategoryInbox.objects.create(category=staff_category, address="staff@lists.example.org")
    CategoryInbox.objects.create(category=public_category, address="ask@lists.example.org")
    no_subject = reply_mail()
    no_subject.replace_header("Subject", "  ")

    staff_only = send(receiver, mail_from="ana.souza@gmail.com", to="staff@lists.example.org", content=reply_mail())
    untitled = send(receiver, mail_from="ana.souza@gmail.com", to="ask@lists.example.org", content=no_subject)

    assert staff_only[0] == 550 and "may not post there" in staff_only[1]
    assert untitled[0] == 550 and "needs a subject" in untitled[1]
    assert not Post.objects.filter(topic__category__in=[staff_category, public_category]).exists()


def test_malformed_mime_is_refused_and_the_receiver_keeps_answering(receiver, reply_to, topic):
    broken = (
        b"From: Ana <ana.souza@gmail.com>\r\nSubject: Re: x\r\nMessage-ID: <b1@mail.example.net>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nno boundary anywhere\r\n"
    )

    code, text = refused(receiver, reply_to, topic, broken)

    assert code == 550 and "Malformed MIME" in text
    assert send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=reply_mail())[0] == 250


def test_a_database_failure_is_a_temporary_451_and_the_mail_is_kept_by_the_mta(receiver, reply_to, topic, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(inbound, "deliver", database_down)

    code, text = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=reply_mail())

    assert code == 451 and "try again later" in text
    assert len(replies(topic)) == 1


def test_posting_too_fast_is_a_temporary_451_logged_as_failed(receiver, reply_to, topic, ana, settings):
    factories.make_reply(ana, topic, raw="Just said something on the site.")
    settings.AGORA_POSTING_LIMITS = True  # the site's pace: one post every AGORA_SECONDS_BETWEEN_POSTS

    code, text = send(receiver, mail_from="ana.souza@gmail.com", to=reply_to, content=reply_mail())

    assert code == 451 and text.startswith("4.7.1 Posting too fast")
    assert len(replies(topic)) == 2  # the moderator's and Ana's from the site
    assert last_log().status == "failed"


# --- size ---------------------------------------------------------------------------------------------


def test_a_declared_30_mb_message_is_refused_at_mail_from(receiver, reply_to):
    with smtplib.SMTP(*receiver, timeout=10) as smtp:
        smtp.ehlo()
        code, text = smtp.mail("ana.souza@gmail.com", options=[f"SIZE={30 * 1024 * 1024}"])

    assert code == 552 and b"limit here is 10485760 bytes" in text


def test_a_30_mb_message_streamed_without_a_size_is_refused_with_552(receiver, reply_to, topic):
    line = b"x" * 998 + b"\r\n"
    chunk = line * 1048  # about 1 MB, built once and sent 30 times
    with socket.create_connection(receiver, timeout=20) as sock:
        replies_in = sock.makefile("rb")

        def command(text):
            sock.sendall(text + b"\r\n")
            while True:
                answer = replies_in.readline()
                if answer[3:4] != b"-":
                    return answer

        replies_in.readline()  # greeting
        command(b"EHLO client.example.net")
        assert command(b"MAIL FROM:<ana.souza@gmail.com>").startswith(b"250")
        assert command(f"RCPT TO:<{reply_to}>".encode()).startswith(b"250")
        assert command(b"DATA").startswith(b"354")
        sock.sendall(b"From: Ana <ana.souza@gmail.com>\r\nSubject: big\r\n\r\n")
        for _ in range(30):
            sock.sendall(chunk)
        answer = command(b".")

    assert answer.startswith(b"552 5.3.4 Message too big")
    assert len(replies(topic)) == 1
