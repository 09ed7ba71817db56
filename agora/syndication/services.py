"""Syndication writes: add, pause, resume and remove a feed; poll one (a task per feed) and the due ones
(the worker's timed job); each new item published as a linked story through agora.blog.services.

A poll is safe to run twice and from two workers at once: an item is claimed by inserting its
SyndicatedItem row, unique per (feed, GUID), in the same transaction as its story, so a second run
finds it and a racing one fails its insert and rolls its story back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.usernames import check_username_available
from agora.blog.models import BlogCategory
from agora.blog.services import linked_story_publish

from . import fetching
from .fetching import Entry, FeedError
from .models import SyndicatedFeed, SyndicatedItem

logger = logging.getLogger(__name__)

# A claimed feed is not claimed again for this long (the poll task sets the real next time).
CLAIM_LEASE = timedelta(minutes=15)
DUE_BATCH = 50


@dataclass
class PollResult:
    created: int = 0  # stories made
    seen: int = 0  # items recorded without a story (beyond the share of this poll, or no usable link)
    not_modified: bool = False
    error: str = ""


def _require_editor(user: Any) -> None:
    if not permissions.is_editor(user):
        raise PermissionDenied(_("Only the editorial board can manage syndicated blogs."))


# --- Staff actions -------------------------------------------------------------------------------


def feed_add(*, user: User, url: str, category: BlogCategory | None = None, language: str = "en") -> SyndicatedFeed:
    """Add a feed after fetching it once: a clear ValidationError when it cannot be read or is no
    feed. Its first poll (the newest AGORA_SYNDICATION_FIRST_POLL_ITEMS items) is enqueued on commit."""
    _require_editor(user)
    url = (url or "").strip()
    if not fetching.http_url(url):
        raise ValidationError({"url": _("Give the feed's full address, starting with https:// or http://.")})
    if SyndicatedFeed.objects.filter(url=url).exists():
        raise ValidationError({"url": _("This feed is syndicated already.")})
    try:
        fetched = fetching.feed_fetch(url)
        if fetched.status != 200:
            raise FeedError(_("The site answered without the feed."))
        parsed = fetching.feed_parse(fetched.content, url=fetched.url, content_type=fetched.content_type)
    except FeedError as error:
        raise ValidationError({"url": _("The feed could not be added: %(reason)s") % {"reason": error}}) from None
    with transaction.atomic():
        feed = SyndicatedFeed.objects.create(
            url=url,
            title=parsed.title or (urlsplit(url).hostname or url)[:200],
            site_url=parsed.link,
            category=category,
            language=language or "en",
            added_by=user,
        )
        transaction.on_commit(partial(_enqueue_poll, feed.pk))
    return feed


def feed_set_active(*, user: User, feed: SyndicatedFeed, active: bool) -> SyndicatedFeed:
    """Pause a feed (no polls), or resume it (polled at the next beat, failures forgotten)."""
    _require_editor(user)
    feed.active = active
    fields = ["active"]
    if active:
        feed.next_poll_at, feed.consecutive_failures = timezone.now(), 0
        fields += ["next_poll_at", "consecutive_failures"]
    feed.save(update_fields=fields)
    return feed


def feed_remove(*, user: User, feed: SyndicatedFeed) -> None:
    """Stop syndicating a feed. The stories it brought stay in the blog, with their discussions."""
    _require_editor(user)
    feed.delete()


def feed_poll_now(*, user: User, feed: SyndicatedFeed) -> None:
    """Poll the feed at once (in the worker), whatever its next time."""
    _require_editor(user)
    transaction.on_commit(partial(_enqueue_poll, feed.pk, True))


def _enqueue_poll(feed_id: int, force: bool = False) -> None:
    from .tasks import poll_feed

    poll_feed.enqueue(feed_id, force)


# --- Polling -------------------------------------------------------------------------------------


def feeds_poll_due(*, now: datetime | None = None) -> int:
    """The worker's timed job: claim the active feeds whose time has come and enqueue a poll of each.
    A claim moves next_poll_at on by the lease in one conditional UPDATE, so two workers never both
    claim a feed; the poll then sets the real next time."""
    now = now or timezone.now()
    due = SyndicatedFeed.objects.filter(active=True, next_poll_at__lte=now).order_by("next_poll_at")
    claimed = 0
    for pk, next_poll_at in list(due.values_list("pk", "next_poll_at")[:DUE_BATCH]):
        if SyndicatedFeed.objects.filter(pk=pk, next_poll_at=next_poll_at).update(next_poll_at=now + CLAIM_LEASE):
            claimed += 1
            transaction.on_commit(partial(_enqueue_poll, pk))
    return claimed


def feed_poll(*, feed_id: int, force: bool = False) -> PollResult:
    """Fetch one feed (conditionally) and publish its new items; record success or failure (backoff)."""
    feed = SyndicatedFeed.objects.filter(pk=feed_id).first()
    if feed is None or not (feed.active or force):
        return PollResult()
    first = not feed.items.exists()
    try:
        # The first poll asks unconditionally: the validators may be those of a poll that brought nothing.
        fetched = fetching.feed_fetch(
            feed.url, etag="" if first else feed.etag, last_modified="" if first else feed.last_modified
        )
        if fetched.status == 304:
            _record_success(feed, etag=feed.etag, last_modified=feed.last_modified)
            return PollResult(not_modified=True)
        parsed = fetching.feed_parse(fetched.content, url=fetched.url, content_type=fetched.content_type)
    except FeedError as error:
        _record_failure(feed, str(error))
        return PollResult(error=str(error))
    result = _ingest(feed, parsed.entries, first=first)
    _record_success(feed, etag=fetched.etag, last_modified=fetched.last_modified)
    return result


def _ingest(feed: SyndicatedFeed, entries: list[Entry], *, first: bool) -> PollResult:
    """Publish the entries not seen before, newest first, up to this poll's share; record the rest as seen."""
    result = PollResult()
    guids = {e.guid for e in entries}
    links = {e.link for e in entries if e.link}
    known_guids = set(feed.items.filter(guid__in=guids).values_list("guid", flat=True))
    known_links = set(feed.items.filter(link__in=links).values_list("link", flat=True))
    fresh: dict[str, Entry] = {}
    for entry in entries:
        # Dedup by GUID; an item whose GUID changed but whose link we know is the same item.
        if entry.guid not in known_guids and not (entry.link and entry.link in known_links):
            fresh.setdefault(entry.guid, entry)
    ordered = sorted(fresh.values(), key=lambda e: e.published.timestamp() if e.published else 0.0, reverse=True)
    share = settings.AGORA_SYNDICATION_FIRST_POLL_ITEMS if first else settings.AGORA_SYNDICATION_MAX_ITEMS_PER_POLL
    person = _feed_person(feed) if ordered else None
    for position, entry in enumerate(ordered):
        publish = position < share and bool(entry.link)
        try:
            with transaction.atomic():
                item = SyndicatedItem.objects.create(feed=feed, guid=entry.guid, link=entry.link)
                if publish and person is not None:
                    item.story = linked_story_publish(
                        author=person,
                        title=entry.title or entry.excerpt[:80] or entry.link,
                        lead=entry.excerpt,
                        external_url=entry.link,
                        source_name=feed.site_name,
                        source_author=entry.author,
                        language=feed.language,
                        categories=[feed.category] if feed.category is not None else [],
                        published_at=entry.published,
                    )
                    item.save(update_fields=["story"])
        except IntegrityError:
            continue  # another run took this item
        except ValidationError as error:
            logger.warning("Syndicated item %s of feed %s skipped: %s", entry.guid, feed.pk, error)
            SyndicatedItem.objects.get_or_create(feed=feed, guid=entry.guid, defaults={"link": entry.link})
            result.seen += 1
            continue
        if item.story_id:
            result.created += 1
        else:
            result.seen += 1
    return result


def _feed_person(feed: SyndicatedFeed) -> User:
    """The feed's own author row (made on first need): no password, no e-mail, named after the feed."""
    if feed.person is not None:
        return feed.person
    with transaction.atomic():
        locked = SyndicatedFeed.objects.select_for_update(of=("self",)).select_related("person").get(pk=feed.pk)
        if locked.person is not None:
            feed.person = locked.person
            return locked.person
        number = 0
        while True:
            username = f"feed-{feed.pk}" + (f"-{number}" if number else "")
            try:
                check_username_available(username)
                break
            except ValidationError:
                number += 1
        person = User(username=username, display_name=feed.title[:100])
        person.set_unusable_password()
        person.save()
        SyndicatedFeed.objects.filter(pk=feed.pk).update(person=person)
        feed.person = person
        return person


def _backoff(failures: int) -> timedelta:
    """The wait after `failures` failures in a row: the interval, doubled for each, up to the cap."""
    minutes = settings.AGORA_SYNDICATION_POLL_MINUTES * 2 ** min(failures, 20)
    return timedelta(minutes=min(minutes, settings.AGORA_SYNDICATION_MAX_BACKOFF_MINUTES))


def _record_success(feed: SyndicatedFeed, *, etag: str, last_modified: str) -> None:
    now = timezone.now()
    SyndicatedFeed.objects.filter(pk=feed.pk).update(
        etag=etag,
        last_modified=last_modified,
        last_polled_at=now,
        next_poll_at=now + timedelta(minutes=settings.AGORA_SYNDICATION_POLL_MINUTES),
        consecutive_failures=0,
        last_error="",
    )


def _record_failure(feed: SyndicatedFeed, error: str) -> None:
    now = timezone.now()
    failures = feed.consecutive_failures + 1
    SyndicatedFeed.objects.filter(pk=feed.pk).update(
        last_polled_at=now, next_poll_at=now + _backoff(failures), consecutive_failures=failures, last_error=error
    )
