"""Import a mailing list's archive (an mbox file, a Google Groups takeout, or a folder of Mailman/pipermail
monthly .txt / .txt.gz archives) into a category: each thread a topic, each message a post.

- The whole archive is read first (Python's `mailbox` and `email`), then written message by message in
  date order, each in its own transaction (`Report.run_item`): a message that cannot be imported is
  reported with the reason and the others go on.
- Threads come from In-Reply-To and References (also to posts already here: a later month's archive
  joins the topics of an earlier one), then Gmail's thread id (X-GM-THRID, in takeouts), then the
  subject: a reply ("Re: ...") whose parent is missing joins the latest thread with the same subject
  (list tag and "Re:"/"Fwd:" stripped) if that thread was active within SUBJECT_WINDOW.
- Idempotent: each post's Message-ID is kept in mail.PostMail (source=import), and a message already
  there is counted and skipped; a message with no Message-ID gets a stable one made from a hash of its
  sender, date, subject and body. The Message-ID also lets later mail thread to imported posts.
- Authors: an address a member has verified is that member; any other becomes a placeholder person
  (importers.models.PlaceholderPerson: inactive, no usable password, a name from the display name) whose
  posts move to whoever later verifies the address (importers.claims).
- Headers are RFC 2047-decoded; bodies decoded from quoted-printable/base64 and from their charset (an
  undeclared or wrong one falls back to UTF-8, then cp1252, then latin-1); an HTML-only message is
  turned into Markdown; quoted text stays as Markdown quotes; attachments are stored under media and
  linked from the post, up to a size cap.
- Nothing notifies or mails anyone and new members' limits do not apply: posts are written with
  discuss.services.post_import (no hooks), and only the search index is told.
"""

from __future__ import annotations

import gzip
import hashlib
import mailbox
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.discuss import services as discuss_services
from agora.discuss.models import Category, Post, Topic
from agora.mail.models import PostMail
from agora.search import tasks as search_tasks

from .models import PlaceholderPerson
from .report import Report, SkipItem
from .wordpress import html_to_markdown, make_username

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SUBJECT_WINDOW = timedelta(days=30)
MESSAGE_ID_MAX = 500  # mail.PostMail.message_id
TITLE_MAX = 255
# Stored attachments are served from our own domain: kinds a browser would run as a page are kept as text.
_RISKY_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mjs", ".mht", ".mhtml"}


class MboxError(Exception):
    """The path holds no archive we can read: the message says why, for a person."""


# --- Finding and reading the archive -------------------------------------------------------------

_ARCHIVE_SUFFIXES = (".txt", ".txt.gz", ".mbox", ".mbox.gz", ".gz")


def archive_files(path: Path) -> list[Path]:
    """The mbox files to read: the file itself, or a folder's archives in name order (pipermail names its
    months 2024-January.txt.gz..., so name order is not date order; messages are sorted by date anyway)."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(_ARCHIVE_SUFFIXES))
        if not files:
            raise MboxError("the folder holds no .txt, .txt.gz or .mbox archive.")
        return files
    raise MboxError("no such file or folder.")


def _raw_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, the message's bytes with its "From " line first) for each message of one mbox file."""
    temporary: Path | None = None
    source = path
    try:
        if path.name.lower().endswith(".gz"):
            # mailbox reads a file by path: a gzipped month is unpacked to a temporary file first.
            with tempfile.NamedTemporaryFile(prefix="agora-mbox-", suffix=".mbox", delete=False) as unpacked:
                temporary = source = Path(unpacked.name)
                try:
                    with gzip.open(path, "rb") as packed:
                        shutil.copyfileobj(packed, unpacked)
                except (OSError, EOFError) as error:
                    raise MboxError(f"{path.name}: not a readable gzip file ({error}).") from None
        with open(source, "rb") as stream:
            head = stream.read(5)
        if head and head != b"From ":
            raise MboxError(f"{path.name}: not an mbox file (it should start with a “From ” line).")
        box = mailbox.mbox(str(source), create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                with box.get_file(key, from_=True) as message_file:
                    yield f"{path.name} #{number}", message_file.read()
        finally:
            box.close()
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


# --- Decoding ------------------------------------------------------------------------------------


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes: the declared charset if it decodes them, else UTF-8, cp1252, latin-1 (never fails).
    iso-8859-1 is read as cp1252, as browsers do: mail that says latin-1 is often Windows' superset."""
    tried = []
    if charset:
        charset = charset.strip().strip('"').lower()
        if charset in {"iso-8859-1", "latin-1", "latin1"}:
            tried.append("cp1252")
        elif charset not in {"us-ascii", "ascii"}:  # 8-bit text that says ascii: UTF-8 is likelier
            tried.append(charset)
    for encoding in [*tried, "utf-8", "cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _unsurrogate(text: str) -> str:
    """8-bit bytes in a header (no RFC 2047) reach us as surrogate escapes: decode them as a body would be."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return decode_bytes(text.encode("utf-8", "surrogateescape"))
    return text


def decode_header_text(raw: str | None) -> str:
    """An RFC 2047 header ("=?iso-8859-1?q?Ol=E1?=") as one line of text."""
    if not raw:
        return ""
    raw = _unsurrogate(str(raw))
    try:
        text = str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, TypeError, AssertionError):
        text = raw
    return " ".join(_unsurrogate(text).split())


def _header(message: EmailMessage, name: str) -> str:
    """A header's raw value (not parsed by the policy, which can refuse malformed ones), decoded."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return decode_header_text(value)
    return ""


_ID_RE = re.compile(r"<([^<>\s]+)>")
_OBFUSCATED_RE = re.compile(r"([^\s()<>\"]+) at ((?:[\w-]+\.)+[A-Za-z]{2,})", re.IGNORECASE)
_LIST_TAG_RE = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")
_REPLY_PREFIX_RE = re.compile(r"^\s*(?:re|aw|sv|vs|antw|odp|rif|r|fwd?|wg|tr)(?:\[\d+\])?\s*:\s*", re.IGNORECASE)


def message_ids(value: str) -> list[str]:
    """The <ids> in a Message-ID, In-Reply-To or References header, in order."""
    return _ID_RE.findall(value or "")


def sender(value: str) -> tuple[str, str]:
    """(display name, lower-cased address) of a From header; pipermail's "ana at example.org" decoded."""
    if "@" not in value:
        value = _OBFUSCATED_RE.sub(r"\1@\2", value)
    name, address = parseaddr(value)
    address = address.strip().lower()
    if "@" not in address:
        address = ""
    name = name.strip().strip("'\"").strip()
    return name, address


def clean_subject(subject: str) -> str:
    """The subject without the list's [tag] (at the start, or after a "Re:")."""
    subject = _LIST_TAG_RE.sub("", subject)
    match = _REPLY_PREFIX_RE.match(subject)
    if match and _LIST_TAG_RE.match(subject[match.end() :]):
        subject = subject[: match.end()] + _LIST_TAG_RE.sub("", subject[match.end() :])
    return subject.strip()


def subject_key(subject: str) -> tuple[str, bool]:
    """(the subject as threads compare it, whether it said it was a reply): list tags and every "Re:",
    "Aw:", "Fwd:"... stripped, case and spaces folded."""
    was_reply = False
    previous = None
    while previous != subject:
        previous = subject
        subject = _LIST_TAG_RE.sub("", subject)
        match = _REPLY_PREFIX_RE.match(subject)
        if match:
            was_reply = True
            subject = subject[match.end() :]
    return " ".join(subject.casefold().split()), was_reply


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.year < 1970:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _from_line_date(from_line: str) -> datetime | None:
    """The mbox "From ana@example.org  Mon Jan  5 10:00:00 2026" line's date (UTC by convention)."""
    # Takeouts put a zone ("+0000") before the year; classic mbox has none.
    parts = [p for p in from_line.split()[2:] if not re.fullmatch(r"[+-]\d{4}", p)]
    if len(parts) < 5:
        return None
    try:
        parsed = datetime.strptime(" ".join(parts[-5:]), "%a %b %d %H:%M:%S %Y")  # noqa: DTZ007 - UTC below
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


# --- Bodies --------------------------------------------------------------------------------------


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def _safe_filename(name: str, content_type: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.-]+", "-", name, flags=re.ASCII).strip(".-")[:100] or "attachment"
    if "." not in name:
        name += {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(content_type, ".bin")
    if Path(name).suffix.lower() in _RISKY_SUFFIXES:
        name += ".txt"
    return name


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset()).replace("\r\n", "\n").replace("\r", "\n")


def body_and_attachments(message: EmailMessage) -> tuple[str, list[Attachment]]:
    """The message's text (its plain parts, else its HTML parts as Markdown) and its attachments."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        try:
            filename = decode_header_text(part.get_filename() or "")
        except (LookupError, ValueError, TypeError):
            filename = ""
        disposition = part.get_content_disposition()
        if (
            disposition == "attachment"
            or part.get_content_maintype() != "text"
            or (filename and content_type not in {"text/plain", "text/html"})
        ):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                attachments.append(Attachment(filename or "attachment", content_type, data))
        elif content_type == "text/html":
            html.append(_part_text(part))
        else:
            plain.append(_part_text(part))
    text = "\n\n".join(t.strip("\n") for t in plain if t.strip())
    if not text and html:
        text = "\n\n".join(html_to_markdown(h) for h in html if h.strip())
        return text.strip(), attachments
    return text_to_markdown(text), attachments


_SETEXT_OR_RULE_RE = re.compile(r"^(\s*)([-=_*]\s*){2,}$")
_HARD_WRAP = 60  # a line this long was most likely wrapped by the mail program, not ended by the writer


def text_to_markdown(text: str) -> str:
    """A plain mail body as Markdown that looks like it: quotes ("> ") stay quotes (kept whole, as
    archives keep them), a short line followed by another keeps its line break (signatures, addresses,
    lists), long wrapped lines flow into paragraphs; a line that would become a heading is escaped."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    out = []
    for index, line in enumerate(lines):
        bare = line.lstrip(">").lstrip()
        prefix = line[: len(line) - len(bare)]
        if bare.startswith("#") or _SETEXT_OR_RULE_RE.match(bare):
            line = f"{prefix}\\{bare}"  # "-- " (a signature) or "=====" would make the line above a heading
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if bare and following.lstrip(">").strip() and len(line) < _HARD_WRAP:
            line += "  "  # a hard line break
        out.append(line)
    return "\n".join(out).strip("\n")


def stable_message_id(sender_address: str, date: str, subject: str, body: str) -> str:
    """A Message-ID for a message that has none: the same message in a second run gets the same one."""
    digest = hashlib.sha256("\x00".join([sender_address, date, subject, body]).encode("utf-8")).hexdigest()
    return f"mbox-{digest[:40]}@import.invalid"


# --- One message ---------------------------------------------------------------------------------


@dataclass
class ArchivedMessage:
    label: str
    message_id: str
    parents: list[str]  # References then In-Reply-To: the nearest parent last
    date: datetime
    subject: str  # decoded, the list's tag stripped
    thread_subject: str  # subject_key()
    says_reply: bool
    name: str
    email: str
    body: str
    attachments: list[Attachment]
    gmail_thread: str = ""


def parse_message(label: str, raw: bytes) -> ArchivedMessage:
    """One message of the archive, or SkipItem saying why it cannot be imported."""
    from_line, _newline, rest = raw.partition(b"\n")
    if not from_line.startswith(b"From "):
        from_line, rest = b"", raw
    message = message_from_bytes(rest, policy=policy.default)
    if not isinstance(message, EmailMessage) or not list(message.raw_items()):
        raise SkipItem("it is not an email message (no headers)")
    date = _parse_date(_header(message, "Date")) or _from_line_date(decode_bytes(from_line))
    if date is None:
        raise SkipItem("it has no date that can be read")
    subject = clean_subject(_header(message, "Subject"))
    thread_subject, says_reply = subject_key(subject)
    name, email = sender(_header(message, "From"))
    if not email and not name:
        raise SkipItem("it has no sender (From:)")
    try:
        body, attachments = body_and_attachments(message)
    except (LookupError, ValueError, TypeError, AssertionError) as error:
        raise SkipItem(f"its MIME structure cannot be read ({type(error).__name__})") from None
    if not body.strip() and not attachments:
        raise SkipItem("it is empty")
    ids = message_ids(_header(message, "Message-ID"))
    message_id = ids[0] if ids and len(ids[0]) <= MESSAGE_ID_MAX else ""
    if not message_id:
        message_id = stable_message_id(email or name, _header(message, "Date"), subject, body)
    references = message_ids(_header(message, "References"))
    in_reply_to = message_ids(_header(message, "In-Reply-To"))
    parents = [p for p in [*references, *in_reply_to] if p != message_id]
    return ArchivedMessage(
        label=label,
        message_id=message_id,
        parents=parents,
        date=date,
        subject=subject,
        thread_subject=thread_subject,
        says_reply=says_reply,
        name=name,
        email=email,
        body=body,
        attachments=attachments,
        gmail_thread=_header(message, "X-GM-THRID"),
    )


# --- Importing -----------------------------------------------------------------------------------


@dataclass
class Summary(Report):
    files: int = 0
    threads_created: int = 0
    posts_created: int = 0
    posts_existing: int = 0
    people_matched: int = 0
    placeholders_created: int = 0
    placeholders_reused: int = 0
    attachments_kept: int = 0
    attachments_too_large: int = 0
    placeholder_names: list[str] = field(default_factory=list)


@dataclass
class _Thread:
    topic_id: int | None = None
    last_date: datetime | None = None


class MboxImporter:
    def __init__(
        self,
        *,
        category: Category,
        progress: Callable[[int, int], None] | None = None,
        attachment_max_bytes: int = ATTACHMENT_MAX_BYTES,
        subject_window: timedelta = SUBJECT_WINDOW,
    ) -> None:
        self.category = category
        self.progress = progress
        self.attachment_max_bytes = attachment_max_bytes
        self.subject_window = subject_window
        self.summary = Summary()
        self._people: dict[str, User] = {}
        self._threads: dict[str, _Thread] = {}  # message id -> its thread
        self._numbers: dict[str, tuple[int, int]] = {}  # message id -> (topic id, post number)
        self._by_subject: dict[str, _Thread] = {}
        self._by_gmail_thread: dict[str, _Thread] = {}
        # What a message's transaction found out, applied to the maps above only once it went in: a
        # message rolled back (skipped) leaves no person, thread or number behind that is not in the database.
        self._pending: list[Callable[[], None]] = []

    def read(self, path: Path) -> list[ArchivedMessage]:
        """Every message of the archive that can be read, in date order (the unreadable ones reported)."""
        files = archive_files(path)
        self.summary.files = len(files)
        messages: list[ArchivedMessage] = []
        seen: set[str] = set()
        for file in files:
            for label, raw in _raw_messages(file):
                self.summary.items += 1
                try:
                    message = parse_message(label, raw)
                except SkipItem as why:
                    self.summary.skip(label, str(why))
                    continue
                if message.message_id in seen:
                    self.summary.skip(label, f"the same message (<{message.message_id}>) is earlier in the archive")
                    continue
                seen.add(message.message_id)
                messages.append(message)
        messages.sort(key=lambda m: m.date)
        return messages

    def run(self, path: Path) -> Summary:
        messages = self.read(path)
        self._load_existing([m.message_id for m in messages] + [p for m in messages for p in m.parents])
        for done, message in enumerate(messages, start=1):
            self._pending = []
            if self.summary.run_item(message.label, lambda message=message: self._import(message)):
                for apply in self._pending:
                    apply()
            if self.progress:
                self.progress(done, len(messages))
        return self.summary

    def _count(self, counter: str) -> None:
        """Add one to a counter of the report once the message went in."""
        self._pending.append(lambda: setattr(self.summary, counter, getattr(self.summary, counter) + 1))

    # Threads.

    def _load_existing(self, ids: list[str]) -> None:
        """Posts already here with these Message-IDs (an earlier run, or mail): their topics are threads."""
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            rows = PostMail.objects.filter(message_id__in=unique[start : start + 500]).values_list(
                "message_id", "post__topic_id", "post__number", "post__created_at"
            )
            for message_id, topic_id, number, created_at in rows:
                self._threads[message_id] = _Thread(topic_id=topic_id, last_date=created_at)
                self._numbers[message_id] = (topic_id, number)

    def _thread_for(self, message: ArchivedMessage) -> tuple[_Thread, str | None]:
        """The message's thread (a new one when nothing joins it) and its parent's id if that is known."""
        for parent in reversed(message.parents):
            if parent in self._threads:
                return self._threads[parent], parent
        if message.gmail_thread and message.gmail_thread in self._by_gmail_thread:
            return self._by_gmail_thread[message.gmail_thread], None
        if (message.says_reply or message.parents) and message.thread_subject:
            thread = self._by_subject.get(message.thread_subject)
            if thread is not None and thread.last_date and message.date - thread.last_date <= self.subject_window:
                return thread, None
        return _Thread(), None

    def _remember(self, message: ArchivedMessage, thread: _Thread) -> None:
        self._threads[message.message_id] = thread
        if thread.last_date is None or message.date > thread.last_date:
            thread.last_date = message.date
        if message.thread_subject:
            self._by_subject[message.thread_subject] = thread
        if message.gmail_thread:
            self._by_gmail_thread.setdefault(message.gmail_thread, thread)

    # One message.

    def _import(self, message: ArchivedMessage) -> None:
        if message.message_id in self._numbers:
            self.summary.posts_existing += 1
            self._remember(message, self._threads[message.message_id])
            return
        thread, parent = self._thread_for(message)
        user = self._author(message)
        raw = self._with_attachments(message)
        reply_to = None
        if parent in self._numbers and self._numbers[parent][0] == thread.topic_id:
            reply_to = self._numbers[parent][1]
        if thread.topic_id is None or not Topic.objects.filter(pk=thread.topic_id).exists():
            title = message.subject or message.body.strip().split("\n", 1)[0][:80] or message.label
            post = discuss_services.post_import(
                user=user, raw=raw, created_at=message.date, category=self.category, title=title[:TITLE_MAX]
            )
            created_thread = True
        else:
            post = discuss_services.post_import(
                user=user,
                raw=raw,
                created_at=message.date,
                topic=Topic(pk=thread.topic_id),
                reply_to_number=reply_to,
            )
            created_thread = False
        PostMail.objects.create(post=post, message_id=message.message_id, source=PostMail.Source.IMPORT)
        post_id = post.pk
        transaction.on_commit(lambda: search_tasks.index_post.enqueue(post_id))
        self._pending.append(lambda: self._written(message, thread, post, created_thread))

    def _written(self, message: ArchivedMessage, thread: _Thread, post: Post, created_thread: bool) -> None:
        thread.topic_id = post.topic_id
        self._numbers[message.message_id] = (post.topic_id, post.number)
        self._remember(message, thread)
        self.summary.posts_created += 1
        self.summary.threads_created += created_thread

    # People.

    def _author(self, message: ArchivedMessage) -> User:
        key = message.email or f"name:{message.name.casefold()}"
        if key in self._people:
            return self._people[key]
        user = None
        if message.email:
            address = (
                EmailAddress.objects.filter(email__iexact=message.email, verified=True, user__is_active=True)
                .select_related("user")
                .first()
            )
            if address is not None:
                user = address.user
                self._count("people_matched")
            else:
                placeholder = (
                    PlaceholderPerson.objects.filter(email=message.email)
                    .select_related("user", "claimed_by")
                    .order_by("created_at")
                    .first()
                )
                if placeholder is not None:
                    user = placeholder.claimed_by or placeholder.user
                    self._count("placeholders_reused")
        if user is None:
            user = self._placeholder(message)
        found = user
        self._pending.append(lambda: self._people.__setitem__(key, found))
        return user

    def _placeholder(self, message: ArchivedMessage) -> User:
        local = message.email.split("@", 1)[0] if message.email else ""
        display = message.name or local
        user = User(username=make_username(display, local, "List member"), display_name=display[:100])
        user.is_active = False
        user.set_unusable_password()
        user.save()
        PlaceholderPerson.objects.create(user=user, email=message.email, source="mbox")

        def counted() -> None:
            self.summary.placeholders_created += 1
            self.summary.placeholder_names.append(user.username)

        self._pending.append(counted)
        return user

    # Attachments.

    def _with_attachments(self, message: ArchivedMessage) -> str:
        if not message.attachments:
            return message.body
        lines = []
        for attachment in message.attachments:
            name = _safe_filename(attachment.filename, attachment.content_type)
            label = re.sub(r"([\\`*_\[\]])", r"\\\1", name)
            size = _size_text(len(attachment.data))
            if len(attachment.data) > self.attachment_max_bytes:
                limit = _size_text(self.attachment_max_bytes)
                # Written into the post, in the site's language (the command runs in LANGUAGE_CODE).
                note = _("not kept, larger than the import's limit of %(limit)s") % {"limit": limit}
                lines.append(f"- {label} ({size}): {note}")
                self._count("attachments_too_large")
                continue
            digest = hashlib.sha256(attachment.data).hexdigest()
            stored = f"imports/mbox/{digest[:2]}/{digest[2:18]}/{name}"
            if not default_storage.exists(stored):
                stored = default_storage.save(stored, ContentFile(attachment.data))
            lines.append(f"- [{label}]({default_storage.url(stored)}) ({size})")
            self._count("attachments_kept")
        body = message.body.rstrip()
        heading = _("Attachments:")
        return f"{body}\n\n**{heading}**\n\n" + "\n".join(lines) if body else "\n".join(lines)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
