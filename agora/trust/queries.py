"""Trust reads: a person's figures, and what each level asks of them (the promotion check, the daily job
and the profile box all read the same requirements, so what a person is shown is what is applied)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agora import permissions
from agora.discuss.models import PostLike
from agora.moderation.models import Flag

from .models import DailyActivity, TopicReading, TrustLevelChange, UserStats


def flags_agreed_against(user: Any, since: datetime) -> tuple[int, int]:
    """(posts of the user's with a flag staff agreed with, distinct people who raised them) since then:
    Discourse's "flagged posts" and "flagged by users" of level 3. Read from moderation's rows (the data
    floor), as trust never imports moderation's logic. One query."""
    totals = Flag.objects.filter(post__user=user, status=Flag.Status.AGREED, created_at__gte=since).aggregate(
        posts=Count("post", distinct=True), flaggers=Count("flagger", distinct=True)
    )
    return totals["posts"], totals["flaggers"]


@dataclass(frozen=True)
class Requirement:
    """One condition of a level: the person's figure against the target. `at_most` turns it around
    (flags against: the figure must not exceed the target)."""

    key: str
    label: str | Promise
    have: int
    need: int
    at_most: bool = False

    @property
    def met(self) -> bool:
        return self.have <= self.need if self.at_most else self.have >= self.need

    def met_within(self, percent: int) -> bool:
        """Still held with the demotion leeway: the figure at least `percent`% of the target."""
        if self.at_most:
            return self.met
        return self.have * 100 >= self.need * percent


def stats_of(user: Any) -> UserStats:
    """The person's stats row, or an unsaved empty one (created lazily by the first write)."""
    return UserStats.objects.filter(user_id=user.pk).first() or UserStats(user_id=user.pk)


def tl1_requirements(user: Any, stats: UserStats) -> list[Requirement]:
    s = settings
    minutes = stats.time_read_seconds // 60
    return [
        Requirement("topics_entered", _("Topics entered"), stats.topics_entered, s.AGORA_TL1_TOPICS_ENTERED),
        Requirement("posts_read", _("Posts read"), stats.posts_read, s.AGORA_TL1_POSTS_READ),
        Requirement("minutes_reading", _("Minutes spent reading"), minutes, s.AGORA_TL1_MINUTES_READING),
    ]


def tl2_requirements(user: Any, stats: UserStats) -> list[Requirement]:
    s = settings
    minutes = stats.time_read_seconds // 60
    return [
        Requirement("days_visited", _("Days visited"), stats.days_visited, s.AGORA_TL2_DAYS_VISITED),
        Requirement("likes_given", _("Likes given"), stats.likes_given, s.AGORA_TL2_LIKES_GIVEN),
        Requirement("likes_received", _("Likes received"), stats.likes_received, s.AGORA_TL2_LIKES_RECEIVED),
        Requirement("topics_replied_to", _("Topics replied to"), stats.replies_written, s.AGORA_TL2_TOPICS_REPLIED_TO),
        Requirement("topics_entered", _("Topics entered"), stats.topics_entered, s.AGORA_TL2_TOPICS_ENTERED),
        Requirement("posts_read", _("Posts read"), stats.posts_read, s.AGORA_TL2_POSTS_READ),
        Requirement("minutes_reading", _("Minutes spent reading"), minutes, s.AGORA_TL2_MINUTES_READING),
    ]


def tl3_figures(user: Any, stats: UserStats, *, now: datetime | None = None) -> dict[str, int]:
    """The level-3 figures over the last AGORA_TL3_WINDOW_DAYS days (and the all-time ones), with their
    targets where they depend on the site's activity (a share of the topics and posts created in the
    window, capped). Seven queries: run by the daily job, which stores the result on the stats row."""
    s = settings
    now = now or timezone.now()
    since = now - timedelta(days=s.AGORA_TL3_WINDOW_DAYS)
    days = DailyActivity.objects.filter(user_id=user.pk, day__gte=since.date()).aggregate(
        visited=Count("pk", filter=Q(visited=True)), posts_read=Sum("posts_read")
    )
    replied = (
        permissions.visible_posts(user)
        .filter(user_id=user.pk, created_at__gte=since, number__gt=1, topic__is_message=False)
        .exclude(topic__user_id=user.pk)
        .values("topic_id")
        .distinct()
        .count()
    )
    topics_viewed = TopicReading.objects.filter(user_id=user.pk, created_at__gte=since).count()
    topics_created = permissions.listed_topics(user).filter(created_at__gte=since).count()
    posts_created = permissions.listed_posts(user).filter(created_at__gte=since).count()
    likes_given = PostLike.objects.filter(user_id=user.pk, created_at__gte=since).count()
    received = (
        PostLike.objects.filter(post__user_id=user.pk, created_at__gte=since)
        .exclude(user_id=user.pk)
        .aggregate(
            n=Count("pk"), people=Count("user_id", distinct=True), days=Count(TruncDate("created_at"), distinct=True)
        )
    )
    flagged_posts, flaggers = flags_agreed_against(user, since)
    return {
        "days_visited": days["visited"] or 0,
        "topics_replied_to": replied,
        "topics_viewed": topics_viewed,
        "topics_viewed_need": min(
            math.ceil(topics_created * s.AGORA_TL3_TOPICS_VIEWED_PERCENT / 100), s.AGORA_TL3_TOPICS_VIEWED_CAP
        ),
        "posts_read": days["posts_read"] or 0,
        "posts_read_need": min(
            math.ceil(posts_created * s.AGORA_TL3_POSTS_READ_PERCENT / 100), s.AGORA_TL3_POSTS_READ_CAP
        ),
        "likes_given": likes_given,
        "likes_received": received["n"] or 0,
        "likes_received_days": received["days"] or 0,
        "likes_received_users": received["people"] or 0,
        "topics_viewed_all_time": stats.topics_entered,
        "posts_read_all_time": stats.posts_read,
        "flagged_posts": flagged_posts,
        "flaggers": flaggers,
        "suspended": int(bool(user.is_suspended or user.is_silenced)),
    }


def tl3_requirements(figures: dict[str, int]) -> list[Requirement]:
    s = settings
    f = figures.get
    return [
        Requirement("days_visited", _("Days visited (last 100 days)"), f("days_visited", 0), s.AGORA_TL3_DAYS_VISITED),
        Requirement(
            "topics_replied_to", _("Topics replied to"), f("topics_replied_to", 0), s.AGORA_TL3_TOPICS_REPLIED_TO
        ),
        Requirement("topics_viewed", _("Topics viewed"), f("topics_viewed", 0), f("topics_viewed_need", 0)),
        Requirement("posts_read", _("Posts read"), f("posts_read", 0), f("posts_read_need", 0)),
        Requirement("likes_given", _("Likes given"), f("likes_given", 0), s.AGORA_TL3_LIKES_GIVEN),
        Requirement("likes_received", _("Likes received"), f("likes_received", 0), s.AGORA_TL3_LIKES_RECEIVED),
        Requirement(
            "likes_received_days",
            _("Days with a like received"),
            f("likes_received_days", 0),
            s.AGORA_TL3_LIKES_RECEIVED_DAYS,
        ),
        Requirement(
            "likes_received_users",
            _("People who liked your posts"),
            f("likes_received_users", 0),
            s.AGORA_TL3_LIKES_RECEIVED_USERS,
        ),
        Requirement(
            "topics_viewed_all_time",
            _("Topics viewed (all time)"),
            f("topics_viewed_all_time", 0),
            s.AGORA_TL3_TOPICS_VIEWED_ALL_TIME,
        ),
        Requirement(
            "posts_read_all_time",
            _("Posts read (all time)"),
            f("posts_read_all_time", 0),
            s.AGORA_TL3_POSTS_READ_ALL_TIME,
        ),
        Requirement(
            "flagged_posts", _("Posts flagged (agreed)"), f("flagged_posts", 0), s.AGORA_TL3_MAX_FLAGGED_POSTS, True
        ),
        Requirement("flaggers", _("People who flagged you"), f("flaggers", 0), s.AGORA_TL3_MAX_FLAGGERS, True),
        Requirement("suspended", _("Silenced or suspended"), f("suspended", 0), 0, True),
    ]


def requirements_for(user: Any, level: int, stats: UserStats) -> list[Requirement]:
    """What reaching `level` (1, 2 or 3) asks; level 3 from the daily job's stored figures."""
    if level == 1:
        return tl1_requirements(user, stats)
    if level == 2:
        return tl2_requirements(user, stats)
    if level == 3:
        return tl3_requirements(stats.tl3_figures or {})
    return []


@dataclass(frozen=True)
class TrustBox:
    """What the profile shows of a person's level: the next level's requirements, when the viewer may
    see them (the person and staff)."""

    level: int
    locked: bool
    next_level: int | None
    requirements: list[Requirement]
    checked_at: datetime | None


def trust_box(person: Any, viewer: Any) -> TrustBox | None:
    """The box for `viewer` on `person`'s page, or None if the viewer may not see it. One query."""
    if viewer is None or not viewer.is_authenticated:
        return None
    if viewer.pk != person.pk and not viewer.is_staff:
        return None
    level = person.trust_level
    next_level = level + 1 if level < 3 and not person.trust_level_locked else None
    if next_level is None:
        return TrustBox(level, person.trust_level_locked, None, [], None)
    stats = stats_of(person)
    return TrustBox(
        level,
        person.trust_level_locked,
        next_level,
        requirements_for(person, next_level, stats),
        stats.tl3_checked_at if next_level == 3 else None,
    )


def trust_level_history(user: Any) -> list[TrustLevelChange]:
    return list(TrustLevelChange.objects.filter(user_id=user.pk).select_related("actor")[:50])
