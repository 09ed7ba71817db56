"""Mail writes: the outbox (queue, claim with a lease, send, retry with backoff), and what decides to send:
the notification sweep, digests, mailing-list mode and cross-posting; and a person's email choices.

Every message is an OutgoingMail row written in the transaction that decided to send it; the worker's
timed job (and a nudge after each commit) sends the due rows, one by one, marking each SENT right after
its own send. `dedupe_key` is unique, so a decision taken twice queues one message."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora import permissions
from agora.accounts.models import User
from agora.discuss.models import Category, Post, Topic
from agora.notifications.models import Notification, NotificationSettings, Watch, WatchLevel
from agora.notifications.queries import notifications_for

from . import composing, keys
from .models import ListAddress, OutgoingMail

logger = logging.getLogger(__name__)

# A claimed row is not claimed again for this long: a worker that dies mid-batch leaves its rows to the next.
CLAIM_LEASE = timedelta(minutes=5)
SEND_BATCH = 50
# The notification sweep mails at most this many people per beat, and lists at most this many
# notifications in one email (the rest: "and N more").
SWEEP_PEOPLE = 100
MAX_LISTED = 20
DIGEST_PEOPLE = 100
DIGEST_AWAY_LIMIT = timedelta(days=180)

# The kinds worth an email: someone wrote to or about the reader (a reply, a quote, a mention, a message,
# a new post where they watch, their answer accepted, an event they go to changed or cancelled, a moderator's
# warning). Likes, editorial moves, group requests, trust levels and event reminders (mailed by the events
# app already) stay in the page.
MAILED_KINDS = frozenset(
    {
        Notification.Kind.MENTIONED,
        Notification.Kind.GROUP_MENTIONED,
        Notification.Kind.MESSAGE,
        Notification.Kind.GROUP_MESSAGE,
        Notification.Kind.MESSAGE_REPLY,
        Notification.Kind.REPLIED,
        Notification.Kind.QUOTED,
        Notification.Kind.WATCHED_TOPIC,
        Notification.Kind.WATCHED_POST,
        Notification.Kind.SOLUTION_ACCEPTED,
        Notification.Kind.STORY_COMMENT,
        Notification.Kind.EVENT_CHANGED,
        Notification.Kind.EVENT_CANCELLED,
        Notification.Kind.MOD_WARNING,
    }
)


# --- The outbox ----------------------------------------------------------------------------------


def mail_enqueue(
    *,
    to_address: str,
    kind: str,
    dedupe_key: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    headers: dict[str, str] | None = None,
    user: Any = None,
    topic: Any = None,
    post: Any = None,
) -> OutgoingMail | None:
    """Queue one message in the current transaction; None when `dedupe_key` was queued before. The worker
    is nudged once the transaction commits (and the timed job sends it anyway)."""
    headers = dict(headers or {})
    headers.setdefault("Message-ID", composing.new_message_id())
    headers[composing.LOOP_HEADER] = composing.site_domain()
    try:
        with transaction.atomic():
            row = OutgoingMail.objects.create(
                user=user,
                to_address=to_address,
                kind=kind,
                dedupe_key=dedupe_key[:200],
                subject=subject.replace("\n", " ").replace("\r", " ")[:900],
                text_body=text_body,
                html_body=html_body,
                headers=headers,
                message_id=headers.get("Message-ID", ""),
                topic=topic,
                post=post,
            )
    except IntegrityError:
        return None
    _nudge_on_commit()
    return row


def _nudge_on_commit() -> None:
    # One nudge per transaction, however many messages it queued.
    if not any(entry[1] is _nudge for entry in connection.run_on_commit):
        transaction.on_commit(_nudge)


def _nudge() -> None:
    from .tasks import send_outbox_task

    send_outbox_task.enqueue()


def _due(now: datetime) -> Q:
    return Q(status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING], next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def outbox_claim(*, now: datetime | None = None, limit: int = SEND_BATCH) -> list[int]:
    """Claim up to `limit` due rows for this worker: each by a conditional UPDATE that only one worker can
    win, leasing it for CLAIM_LEASE (a worker that dies leaves the row to be claimed again after that)."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(_due(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    claimed = []
    for pk in list(due[:limit]):
        if OutgoingMail.objects.filter(_due(now), pk=pk).update(
            status=OutgoingMail.Status.SENDING, claimed_until=now + CLAIM_LEASE
        ):
            claimed.append(pk)
    return claimed


def outbox_send_due(*, now: datetime | None = None, limit: int = SEND_BATCH) -> int:
    """The worker's timed job: claim the due rows and send them over one SMTP connection; each row is
    marked SENT right after its own send. SMTP down: the row waits (backoff) and is tried again, until
    AGORA_MAIL_MAX_ATTEMPTS, then FAILED. Returns how many were sent."""
    now = now or timezone.now()
    claimed = outbox_claim(now=now, limit=limit)
    if not claimed:
        return 0
    rows = OutgoingMail.objects.select_related("user", "topic", "post", "post__topic").in_bulk(claimed)
    smtp = get_connection(fail_silently=False)
    try:
        smtp.open()
    except Exception as exc:  # noqa: BLE001 (any failure to reach the server: try later)
        for pk in claimed:
            _record_failure(rows[pk], f"{type(exc).__name__}: {exc}", now)
        return 0
    sent = 0
    try:
        for pk in claimed:
            sent += _send_one(rows[pk], smtp, now)
    finally:
        try:
            smtp.close()
        except Exception:
            logger.warning("Closing the SMTP connection failed", exc_info=True)
    return sent


def _send_one(row: OutgoingMail, smtp: Any, now: datetime) -> int:
    reason = _drop_reason(row)
    if reason:
        OutgoingMail.objects.filter(pk=row.pk).update(
            status=OutgoingMail.Status.DROPPED, claimed_until=None, last_error=reason
        )
        return 0
    headers = dict(row.headers)
    from_email = headers.pop("From", settings.DEFAULT_FROM_EMAIL)
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text_body,
        from_email=from_email,
        to=[row.to_address],
        headers=headers,
        connection=smtp,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 (refused, dropped connection, timeout: try later)
        _record_failure(row, f"{type(exc).__name__}: {exc}", now)
        return 0
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + 1
    )
    return 1


def _drop_reason(row: OutgoingMail) -> str:
    """Why a queued message must not go out any more, checked just before sending: its reader's account was
    closed, or the post or topic it carries is no longer visible to them (moved to a private category,
    deleted, hidden). Empty when it may go."""
    user = row.user
    if user is not None and not user.is_active:
        return "the reader's account is closed"
    if row.post is not None:
        if row.post.deleted_at is not None or row.post.topic.deleted_at is not None:
            return "the post was deleted"
        if user is not None and not permissions.can(user, "see", row.post):
            return "the reader may no longer see the post"
    elif row.topic is not None and user is not None and not permissions.can(user, "see", row.topic):
        return "the reader may no longer see the topic"
    return ""


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: the base delay doubling each time, at most six hours."""
    base = settings.AGORA_MAIL_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _record_failure(row: OutgoingMail, error: str, now: datetime) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.AGORA_MAIL_MAX_ATTEMPTS:
        changes: dict[str, Any] = {"status": OutgoingMail.Status.FAILED}
        logger.warning("Gave up mailing %s after %d attempts: %s", row.to_address, attempts, error)
    else:
        changes = {"status": OutgoingMail.Status.QUEUED, "next_attempt_at": now + retry_delay(attempts)}
    OutgoingMail.objects.filter(pk=row.pk).update(
        attempts=attempts, claimed_until=None, last_error=error[:2000], **changes
    )


# --- Shared parts of a message -----------------------------------------------------------------------


def _base_headers(user_id: int | None, unsubscribe: str | None) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-generated"}
    if user_id is not None and unsubscribe:
        headers.update(composing.unsubscribe_headers(user_id, unsubscribe))
    return headers


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of `mail/<template>`, in the language active now."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
    return (
        render_to_string(f"mail/{template}.txt", context).strip() + "\n",
        render_to_string(f"mail/{template}.html", context),
    )


def _post_parts(post: Post) -> dict[str, Any]:
    return {"post_text": composing.html_to_text(post.html), "post_html": composing.absolute_links(post.html)}


def _author_name(post: Post) -> str:
    return _("Anonymous") if post.anonymous else post.user.name


# --- Notification emails -------------------------------------------------------------------------------


def _settings_for(user_ids: list[int]) -> dict[int, NotificationSettings]:
    return {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}


def notification_mail_sweep(*, now: datetime | None = None, people: int = SWEEP_PEOPLE) -> int:
    """The worker's timed job: mail people their unread notifications older than
    AGORA_NOTIFICATION_EMAIL_DELAY_MINUTES (nobody is mailed what they just saw), one email per person per
    sweep however many there are. `email_when` decides: never; always; or only when away (not about what
    came before their last visit). Each notification is settled once (`emailed_at`), mailed or not: one
    about something the reader may no longer see is dropped, never mailed. Returns how many emails."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.AGORA_NOTIFICATION_EMAIL_DELAY_MINUTES)
    waiting = Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, created_at__lte=cutoff)
    # Kinds never mailed are settled at once, so the sweep's index holds only what may still be mailed.
    waiting.exclude(kind__in=MAILED_KINDS).update(emailed_at=now)
    user_ids = list(waiting.order_by().values_list("user_id", flat=True).distinct()[:people])
    readers = User.objects.in_bulk(user_ids)
    choices = _settings_for(user_ids)
    mailed = 0
    for user_id in user_ids:
        mailed += _mail_notifications(readers[user_id], choices.get(user_id), waiting.filter(user_id=user_id), now)
    return mailed


def _mail_notifications(user: User, choice: NotificationSettings | None, mine: Any, now: datetime) -> int:
    email_when = choice.email_when if choice else NotificationSettings.EmailWhen.AWAY
    if not user.is_active or not user.email or email_when == NotificationSettings.EmailWhen.NEVER:
        mine.update(emailed_at=now)
        return 0
    if email_when == NotificationSettings.EmailWhen.AWAY and user.last_seen_at is not None:
        mine.filter(created_at__lte=user.last_seen_at).update(emailed_at=now)  # they came by since: the bell told them
    ids = list(mine.values_list("pk", flat=True))
    if not ids:
        return 0
    # Checked now, through the same filter as the page: access lost since (a post moved to a private
    # category, a group left, a post deleted) drops the notification from the mail.
    shown = list(notifications_for(user).filter(pk__in=ids).order_by("created_at", "pk"))
    if choice is not None and choice.mailing_list_mode:
        # Mailing-list mode mailed these posts already: no second mail about the same post.
        listed = set(
            OutgoingMail.objects.filter(
                user_id=user.pk, kind="mailing_list", post_id__in=[n.post_id for n in shown if n.post_id]
            ).values_list("post_id", flat=True)
        )
        shown = [n for n in shown if n.post_id not in listed]
    with transaction.atomic():
        # The claim: another worker's sweep that got here first leaves nothing to mail.
        if Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now) != len(ids):
            transaction.set_rollback(True)
            return 0
        if not shown:
            return 0
        return int(_queue_notification_mail(user, shown) is not None)


def _queue_notification_mail(user: User, shown: list[Notification]) -> OutgoingMail | None:
    # A post that both mentions and quotes someone is shown once, under the first thing it did.
    firsts: dict[Any, Notification] = {}
    for n in shown:
        firsts.setdefault(n.post_id if n.post_id is not None else ("notification", n.pk), n)
    shown = list(firsts.values())
    single = shown[0] if len(shown) == 1 else None
    post = single.post if single is not None else None
    topic = single.topic if single is not None else None
    with translation.override(composing.reader_language(user)):
        items = [_notification_item(n) for n in shown[:MAX_LISTED]]
        headers = _base_headers(user.pk, "notifications")
        if post is not None:
            replied_to = None
            if post.reply_to_number:
                replied_to = Post.objects.filter(topic_id=post.topic_id, number=post.reply_to_number).first()
            headers.update(composing.thread_headers(post, replied_to))
            if permissions.can(user, "reply", post.topic):
                headers["Reply-To"] = keys.reply_address(keys.reply_key_for(user=user, topic=post.topic, post=post))
        if topic is not None and not topic.is_message and topic.category_id:
            headers["List-Id"] = composing.list_id(topic.category)
        if single is not None:
            title = topic.title if topic is not None else items[0]["title"]
            subject = f"[{settings.SITE_NAME}] {items[0]['line']}: {title}" if title else items[0]["line"]
        else:
            subject = ngettext(
                "[%(site)s] %(count)d new notification", "[%(site)s] %(count)d new notifications", len(shown)
            ) % {"site": settings.SITE_NAME, "count": len(shown)}
        text, html = _render(
            "notification",
            {
                "items": items,
                "more": max(len(shown) - MAX_LISTED, 0),
                "reply_by_mail": "Reply-To" in headers,
                "notifications_url": composing.absolute("/notifications"),
                "preferences_url": composing.absolute("/my/email"),
                "unsubscribe_url": composing.unsubscribe_url(user.pk, "notifications"),
            },
        )
    return mail_enqueue(
        to_address=user.email,
        kind="notification",
        dedupe_key=f"notification:{user.pk}:{shown[0].pk}",
        subject=subject,
        text_body=text,
        html_body=html,
        headers=headers,
        user=user,
        topic=topic,
        post=post,
    )


def _notification_item(n: Notification) -> dict[str, Any]:
    """One notification as the email shows it (its kind's label, generically: any kind renders)."""
    count = int(n.data.get("count", 1) or 1) if isinstance(n.data, dict) else 1
    actor = n.actor.name if n.actor is not None else _("Someone")
    if count > 1:
        actor = ngettext("%(name)s and %(count)d other", "%(name)s and %(count)d others", count - 1) % {
            "name": actor,
            "count": count - 1,
        }
    label = n.get_kind_display()
    # Some labels are whole sentences ("Your post was hidden"), most follow the actor ("replied to your post").
    line = label if label[:1].isupper() else f"{actor} {label}"
    title = ""
    if n.topic is not None:
        title = n.topic.title
    elif n.story is not None:
        title = n.story.title
    elif n.group is not None:
        title = n.group.name
    item: dict[str, Any] = {"line": line, "title": title, "url": composing.absolute(n.target_url())}
    if n.post is not None and n.kind != Notification.Kind.LIKED:
        item.update(_post_parts(n.post))
    return item


# --- Mailing-list mode -----------------------------------------------------------------------------------


def mailing_list_fanout(*, post_id: int) -> int:
    """Queue one email per reader in mailing-list mode for a new post: readers who watch categories (Watch at
    Watching) get those categories' posts, readers with no watched category every category they can see;
    muted categories and topics never. Not their own posts, not private messages. Safe to run twice."""
    post = (
        Post.objects.select_related("topic", "topic__category", "user")
        .filter(pk=post_id, deleted_at__isnull=True, pending_approval=False, action="")
        .first()
    )
    category = post.topic.category if post is not None else None
    if post is None or category is None or post.topic.is_message or post.topic.deleted_at is not None:
        return 0
    readers = list(
        User.objects.filter(is_active=True, notification_settings__mailing_list_mode=True)
        .exclude(pk=post.user_id)
        .exclude(email="")
    )
    if not readers:
        return 0
    in_categories = {category.pk, category.parent_id} - {None}
    watched: dict[int, set[int]] = {}
    muted: set[int] = set()
    for user_id, category_id, topic_id, level in Watch.objects.filter(
        Q(category__isnull=False) | Q(topic_id=post.topic_id), user_id__in=[r.pk for r in readers]
    ).values_list("user_id", "category_id", "topic_id", "level"):
        if level == WatchLevel.MUTED and (topic_id == post.topic_id or category_id in in_categories):
            muted.add(user_id)
        elif level == WatchLevel.WATCHING and category_id is not None:
            watched.setdefault(user_id, set()).add(category_id)
    replied_to = None
    if post.reply_to_number:
        replied_to = Post.objects.filter(topic_id=post.topic_id, number=post.reply_to_number).first()
    queued = 0
    for reader in readers:
        if reader.pk in muted or (reader.pk in watched and not watched[reader.pk] & in_categories):
            continue
        if not permissions.can(reader, "see", post):
            continue
        queued += _queue_list_mail(reader, post, category, replied_to) is not None
    return queued


def _queue_list_mail(reader: User, post: Post, category: Category, replied_to: Post | None) -> OutgoingMail | None:
    topic = post.topic
    with translation.override(composing.reader_language(reader)):
        headers = _base_headers(reader.pk, "mailing_list")
        headers.update(composing.thread_headers(post, replied_to))
        headers["List-Id"] = composing.list_id(category)
        headers["Precedence"] = "list"
        headers["From"] = _via(_author_name(post))
        if permissions.can(reader, "reply", topic):
            headers["Reply-To"] = keys.reply_address(keys.reply_key_for(user=reader, topic=topic, post=post))
        subject = f"[{category.name}] {topic.title}"
        if post.number > 1:
            subject = f"Re: {subject}"
        text, html = _render(
            "post",
            {
                "author": _author_name(post),
                "topic_title": topic.title,
                "url": composing.absolute(post.get_absolute_url()),
                "reply_by_mail": "Reply-To" in headers,
                "unsubscribe_url": composing.unsubscribe_url(reader.pk, "mailing_list"),
                "preferences_url": composing.absolute("/my/email"),
                **_post_parts(post),
            },
        )
    return mail_enqueue(
        to_address=reader.email,
        kind="mailing_list",
        dedupe_key=f"mailing_list:{post.pk}:{reader.pk}",
        subject=subject,
        text_body=text,
        html_body=html,
        headers=headers,
        user=reader,
        topic=topic,
        post=post,
    )


def _via(name: str) -> str:
    """`"Ana via Agora" <noreply@…>`: the author's name, the site's address (we never send as them)."""
    from email.utils import formataddr, parseaddr

    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((_("%(name)s via %(site)s") % {"name": name, "site": settings.SITE_NAME}, address))


# --- Digests ------------------------------------------------------------------------------------------------


def digests_send_due(*, now: datetime | None = None, people: int = DIGEST_PEOPLE) -> int:
    """The worker's timed job: a summary (active topics, new stories, upcoming events, each as the reader may
    see them) for people whose period (daily, weekly: the default) passed since their last digest and their
    last visit, and who visited within DIGEST_AWAY_LIMIT. Nothing to say: no email. Returns emails queued."""
    now = now or timezone.now()
    day, week = now - timedelta(days=1), now - timedelta(days=7)
    no_row = Q(notification_settings__isnull=True)
    daily = Q(notification_settings__digest=NotificationSettings.Digest.DAILY, last_seen_at__lte=day) & (
        Q(notification_settings__digest_sent_at__isnull=True) | Q(notification_settings__digest_sent_at__lte=day)
    )
    weekly = (no_row | Q(notification_settings__digest=NotificationSettings.Digest.WEEKLY)) & (
        Q(last_seen_at__lte=week)
        & (
            no_row
            | Q(notification_settings__digest_sent_at__isnull=True)
            | Q(notification_settings__digest_sent_at__lte=week)
        )
    )
    due = (
        User.objects.filter(is_active=True, last_seen_at__gte=now - DIGEST_AWAY_LIMIT)
        .exclude(email="")
        .filter(daily | weekly)
        .order_by("pk")[:people]
    )
    queued = 0
    for user in list(due):
        queued += digest_send(user=user, now=now)
    return queued


def digest_send(*, user: User, now: datetime) -> int:
    """Claim this person's digest (a conditional update of digest_sent_at) and queue it if there is news."""
    choice, _created = NotificationSettings.objects.get_or_create(user=user)
    period = timedelta(days=1 if choice.digest == NotificationSettings.Digest.DAILY else 7)
    previous = choice.digest_sent_at
    claim = NotificationSettings.objects.filter(pk=choice.pk)
    claim = claim.filter(digest_sent_at__isnull=True) if previous is None else claim.filter(digest_sent_at=previous)
    with transaction.atomic():
        if not claim.update(digest_sent_at=now):
            return 0
        since = max(previous or now - period, user.last_seen_at or now - period)
        topics = list(
            permissions.listed_topics(user)
            .filter(last_posted_at__gte=since)
            .select_related("category")
            .order_by("-posts_count", "-last_posted_at")[:10]
        )
        stories = list(
            permissions.published_stories(user).filter(published_at__gte=since).order_by("-published_at")[:5]
        )
        events = list(
            permissions.listed_occurrences(user)
            .filter(cancelled=False, start_utc__gte=now, start_utc__lte=now + timedelta(days=14))
            .select_related("event__topic")
            .order_by("start_utc")[:5]
        )
        if not (topics or stories or events):
            return 0
        with translation.override(composing.reader_language(user)):
            subject = _("[%(site)s] What happened since your last visit") % {"site": settings.SITE_NAME}
            text, html = _render(
                "digest",
                {
                    "topics": [(t, composing.absolute(t.get_absolute_url())) for t in topics],
                    "stories": [(s, composing.absolute(s.get_absolute_url())) for s in stories],
                    "events": [(o, composing.absolute(o.event.topic.get_absolute_url())) for o in events],
                    "unsubscribe_url": composing.unsubscribe_url(user.pk, "digest"),
                    "preferences_url": composing.absolute("/my/email"),
                },
            )
        headers = _base_headers(user.pk, "digest")
        headers["Precedence"] = "bulk"
        return int(
            mail_enqueue(
                to_address=user.email,
                kind="digest",
                dedupe_key=f"digest:{user.pk}:{now:%Y%m%d%H%M%S}",
                subject=subject,
                text_body=text,
                html_body=html,
                headers=headers,
                user=user,
            )
            is not None
        )


# --- Cross-posting ------------------------------------------------------------------------------------------


def crosspost_topic(*, topic_id: int) -> int:
    """Send a new topic of a category with list addresses to each of them, once (dedupe_key per address)."""
    topic = (
        Topic.objects.select_related("category")
        .filter(pk=topic_id, deleted_at__isnull=True, pending_approval=False, is_message=False, unlisted=False)
        .first()
    )
    if topic is None or topic.category_id is None:
        return 0
    addresses = list(ListAddress.objects.filter(category_id=topic.category_id, active=True))
    post = Post.objects.select_related("user", "topic").filter(topic=topic, number=1, deleted_at__isnull=True).first()
    if not addresses or post is None:
        return 0
    context = {
        "author": _author_name(post),
        "topic_title": topic.title,
        "url": composing.absolute(topic.get_absolute_url()),
        **_post_parts(post),
    }
    headers = {**_base_headers(None, None), **composing.thread_headers(post), "From": _via(_author_name(post))}
    return _crosspost(addresses, f"topic:{topic.pk}", topic.title, "post", context, headers, language=topic.language)


def crosspost_story(*, story_id: int) -> int:
    """Send a published story to each list address configured for the blog, once."""
    from agora.blog.models import Story

    story = Story.objects.filter(pk=story_id, state=Story.State.PUBLISHED).first()
    if story is None:
        return 0
    addresses = list(ListAddress.objects.filter(blog=True, active=True))
    if not addresses:
        return 0
    context = {
        "story": story,
        "lead": story.lead,
        "post_text": composing.html_to_text(story.body_html),
        "post_html": composing.absolute_links(story.body_html),
        "url": composing.absolute(story.get_absolute_url()),
    }
    headers = _base_headers(None, None)
    if story.topic_id:
        headers["Message-ID"] = composing.topic_message_id(story.topic_id)
    return _crosspost(addresses, f"story:{story.pk}", story.title, "story", context, headers, language=story.language)


def _crosspost(
    addresses: list[ListAddress],
    what: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str],
    *,
    language: str,
) -> int:
    queued = 0
    with translation.override(language or settings.LANGUAGE_CODE):
        text, html = _render(template, context)
    with transaction.atomic():
        for address in addresses:
            queued += (
                mail_enqueue(
                    to_address=address.address,
                    kind="cross_post",
                    dedupe_key=f"cross_post:{what}:{address.address.lower()}",
                    subject=subject,
                    text_body=text,
                    html_body=html,
                    headers=headers,
                )
                is not None
            )
    return queued


def post_mail(*, post_id: int, is_topic: bool) -> int:
    """What a new post sends: mailing-list mode's emails, and a new topic's cross-posts."""
    queued = mailing_list_fanout(post_id=post_id)
    if is_topic:
        topic_id = Post.objects.filter(pk=post_id).values_list("topic_id", flat=True).first()
        if topic_id is not None:
            queued += crosspost_topic(topic_id=topic_id)
    return queued


def post_mail_on_commit(post: Post, *, is_topic: bool) -> None:
    """After a new post commits: mailing-list mode's fan-out, and cross-posting of a new topic (a task)."""
    from .tasks import post_mail_task

    post_id = post.pk
    transaction.on_commit(partial(post_mail_task.enqueue, post_id, is_topic))


def story_mail_on_commit(story: Any) -> None:
    from .tasks import crosspost_story_task

    if story.state == "published":
        story_id = story.pk
        transaction.on_commit(partial(crosspost_story_task.enqueue, story_id))


# --- A person's choices and the staff's list addresses -----------------------------------------------------


def email_settings_update(*, user: Any, email_when: str, digest: str, mailing_list_mode: bool) -> NotificationSettings:
    choice, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "email_when": email_when,
            "digest": digest,
            "mailing_list_mode": mailing_list_mode,
            "updated_at": timezone.now(),
        },
    )
    return choice


def unsubscribe(*, user_id: int, what: str) -> NotificationSettings | None:
    """Turn off what a one-click unsubscribe link names: notification emails, the digest or mailing-list
    mode. None when the person no longer exists."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    choice, _created = NotificationSettings.objects.get_or_create(user=user)
    if what == "notifications":
        choice.email_when = NotificationSettings.EmailWhen.NEVER
    elif what == "digest":
        choice.digest = NotificationSettings.Digest.NEVER
    elif what == "mailing_list":
        choice.mailing_list_mode = False
    choice.updated_at = timezone.now()
    choice.save()
    return choice


def list_address_add(*, user: Any, address: str, category: Category | None, blog: bool) -> ListAddress:
    if not user.is_staff:
        raise PermissionError("Only staff configure list addresses.")
    with transaction.atomic():  # a duplicate raises IntegrityError without breaking the caller's transaction
        return ListAddress.objects.create(address=address.strip().lower(), category=category, blog=blog)


def list_address_remove(*, user: Any, list_address: ListAddress) -> None:
    if not user.is_staff:
        raise PermissionError("Only staff configure list addresses.")
    list_address.delete()
