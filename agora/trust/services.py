"""Trust writes: counting what people do (visits, reading, likes, replies), and changing levels (by the
system on activity and once a day, or by staff), each change recorded, logged and told."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.discuss.models import Post, Topic
from agora.moderation.models import ModeratorAction
from agora.notifications.models import Notification
from agora.notifications.services import notify

from . import queries
from .models import DailyActivity, DailyRun, TopicReading, TrustLevelChange, UserStats

log = logging.getLogger(__name__)

User = get_user_model()

# Whether the current request comes from a browser that runs reading.js (its cookie, read by
# middleware.DayVisitMiddleware): its topic pages are counted from what it reports (posts seen on
# screen), not from what was rendered. A forged cookie only stops one's own pages counting.
READING_COOKIE = "agora_reading"
reading_by_script: ContextVar[bool] = ContextVar("reading_by_script", default=False)


def _today(now: datetime | None = None) -> date:
    return (now or timezone.now()).date()


def _stats(user: Any) -> None:
    """Make sure the person's stats row exists (created lazily, race-safe)."""
    UserStats.objects.get_or_create(user_id=user.pk)


def _add(user: Any, day: date, **counts: int) -> None:
    """Add to the person's all-time figures and to the day's, in two UPDATEs (rows created when missing)."""
    counts = {k: v for k, v in counts.items() if v}
    if not counts:
        return
    if not UserStats.objects.filter(user_id=user.pk).update(**{k: F(k) + v for k, v in counts.items()}):
        _stats(user)
        UserStats.objects.filter(user_id=user.pk).update(**{k: F(k) + v for k, v in counts.items()})
    daily = {k: v for k, v in counts.items() if k in {"posts_read", "topics_entered", "time_read_seconds"}}
    if daily:
        DailyActivity.objects.get_or_create(user_id=user.pk, day=day)
        DailyActivity.objects.filter(user_id=user.pk, day=day).update(**{k: F(k) + v for k, v in daily.items()})


def visit_record(*, user: Any, now: datetime | None = None) -> bool:
    """Count today as a day the person visited (once a day whatever the number of calls). Two statements
    on the usual path (the day's row upserted, the stats row counted only if it has not counted today),
    as it runs on every person's first page of the day."""
    day = _today(now)
    DailyActivity.objects.bulk_create(
        [DailyActivity(user_id=user.pk, day=day, visited=True)],
        update_conflicts=True,
        unique_fields=["user", "day"],
        update_fields=["visited"],
    )
    counted = (
        UserStats.objects.filter(user_id=user.pk)
        .exclude(last_visit_day=day)
        .update(days_visited=F("days_visited") + 1, last_visit_day=day)
    )
    if counted:
        return True
    if UserStats.objects.filter(user_id=user.pk).exists():
        return False  # counted today already (another process)
    # The person's first day: their row, with this day counted (a racing process's insert wins alike).
    UserStats.objects.bulk_create(
        [UserStats(user_id=user.pk, days_visited=1, last_visit_day=day)], ignore_conflicts=True
    )
    return True


def visit_cache_key(user: Any, day: date) -> str:
    """The cache's note that this person's day was counted (DayVisitMiddleware): no query after the first."""
    return f"trust-visit:{user.pk}:{day.isoformat()}"


def topic_page_seen(*, user: Any, topic: Topic, posts: list[Post]) -> int:
    """A topic page was rendered for a signed-in person (discuss.hooks.topic_page_seen): without
    JavaScript, the posts rendered count as read. One query when nothing is new (a page read before),
    none for a browser that reports by itself; the writes happen only for posts never counted."""
    if not user.is_authenticated or not posts or topic.is_message:
        return 0  # private messages are one's own mail, not the community's topics: they never count
    if reading_by_script.get():
        return 0  # reading.js reports what this person really sees
    numbers = {p.number for p in posts if not p.is_deleted and not p.is_hidden}
    read_bits = (
        TopicReading.objects.filter(user_id=user.pk, topic_id=topic.pk).values_list("read_bits", flat=True).first()
    )
    if read_bits is not None:
        numbers -= TopicReading(read_bits=read_bits).read_numbers()
        if not numbers:
            return 0
    return reading_record(user=user, topic=topic, numbers=numbers)


@transaction.atomic
def reading_record(*, user: Any, topic: Topic, numbers: set[int], seconds: int = 0, now: datetime | None = None) -> int:
    """Count posts of a topic as read by the person (each post once, ever) and time spent reading;
    then check whether they reached the next level. The numbers are already checked as posts the
    person may see. Returns how many posts were newly counted."""
    now = now or timezone.now()
    reading = TopicReading.objects.select_for_update().filter(user_id=user.pk, topic_id=topic.pk).first()
    entered = 0
    if reading is None:
        try:
            with transaction.atomic():
                reading = TopicReading.objects.create(user_id=user.pk, topic_id=topic.pk, created_at=now)
                entered = 1
        except IntegrityError:  # another request entered the topic first
            reading = TopicReading.objects.select_for_update().get(user_id=user.pk, topic_id=topic.pk)
    new = reading.add_numbers(numbers)
    if new:
        TopicReading.objects.filter(pk=reading.pk).update(read_bits=reading.read_bits)
    _add(user, _today(now), topics_entered=entered, posts_read=len(new), time_read_seconds=max(seconds, 0))
    if new or seconds:
        trust_level_check(user=user)
    return len(new)


@transaction.atomic
def reading_report(*, user: Any, topic: Topic, numbers: set[int], seconds: int, now: datetime | None = None) -> int:
    """A batch from reading.js: the posts seen on screen and the seconds the page was visible. Posts not
    in the topic, not visible to the person, deleted or hidden are dropped; the time is capped to the
    time since the previous batch and to AGORA_TRUST_READ_BATCH_MAX_SECONDS, so neither a forged batch
    nor two tabs count more than the clock."""
    now = now or timezone.now()
    if topic.is_message:
        return 0  # as on the page: private messages never count
    _stats(user)
    stats = UserStats.objects.select_for_update().get(user_id=user.pk)
    cap = settings.AGORA_TRUST_READ_BATCH_MAX_SECONDS
    if stats.last_read_report_at is not None:
        cap = min(cap, max(int((now - stats.last_read_report_at).total_seconds()), 0))
    seconds = min(max(seconds, 0), cap)
    UserStats.objects.filter(user_id=user.pk).update(last_read_report_at=now)
    visible = set(
        permissions.visible_posts(user)
        .filter(topic_id=topic.pk, number__in=sorted(numbers), hidden_at__isnull=True)
        .values_list("number", flat=True)
    )
    return reading_record(user=user, topic=topic, numbers=visible, seconds=seconds, now=now)


@transaction.atomic
def like_record(*, post: Post, user: Any, liked: bool) -> None:
    """A like given or taken back (discuss.hooks.post_liked): the giver's and the author's figures."""
    if post.user_id == user.pk:
        return
    if liked:
        _add(user, _today(), likes_given=1)
        _add(post.user, _today(), likes_received=1)
        trust_level_check(user=user)
        trust_level_check(user=post.user)
    else:
        UserStats.objects.filter(user_id=user.pk, likes_given__gt=0).update(likes_given=F("likes_given") - 1)
        UserStats.objects.filter(user_id=post.user_id, likes_received__gt=0).update(
            likes_received=F("likes_received") - 1
        )


@transaction.atomic
def post_record(*, post: Post, is_topic: bool) -> None:
    """A topic or reply written (discuss.hooks.post_created): topics created, and topics replied to
    (a reply in a topic someone else started, counted once per topic). Private messages do not count."""
    topic = post.topic
    if topic.is_message:
        return
    author = post.user
    _stats(author)
    UserStats.objects.filter(user_id=author.pk, first_post_at__isnull=True).update(first_post_at=post.created_at)
    if is_topic:
        _add(author, _today(), topics_created=1)
    elif topic.user_id != author.pk:
        earlier = Post.objects.filter(topic_id=topic.pk, user_id=author.pk, number__gt=1).exclude(pk=post.pk)
        if not earlier.exists():
            _add(author, _today(), replies_written=1)
    trust_level_check(user=author)


def trust_level_check(*, user: Any) -> int | None:
    """On activity: promote to the next level if every requirement is met. Only levels 1 and 2 here
    (one query: the stats row); level 3 needs the window's figures, which the daily job computes."""
    if user.trust_level_locked or user.trust_level >= 2:
        return None
    level = user.trust_level + 1
    stats = queries.stats_of(user)
    requirements = queries.requirements_for(user, level, stats)
    if not all(r.met for r in requirements):
        return None
    trust_level_change(user=user, level=level, reason=_("Reached the requirements of level %(n)d.") % {"n": level})
    return level


@transaction.atomic
def trust_level_change(
    *, user: Any, level: int, reason: str, actor: Any = None, locked: bool | None = None
) -> TrustLevelChange | None:
    """Move the person to `level`: the user row (their automatic groups trust_level_N follow it), a
    TrustLevelChange, the staff action log (actor None for the system), and a notification. `locked`
    None keeps the lock as it is. Nothing happens if neither the level nor the lock changes."""
    if not 0 <= level <= 4:
        raise ValidationError(_("A trust level is between 0 and 4."), code="level")
    current = User.objects.select_for_update().values_list("trust_level", "trust_level_locked").get(pk=user.pk)
    from_level, was_locked = current
    lock = was_locked if locked is None else locked
    if actor is None and was_locked:
        return None  # a level set by staff is never changed by the system
    if from_level == level and lock == was_locked:
        return None
    User.objects.filter(pk=user.pk).update(trust_level=level, trust_level_locked=lock)
    user.trust_level, user.trust_level_locked = level, lock
    permissions.forget_access(user)  # the memoised access holds the trust_level_N groups
    if level == 3 and from_level != 3:
        UserStats.objects.get_or_create(user_id=user.pk)
        UserStats.objects.filter(user_id=user.pk).update(tl3_grace_started_at=timezone.now())
    change = TrustLevelChange.objects.create(
        user=user, from_level=from_level, to_level=level, reason=reason, actor=actor, locked=lock
    )
    # The staff action log's row, written as moderation.services.action_log() writes it: trust and
    # moderation share a floor and may not import each other's logic (the lead may route it at merge).
    ModeratorAction.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="trust_level_change",
        target_kind=ModeratorAction.TargetKind.USER,
        target_id=user.pk,
        target_label=str(user.username)[:300],
        subject_user=user,
        reason=reason,
        details={"from": from_level, "to": level, "locked": lock},
    )
    log.info("trust level of user %s: %s -> %s (%s)", user.pk, from_level, level, reason)
    if from_level != level:
        notify(users=[user], kind=Notification.Kind.TRUST_LEVEL, actor=actor)
    return change


def trust_level_set(*, actor: Any, user: Any, level: int, locked: bool, reason: str) -> TrustLevelChange | None:
    """Staff set a level by hand (level 4 only so). Locked, the system never changes it again."""
    if not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only staff set trust levels."))
    if not reason.strip():
        raise ValidationError(_("Say why: the reason is kept in the log."), code="reason")
    return trust_level_change(user=user, level=level, reason=reason.strip(), actor=actor, locked=locked)


def trust_level_grant_initial(*, user: Any, level: int = 1, why: str) -> TrustLevelChange | None:
    """A member who arrives with standing (a Wikimedia account with edits, an invitation) starts at
    `level` (never lowered, never over a level staff locked; 3 at most: 4 is by hand)."""
    if user.trust_level_locked or user.trust_level >= level:
        return None
    return trust_level_change(user=user, level=min(level, 3), reason=why)


# --- The daily job ---------------------------------------------------------------------------------


def trust_levels_daily(*, now: datetime | None = None) -> DailyRun | None:
    """Once a day (whatever the number of workers and beats): level 3 reckoned over the last 100 days
    for levels 2 and 3, promotions the activity checks missed (thresholds lowered), demotions from 3
    after the grace period. The day's DailyRun row is the claim: inserted once, by one worker."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(day=_today(now), started_at=now)
    except IntegrityError:
        return None  # today's run is done or under way
    promoted = demoted = 0
    candidates = User.objects.filter(is_active=True, trust_level_locked=False, trust_level__lte=3).filter(
        pk__in=UserStats.objects.values("user_id")
    )
    for user in candidates.iterator():
        with transaction.atomic():
            result = _daily_check(user, now)
        promoted += result > 0
        demoted += result < 0
    DailyRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), promoted=promoted, demoted=demoted)
    run.promoted, run.demoted = promoted, demoted
    return run


def _daily_check(user: Any, now: datetime) -> int:
    """One person's daily reckoning: +1 promoted, -1 demoted, 0 unchanged."""
    if user.trust_level < 2:
        return 1 if trust_level_check(user=user) else 0
    stats = queries.stats_of(user)
    figures = queries.tl3_figures(user, stats, now=now)
    UserStats.objects.filter(user_id=user.pk).update(tl3_figures=figures, tl3_checked_at=now)
    requirements = queries.tl3_requirements(figures)
    if user.trust_level == 2:
        if all(r.met for r in requirements):
            trust_level_change(user=user, level=3, reason=_("Reached the requirements of level 3."))
            UserStats.objects.filter(user_id=user.pk).update(tl3_grace_started_at=now)
            return 1
        return 0
    grace = stats.tl3_grace_started_at
    if grace is not None and now < grace + timedelta(days=settings.AGORA_TL3_GRACE_DAYS):
        return 0
    lapsed = [r for r in requirements if not r.met_within(settings.AGORA_TL3_DEMOTION_PERCENT)]
    if not lapsed:
        return 0
    names = ", ".join(str(r.label) for r in lapsed)
    trust_level_change(user=user, level=2, reason=_("Level 3 lapsed: %(what)s.") % {"what": names})
    return -1
