"""New members' limits and the pace of posting, checked before a post is written; and first posts held.

Connected in moderation.apps.ready() to discuss.hooks: `post_checking` (a topic, a reply or an edit)
and `message_checking` (a new private message) refuse with a ValidationError whose message says what
to do and when the limit lifts; the composer shows it above the kept text. `post_created` holds a new
member's first posts for a moderator when settings.AGORA_HOLD_FIRST_POSTS is on.

The defaults are Discourse's (settings.py, "New members' limits and rate limits"). Links, images and
mentions are counted in the rendered HTML, as the post will show, not guessed from the Markdown.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.core.rate_limits import RateLimited, wait_text
from agora.discuss import services as discuss_services
from agora.discuss.models import Post, Topic
from agora.discuss.rendering import render_post_html
from agora.groups.models import MODERATORS

DAY = timedelta(days=1)


# --- who is new -------------------------------------------------------------------------------


# Set while content is written for people who are not posting now (demo content, imports).
_limits_off: ContextVar[bool] = ContextVar("agora_posting_limits_off", default=False)


@contextmanager
def posting_limits_off() -> Iterator[None]:
    """Write without new members' limits and pace: seed_demo, seed_bench and the importers write many
    posts in a second on behalf of people who are not at a keyboard."""
    token = _limits_off.set(True)
    try:
        yield
    finally:
        _limits_off.reset(token)


def _active() -> bool:
    return settings.AGORA_POSTING_LIMITS and not _limits_off.get()


def _exempt(user: Any) -> bool:
    return bool(user.is_staff or getattr(user, "is_moderator", False))


def is_new_member(user: Any) -> bool:
    """Trust level 0: the per-post limits, the replies per topic, no private messages."""
    return user.trust_level == 0 and not _exempt(user)


def in_first_day(user: Any) -> bool:
    """Level 0 or 1 in the account's first 24 hours: the first day's quotas."""
    return user.trust_level <= 1 and timezone.now() - user.date_joined < DAY and not _exempt(user)


def _first_day_ends(user: Any) -> int:
    return max(1, math.ceil((user.date_joined + DAY - timezone.now()).total_seconds()))


def _level_one_needs(user: Any) -> str:
    """What is left to read for level 1, from the trust app's figures when it keeps them."""
    posts = getattr(settings, "AGORA_TL1_POSTS_READ", 30)
    minutes = getattr(settings, "AGORA_TL1_MINUTES_READING", 10)
    topics = getattr(settings, "AGORA_TL1_TOPICS_ENTERED", 5)
    try:
        # Read the trust app's row by name: the two apps share a floor and never import each other.
        stats_model = apps.get_model("trust", "UserStats")
        figures = ("posts_read", "time_read_seconds", "topics_entered")
        stats = stats_model.objects.filter(user=user).values(*figures).first()
    except (LookupError, ValueError):
        stats = None
    if stats:
        posts = max(0, posts - stats["posts_read"])
        minutes = max(0, math.ceil(minutes - stats["time_read_seconds"] / 60))
        topics = max(0, topics - stats["topics_entered"])
    parts = []
    if posts:
        parts.append(ngettext("%(n)d more post", "%(n)d more posts", posts) % {"n": posts})
    if topics:
        parts.append(ngettext("in %(n)d more topic", "in %(n)d more topics", topics) % {"n": topics})
    if minutes:
        text = ngettext("%(n)d more minute of reading", "%(n)d more minutes of reading", minutes)
        parts.append(text % {"n": minutes})
    if not parts:
        return _("you have read enough: the limit lifts at the next check of your trust level, within a day.")
    return _("you can post more once you have read a little more here: about %(needs)s.") % {"needs": ", ".join(parts)}


# --- what a post holds ------------------------------------------------------------------------


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links = self.images = self.mentions = 0
        own = urlsplit(settings.SITE_URL)
        self.own_host = own.hostname or ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a":
            classes = (attr.get("class") or "").split()
            href = attr.get("href") or ""
            if "mention" in classes:
                self.mentions += 1
            elif urlsplit(href).hostname not in (None, self.own_host):
                # Links to this site (quotes, topics, relative addresses) are not what spammers post.
                self.links += 1
        elif tag in {"img", "video", "iframe"}:
            self.images += 1


def count_content(html: str) -> _Counter:
    counter = _Counter()
    counter.feed(html)
    counter.close()
    return counter


def _check_content(user: Any, raw: str) -> None:
    counts = count_content(render_post_html(raw))
    needs = _level_one_needs(user)
    checks = [
        (
            counts.links,
            settings.AGORA_NEWUSER_MAX_LINKS,
            lambda n: ngettext(
                "New members can put %(n)d link in a post (yours has %(has)d); ",
                "New members can put %(n)d links in a post (yours has %(has)d); ",
                n,
            ),
        ),
        (
            counts.images,
            settings.AGORA_NEWUSER_MAX_IMAGES,
            lambda n: ngettext(
                "New members can put %(n)d image in a post (yours has %(has)d); ",
                "New members can put %(n)d images in a post (yours has %(has)d); ",
                n,
            ),
        ),
        (
            counts.mentions,
            settings.AGORA_NEWUSER_MAX_MENTIONS,
            lambda n: ngettext(
                "New members can mention %(n)d person in a post (yours mentions %(has)d); ",
                "New members can mention %(n)d people in a post (yours mentions %(has)d); ",
                n,
            ),
        ),
    ]
    errors = [
        ValidationError(text(limit) % {"n": limit, "has": has} + needs, code="new_member_limit")
        for has, limit, text in checks
        if has > limit
    ]
    if errors:
        raise ValidationError(errors)


# --- the pace of posting ----------------------------------------------------------------------


def _wait(since: Any, seconds: int) -> int:
    """Seconds still to wait after `since` (a datetime or None) for a pause of `seconds`."""
    if since is None or not seconds:
        return 0
    return max(0, math.ceil(seconds - (timezone.now() - since).total_seconds()))


def _check_pace(user: Any, topic: Topic | None, raw: str, is_topic: bool) -> None:
    new = is_new_member(user)
    now = timezone.now()
    mine = Post.objects.filter(user=user)
    # One query on the (user, -created_at) index: the person's last post.
    last_post_at = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if is_topic:
        pause = settings.AGORA_NEWUSER_SECONDS_BETWEEN_TOPICS if new else settings.AGORA_SECONDS_BETWEEN_TOPICS
        last_topic_at = (
            Topic.objects.filter(user=user).order_by("-created_at").values_list("created_at", flat=True).first()
        )
        if wait := _wait(last_topic_at, pause):
            raise RateLimited(
                _("You can start a new topic %(wait)s after your last one: please wait %(left)s.")
                % {"wait": wait_text(pause), "left": wait_text(wait)},
                retry_after=wait,
            )
    pause = settings.AGORA_NEWUSER_SECONDS_BETWEEN_POSTS if new else settings.AGORA_SECONDS_BETWEEN_POSTS
    if wait := _wait(last_post_at, pause):
        raise RateLimited(
            _("You can post again %(wait)s after your last post: please wait %(left)s.")
            % {"wait": wait_text(pause), "left": wait_text(wait)},
            retry_after=wait,
        )
    if minutes := settings.AGORA_UNIQUE_POSTS_MINUTES:
        since = now - timedelta(minutes=minutes)
        if mine.filter(created_at__gte=since, raw=raw, deleted_at__isnull=True).exists():
            raise ValidationError(
                _("You posted exactly this a moment ago. Change it, or wait %(wait)s to post it again.")
                % {"wait": wait_text(minutes * 60)},
                code="duplicate",
            )
    if new and topic is not None and not topic.is_message:
        # Discourse's rule: replies in a row, until someone else replies to them (a conversation goes on).
        limit = settings.AGORA_NEWUSER_MAX_REPLIES_PER_TOPIC
        others_last = Post.objects.filter(topic=topic).exclude(user=user).aggregate(n=Max("number"))["n"] or 0
        in_a_row = mine.filter(topic=topic, number__gt=max(others_last, 1), deleted_at__isnull=True).count()
        if in_a_row >= limit:
            raise ValidationError(
                ngettext(
                    "New members can write %(n)d reply in a row in one topic: once someone answers you can "
                    "reply again. Or %(needs)s",
                    "New members can write %(n)d replies in a row in one topic: once someone answers you can "
                    "reply again. Or %(needs)s",
                    limit,
                )
                % {"n": limit, "needs": _level_one_needs(user)},
                code="new_member_limit",
            )
    if in_first_day(user):
        ends = _first_day_ends(user)
        today = mine.filter(created_at__gte=user.date_joined, topic__is_message=False)
        if is_topic:
            limit = settings.AGORA_FIRST_DAY_MAX_TOPICS
            done = today.filter(number=1).count()
            text = ngettext(
                "On your first day you can start %(n)d topic; you can start more in %(wait)s.",
                "On your first day you can start %(n)d topics; you can start more in %(wait)s.",
                limit,
            )
        else:
            limit = settings.AGORA_FIRST_DAY_MAX_REPLIES
            done = today.filter(number__gt=1).count()
            text = ngettext(
                "On your first day you can write %(n)d reply; you can write more in %(wait)s.",
                "On your first day you can write %(n)d replies; you can write more in %(wait)s.",
                limit,
            )
        if done >= limit:
            raise RateLimited(text % {"n": limit, "wait": wait_text(ends)}, retry_after=ends)


# --- the hooks' receivers ---------------------------------------------------------------------


def check_post(
    *, user: Any, topic: Topic | None, category: Any, raw: str, is_topic: bool, post: Post | None, **rest: Any
) -> None:
    """discuss.hooks.post_checking: refuse what a new member may not post yet, or a post too soon."""
    if not _active() or _exempt(user):
        return
    if is_new_member(user):
        _check_content(user, raw)
    if post is None:  # edits keep their pace: only the content limits apply to them
        _check_pace(user, topic, raw, is_topic)


def check_message(*, sender: Any, raw: str, recipients: list[Any], groups: list[Any], **rest: Any) -> None:
    """discuss.hooks.message_checking: new members write to the moderators only, until level 1."""
    if not _active() or not is_new_member(sender):
        return
    if recipients or [g.name for g in groups] != [MODERATORS]:
        raise ValidationError(
            _(
                "New members can write privately to the moderators only (Messages → Write to the moderators); "
                "to message others, %(needs)s"
            )
            % {"needs": _level_one_needs(sender)},
            code="new_member_messages",
        )
    _check_content(sender, raw)


def hold_first_posts(*, post: Post, is_topic: bool, **rest: Any) -> None:
    """discuss.hooks.post_created: a new member's first AGORA_HOLD_FIRST_POSTS posts wait for approval."""
    held = settings.AGORA_HOLD_FIRST_POSTS
    user = post.user
    if not held or _limits_off.get() or not is_new_member(user) or post.topic.is_message:
        return
    # Held while this is one of the person's first `held` posts outside private messages.
    if Post.objects.filter(user=user, topic__is_message=False).count() > held:
        return
    discuss_services.post_hold(post=post, is_topic=is_topic)
