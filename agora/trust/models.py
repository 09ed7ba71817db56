"""Trust levels: what each person has done here (days visited, posts read, time reading, likes), and
the level it earns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserStats(models.Model):
    """One row per person, created the first time they do something that counts: the all-time figures
    the levels 1 and 2 are computed from, read in one query (the profile box, the check after a batch)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="trust_stats"
    )
    days_visited = models.PositiveIntegerField(default=0)
    last_visit_day = models.DateField(null=True, blank=True)
    topics_entered = models.PositiveIntegerField(default=0)
    posts_read = models.PositiveIntegerField(default=0)
    time_read_seconds = models.PositiveIntegerField(default=0)
    likes_given = models.PositiveIntegerField(default=0)
    likes_received = models.PositiveIntegerField(default=0)
    # Distinct topics started by others that the person replied in (Discourse's "replied in N topics"):
    # ten replies in one thread are one.
    replies_written = models.PositiveIntegerField(default=0)
    topics_created = models.PositiveIntegerField(default=0)
    first_post_at = models.DateTimeField(null=True, blank=True)
    # When the browser last reported a batch of reading: a batch's time is capped to the time since.
    last_read_report_at = models.DateTimeField(null=True, blank=True)
    # When the person last reached level 3: no demotion for AGORA_TL3_GRACE_DAYS after it.
    tl3_grace_started_at = models.DateTimeField(null=True, blank=True)
    # The daily job's last reckoning of the level-3 figures (shown on the profile without recomputing).
    tl3_figures = models.JSONField(default=dict, blank=True)
    tl3_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trust statistics")
        verbose_name_plural = _("trust statistics")

    def __str__(self) -> str:
        return f"stats of user {self.user_id}"


class DailyActivity(models.Model):
    """A person's activity on one day (UTC), so the figures of the last 100 days are one SUM. Likes and
    replies are not copied here: PostLike and Post rows carry their dates already and stay exact after
    an unlike or a deletion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visited = models.BooleanField(default=False)
    posts_read = models.PositiveIntegerField(default=0)
    topics_entered = models.PositiveIntegerField(default=0)
    time_read_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_daily_activity")]
        verbose_name_plural = _("daily activity")

    def __str__(self) -> str:
        return f"user {self.user_id} on {self.day}"


class TopicReading(models.Model):
    """Which posts of a topic a person has been counted as reading. discuss.TopicUser keeps only the
    highest number seen, which cannot tell page 2 read before page 1, or a post skipped by scrolling
    past it with the page hidden; so the numbers read are kept here as a bitmap (bit n-1 for post n):
    a thousand-post thread is 125 bytes, one row per person and topic, and a post is never counted
    twice. The row's existence is "topic entered"; its created_at dates it for the 100-day window."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("discuss.Topic", on_delete=models.CASCADE, related_name="+")
    read_bits = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="unique_topic_reading")]
        indexes = [models.Index(fields=["user", "created_at"], name="topic_reading_user_created")]

    def __str__(self) -> str:
        return f"user {self.user_id} reading topic {self.topic_id}"

    def read_numbers(self) -> set[int]:
        bits = bytes(self.read_bits or b"")
        return {i * 8 + b + 1 for i, byte in enumerate(bits) if byte for b in range(8) if byte >> b & 1}

    def add_numbers(self, numbers: set[int]) -> set[int]:
        """Mark these post numbers read; return the ones that were not read before."""
        bits = bytearray(bytes(self.read_bits or b""))
        new: set[int] = set()
        for n in numbers:
            if n < 1:
                continue
            index, bit = divmod(n - 1, 8)
            if index >= len(bits):
                bits.extend(b"\0" * (index + 1 - len(bits)))
            if not bits[index] >> bit & 1:
                bits[index] |= 1 << bit
                new.add(n)
        self.read_bits = bytes(bits)
        return new


class TrustLevelChange(models.Model):
    """Every change of a person's level, by the system (actor None) or by staff, and why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_level_changes")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"user {self.user_id}: {self.from_level} -> {self.to_level}"


class DailyRun(models.Model):
    """The daily job's claim: the first worker to insert a day's row runs it; others find it there."""

    day = models.DateField(primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    promoted = models.PositiveIntegerField(default=0)
    demoted = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"trust levels checked on {self.day}"
