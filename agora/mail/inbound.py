"""The inbound mail receiver: an MTA hands each message to it over SMTP or LMTP, and it answers during
the conversation (never by mailing a bounce of its own, so nobody is backscattered): the recipient at
RCPT TO, everything else at DATA. A reply to a reply address becomes a reply in the topic as the key's
person; a mail to a category's inbox address starts a topic there as its sender.

SMTP reply text is 7-bit ASCII read by the MTA (RFC 5321 4.2), so it is in English; the MTA words the
bounce around it. Every message is logged in IncomingMail."""

from __future__ import annotations

import email
import email.policy
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from email.errors import (
    CloseBoundaryNotFoundDefect,
    InvalidMultipartContentTransferEncodingDefect,
    MissingHeaderBodySeparatorDefect,
    MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
)
from email.message import Message
from email.utils import getaddresses
from typing import Any

from allauth.account.models import EmailAddress
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.utils import timezone

from agora import permissions
from agora.core.rate_limits import RateLimited
from agora.discuss import services as discuss_services
from agora.discuss.models import Post

from . import composing
from . import services as mail_services
from .inbound_text import reply_text
from .keys import is_unsubscribe_address, key_from_address
from .models import CategoryInbox, IncomingMail, PostMail, ReplyKey

logger = logging.getLogger(__name__)

MAX_RECEIVED = 25  # more hops than any honest path has: a loop between mail servers
_BROKEN_MIME = (
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
    CloseBoundaryNotFoundDefect,
    MultipartInvariantViolationDefect,
    InvalidMultipartContentTransferEncodingDefect,
    MissingHeaderBodySeparatorDefect,
)
_AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply", "list"}


class Refused(Exception):
    """A message or recipient the receiver will not take: `status` is the whole SMTP reply line."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _refuse(reason: str, enhanced: str = "5.7.1", code: int = 550) -> Refused:
    return Refused(f"{code} {enhanced} {reason}", reason)


@dataclass
class Target:
    """What a recipient address stands for: a reply key (a reply), a category inbox (a new topic) or the
    List-Unsubscribe mailto (turning off what the token in the subject names)."""

    address: str
    reply_key: ReplyKey | None = None
    inbox: CategoryInbox | None = None
    unsubscribe: bool = False


# --- checks at RCPT TO ---------------------------------------------------------------------------


def recipient_target(address: str) -> Target:
    """The reply key or category inbox `address` names, or Refused (550) for anything else."""
    address = address.strip().strip("<>")
    if is_unsubscribe_address(address):
        return Target(address=address, unsubscribe=True)
    key = key_from_address(address)
    if key is not None:
        reply_key = ReplyKey.objects.select_related("user", "topic", "post").filter(key=key).first()
        if reply_key is None:
            raise _refuse("Unknown reply address: reply on the site instead.", "5.1.1")
        if reply_key.created_at < timezone.now() - timedelta(days=settings.AGORA_REPLY_KEY_DAYS):
            raise _refuse(
                f"This reply address has expired (older than {settings.AGORA_REPLY_KEY_DAYS} days): "
                "reply on the site instead.",
                "5.1.1",
            )
        return Target(address=address, reply_key=reply_key)
    inbox = CategoryInbox.objects.select_related("category").filter(address=address.lower()).first()
    if inbox is not None:
        return Target(address=address, inbox=inbox)
    raise _refuse("No such recipient here.", "5.1.1")


# --- checks at DATA ------------------------------------------------------------------------------


def parse_message(content: bytes) -> Message:
    """The parsed message, or Refused (550) when its MIME structure is broken."""
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
        defects = [d for part in message.walk() for d in part.defects]
    except Exception as error:  # the parser's own failures on hostile input: never a crash
        raise _refuse(f"Malformed message: it could not be read ({type(error).__name__}).", "5.6.0") from error
    broken = [d for d in defects if isinstance(d, _BROKEN_MIME)]
    if broken:
        raise _refuse(f"Malformed MIME: {type(broken[0]).__name__}.", "5.6.0")
    return message


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 (a header the parser cannot make sense of: read as absent)
        return ""
    return str(value).strip() if value is not None else ""


def message_id_of(message: Message) -> str:
    return _header(message, "Message-ID")[:500]


def from_address(message: Message) -> str:
    """The first From address, lower-cased, or ""."""
    try:
        values = [str(v) for v in message.get_all("From", [])]
    except Exception:  # noqa: BLE001 (an unreadable From is no From: refused as such)
        return ""
    addresses = [addr for _name, addr in getaddresses(values) if "@" in addr]
    return addresses[0].strip().lower() if addresses else ""


def check_not_automatic(message: Message, mail_from: str) -> None:
    """Refuse bounces, auto-replies and loops (RFC 3834 and the headers vacation responders set)."""
    if mail_from in {"", "<>"}:
        raise _refuse("Bounces (mail from the null sender <>) are not taken here.", "5.7.1")
    # Loops first: our own mail echoed back (by a list or a forwarder) is named as such, whatever else it says.
    if _header(message, composing.LOOP_HEADER):
        raise _refuse("Mail loop: this message came from this site.", "5.4.6")
    if composing.is_our_message_id(message_id_of(message)):
        raise _refuse("Mail loop: this message carries this site's own Message-ID.", "5.4.6")
    if len(message.get_all("Received", [])) > MAX_RECEIVED:
        raise _refuse("Mail loop: too many Received headers.", "5.4.6")
    if message.get_content_type() == "multipart/report" or any(
        part.get_content_type() in {"message/delivery-status", "message/disposition-notification"}
        for part in message.walk()
    ):
        raise _refuse("Delivery reports are not taken here.", "5.7.1")
    # "auto-replied; owner-email=..." or "auto-replied (vacation)": the keyword is what counts.
    auto_submitted = re.sub(r"[;(].*", "", _header(message, "Auto-Submitted")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        raise _refuse(f"Automatic mail (Auto-Submitted: {auto_submitted}) is not taken here.", "5.7.1")
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        raise _refuse("Automatic replies are not taken here.", "5.7.1")
    precedence = _header(message, "Precedence").lower()
    if precedence in _AUTO_PRECEDENCE:
        raise _refuse(f"Automatic mail (Precedence: {precedence}) is not taken here.", "5.7.1")


def _verified_owner(address: str) -> Any:
    found = EmailAddress.objects.select_related("user").filter(email__iexact=address, verified=True).first()
    return found.user if found is not None else None


def sender_for(target: Target, message: Message) -> Any:
    """The person the mail is from: the key's person when From is one of their verified addresses; for a
    category inbox, whoever has From as a verified address. Refused otherwise."""
    sender = from_address(message)
    if not sender:
        raise _refuse("The message has no From address.", "5.7.1")
    if target.reply_key is not None:
        user = target.reply_key.user
        if not EmailAddress.objects.filter(user=user, email__iexact=sender, verified=True).exists():
            raise _refuse(
                "The sender is not the person this reply address was made for: reply from the address "
                "the notification was sent to.",
                "5.7.1",
            )
    else:
        user = _verified_owner(sender)
        if user is None:
            raise _refuse(
                "Unknown sender: only members can post here by mail, from an address verified on the site.",
                "5.7.1",
            )
    if not user.is_active or user.is_suspended:
        raise _refuse("The sender's account is suspended.", "5.7.1")
    if user.is_silenced:
        raise _refuse("The sender's account is silenced and may not post for now.", "5.7.1")
    return user


def _title_from_subject(subject: str) -> str:
    title = re.sub(r"\s+", " ", subject).strip()
    if len(title) < settings.AGORA_TITLE_MIN_LENGTH:
        raise _refuse(
            f"A new topic needs a subject (its title) of at least {settings.AGORA_TITLE_MIN_LENGTH} characters.",
            "5.6.0",
        )
    if len(title) > settings.AGORA_TITLE_MAX_LENGTH:
        raise _refuse(f"The subject is longer than {settings.AGORA_TITLE_MAX_LENGTH} characters.", "5.6.0")
    return title


def _body(message: Message) -> str:
    try:
        raw = reply_text(message)
    except Exception as error:  # content the decoders choke on
        raise _refuse(f"Malformed message: its text could not be read ({type(error).__name__}).", "5.6.0") from error
    if len(raw.strip()) < settings.AGORA_POST_MIN_LENGTH:
        raise _refuse("The message is empty once quoted text and signatures are removed.", "5.6.0")
    if len(raw) > settings.AGORA_POST_MAX_LENGTH:
        raise _refuse(f"The message is longer than {settings.AGORA_POST_MAX_LENGTH} characters.", "5.3.4")
    return raw


def _posting_error(error: Exception) -> Refused:
    if isinstance(error, RateLimited):
        text = " ".join(error.messages).encode("ascii", "replace").decode()
        return _refuse(f"Posting too fast: {text}", "4.7.1", 451)
    if isinstance(error, ValidationError):
        text = " ".join(error.messages).encode("ascii", "replace").decode()
        return _refuse(f"Not posted: {text}", "5.7.1")
    return _refuse("The sender may not post there.", "5.7.1")


@dataclass
class Outcome:
    status: str
    post: Post | None = None


def deliver(*, recipient: str, mail_from: str, content: bytes) -> Outcome:
    """Check a whole message for one recipient and post it; log it either way. Refusals come back as an
    Outcome with a 5xx (or 451 for a rate limit) status; database trouble raises (the caller answers 451)."""
    message_id = ""
    log = IncomingMail(sender=mail_from[:254], recipient=recipient[:254], size=len(content))
    try:
        target = recipient_target(recipient)
        message = parse_message(content)
        message_id = message_id_of(message)
        log.message_id = message_id
        log.subject = _header(message, "Subject")[:1000]
        log.sender = (from_address(message) or mail_from)[:254]
        check_not_automatic(message, mail_from)
        if target.unsubscribe:
            return _unsubscribe(log, message)
        if message_id and PostMail.objects.filter(message_id=message_id).exists():
            return _accepted_twice(log, message_id)
        user = sender_for(target, message)
        log.user = user
        raw = _body(message)
        title = _title_from_subject(_header(message, "Subject")) if target.inbox is not None else ""
        try:
            post = _post(target, user=user, title=title, raw=raw, message_id=message_id)
        except IntegrityError:
            # The same Message-ID delivered twice at once: the other delivery posted it. Else a real error.
            if message_id and PostMail.objects.filter(message_id=message_id).exists():
                return _accepted_twice(log, message_id)
            raise
    except Refused as refusal:
        # A 4xx (posting too fast) is a delay, not a refusal: the MTA delivers it again later.
        log.status = IncomingMail.Status.REFUSED if refusal.status[0] == "5" else IncomingMail.Status.FAILED
        log.reason = refusal.reason[:200]
        log.save()
        return Outcome(refusal.status)
    log.status = IncomingMail.Status.ACCEPTED
    log.post = post
    log.save()
    return Outcome("250 2.0.0 Posted.", post)


_UNSUBSCRIBE_SUBJECT = re.compile(r"\bunsubscribe\s+(\S+)", re.I)
_TURNED_OFF = {
    "notifications": "notification emails",
    "digest": "the digest",
    "mailing_list": "mailing-list mode",
}


def _unsubscribe(log: IncomingMail, message: Message) -> Outcome:
    """The List-Unsubscribe mailto: the subject is `unsubscribe <token>` as our header wrote it (a client's
    "Re:" or the like before it is fine). The signed token says who and what; the sender need not match."""
    found = _UNSUBSCRIBE_SUBJECT.search(_header(message, "Subject"))
    parsed = composing.read_unsubscribe_token(found.group(1)) if found else None
    if parsed is None:
        raise _refuse(
            "No valid unsubscribe token in the subject: send the subject exactly as the unsubscribe link in "
            "the email wrote it, or use the web link.",
            "5.7.1",
        )
    user_id, what = parsed
    if mail_services.unsubscribe(user_id=user_id, what=what) is None:
        raise _refuse("The account this unsubscribe token was made for no longer exists.", "5.1.1")
    log.user_id = user_id
    log.status = IncomingMail.Status.ACCEPTED
    log.reason = f"Unsubscribed from {_TURNED_OFF[what]}."
    log.save()
    return Outcome(f"250 2.0.0 Unsubscribed from {_TURNED_OFF[what]}.")


def _accepted_twice(log: IncomingMail, message_id: str) -> Outcome:
    log.status = IncomingMail.Status.ACCEPTED
    log.reason = "Already posted (same Message-ID)."
    log.post_id = PostMail.objects.filter(message_id=message_id).values_list("post_id", flat=True).first()
    log.save()
    return Outcome("250 2.0.0 Already posted.")


def _post(target: Target, *, user: Any, title: str, raw: str, message_id: str) -> Post:
    with transaction.atomic():
        try:
            if target.reply_key is not None:
                key = target.reply_key
                topic = key.topic
                if not permissions.can(user, "reply", topic):
                    raise PermissionDenied
                post = discuss_services.post_create(
                    user=user, topic=topic, raw=raw, reply_to_number=key.post.number if key.post else None
                )
                ReplyKey.objects.filter(pk=key.pk).update(used_at=timezone.now())
            else:
                assert target.inbox is not None
                category = target.inbox.category
                if not permissions.can(user, "create_topic", category):
                    raise PermissionDenied
                new_topic = discuss_services.topic_create(user=user, category=category, title=title, raw=raw)
                post = Post.objects.get(topic=new_topic, number=1)
        except (PermissionDenied, ValidationError) as error:
            raise _posting_error(error) from error
        if message_id:
            PostMail.objects.create(post=post, message_id=message_id, source=PostMail.Source.EMAIL)
    return post


def log_refused_recipient(*, recipient: str, mail_from: str, reason: str) -> None:
    IncomingMail.objects.create(
        sender=mail_from[:254], recipient=recipient[:254], status=IncomingMail.Status.REFUSED, reason=reason[:200]
    )


# --- the SMTP/LMTP side ---------------------------------------------------------------------------

TEMPORARY_FAILURE = "451 4.3.0 Temporary failure on our side: please try again later."


def _check_recipient(address: str, mail_from: str) -> str:
    try:
        recipient_target(address)
    except Refused as refusal:
        log_refused_recipient(recipient=address, mail_from=mail_from, reason=refusal.reason)
        return refusal.status
    return "250 2.1.5 OK"


def _deliver(recipient: str, mail_from: str, content: bytes) -> str:
    try:
        return deliver(recipient=recipient, mail_from=mail_from, content=content).status
    except DatabaseError:
        raise  # nothing can be logged while the database is away
    except Exception as error:
        IncomingMail.objects.create(
            sender=mail_from[:254],
            recipient=recipient[:254],
            size=len(content),
            status=IncomingMail.Status.FAILED,
            reason=f"{type(error).__name__}: {error}"[:200],
        )
        raise


def _with_fresh_connection(function: Callable[..., str], *args: Any) -> str:
    # A long-running process: drop a connection the database closed (or a broken one) before and after.
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


async def _in_sync_thread(function: Callable[..., str], *args: Any) -> str:
    return await sync_to_async(_with_fresh_connection)(function, *args)


class InboundHandler:
    """aiosmtpd handler: one recipient per transaction (its outcome is the message's), the database work
    in Django's sync thread, any failure of ours a 451 so the MTA keeps the mail and tries again.

    `run(function, *args)` awaits a sync function: by default in Django's sync thread (sync_to_async);
    tests pass one that runs it on their own database connection."""

    def __init__(self, run: Callable[..., Awaitable[str]] | None = None) -> None:
        self.run = run or _in_sync_thread

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list) -> str:
        if envelope.rcpt_tos:
            # One outcome per transaction; the MTA sends the other recipients in the next one.
            return "452 4.5.3 One recipient at a time, please."
        try:
            status = await self.run(_check_recipient, address, envelope.mail_from or "")
        except Exception:
            logger.exception("Inbound mail: the recipient check failed")
            return TEMPORARY_FAILURE
        if status.startswith("250"):
            envelope.rcpt_tos.append(address)
        return status

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or b""
        try:
            return await self.run(_deliver, envelope.rcpt_tos[0], envelope.mail_from or "", content)
        except Exception:
            logger.exception("Inbound mail: delivery failed")
            return TEMPORARY_FAILURE


def max_bytes() -> int:
    return int(settings.AGORA_INBOUND_MAX_BYTES)


def server_class(lmtp: bool = False) -> type:
    from aiosmtpd.lmtp import LMTP
    from aiosmtpd.smtp import SMTP

    base = LMTP if lmtp else SMTP

    class InboundServer(base):  # type: ignore[valid-type,misc]
        """aiosmtpd's server with a size refusal that says what the limit is."""

        async def push(self, status: str) -> None:
            if status.startswith("552 Error"):
                status = f"552 5.3.4 Message too big: the limit here is {max_bytes()} bytes."
            await super().push(status)

    return InboundServer


def server_factory(
    *, lmtp: bool = False, hostname: str | None = None, run: Callable[..., Awaitable[str]] | None = None
) -> Any:
    """A factory of aiosmtpd servers for loop.create_server (or a Controller's factory)."""
    cls = server_class(lmtp)
    handler = InboundHandler(run)

    def make() -> Any:
        return cls(
            handler,
            data_size_limit=max_bytes(),
            enable_SMTPUTF8=True,
            hostname=hostname,
            ident="Agora inbound mail",
        )

    return make
