"""Moderation: the staff action log (who did what to which object, when and why).

The log is append-only: rows are written by `services.action_log()` and never edited or deleted, in
the site or in the admin. It names its target by kind and id (with a label kept as it was at the time),
so a deleted topic or user still has its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModeratorActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The staff action log is append-only: its rows are never updated.")

    def delete(self):
        raise TypeError("The staff action log is append-only: its rows are never deleted.")


class ModeratorAction(models.Model):
    """One thing a moderator (or the system, on their behalf: auto-hide, auto-silence) did."""

    class TargetKind(models.TextChoices):
        TOPIC = "topic", _("topic")
        POST = "post", _("post")
        USER = "user", _("user")
        FLAG = "flag", _("flag")
        PAGE = "page", _("page")
        CATEGORY = "category", _("category")
        SITE = "site", _("site")

    # None when the system acted by itself (a post hidden by flags, a spammer silenced by flags).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A short verb such as "topic_close", "post_hide", "user_suspend": see services.ACTIONS.
    action = models.CharField(max_length=40, db_index=True)
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    target_id = models.BigIntegerField(null=True, blank=True)
    # What the target was called then (a topic's title, a username): the row outlives its target.
    target_label = models.CharField(max_length=300, blank=True)
    # The person the action was about, when there is one (a post's author, the suspended user).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    # Structured details (old and new category, the period of a suspension, ...), for the log page.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModeratorActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_kind", "target_id"], name="modaction_target"),
            models.Index(fields=["actor", "-created_at"], name="modaction_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_kind} {self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("The staff action log is append-only: its rows are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The staff action log is append-only: its rows are never deleted.")


class Flag(models.Model):
    """A member's report of a post (or of a person) to the moderators, with the weight it carries.

    As Discourse's post actions: the score is fixed when the flag is made (1 + the flagger's trust level,
    5 for staff, plus their accuracy bonus), and the flag is resolved with the review item it feeds."""

    class Kind(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Off-topic")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        SPAM = "spam", _("Spam")
        HARASSMENT = "harassment", _("Harassment")
        ILLEGAL = "illegal", _("Illegal")
        OTHER = "other", _("Something else")
        # Never stored: it sends the author a private message instead (see flags.flag_post).
        MESSAGE_AUTHOR = "message_author", _("Message the author")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        AGREED = "agreed", _("agreed")
        DISAGREED = "disagreed", _("disagreed")
        IGNORED = "ignored", _("ignored")

    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_given")
    # A flag is about a post, or (post None) about a person.
    post = models.ForeignKey("discuss.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="flags_received"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    score = models.FloatField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    review_item = models.ForeignKey(
        "moderation.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["flagger", "post"], condition=models.Q(post__isnull=False), name="unique_flag_per_post"
            ),
            # A person may be flagged again once the last flag was handled.
            models.UniqueConstraint(
                fields=["flagger", "target_user"],
                condition=models.Q(post__isnull=True, status="pending"),
                name="unique_pending_flag_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False) | models.Q(target_user__isnull=False),
                name="flag_has_a_target",
            ),
        ]
        indexes = [
            # The accuracy bonus counts a flagger's resolved flags; the trust levels count agreed flags
            # against a person.
            models.Index(fields=["flagger", "status"], name="flag_flagger_status"),
            models.Index(fields=["target_user", "status"], name="flag_target_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} flag by user {self.flagger_id}"


class ReviewItem(models.Model):
    """One thing waiting for a moderator in /review: a flagged post, a held first post, a queued person.

    As Discourse's reviewables: one pending item per target, the sum of its flags' scores, and a version
    that every action checks and bumps with one conditional UPDATE (optimistic locking), so the second of
    two moderators acting at once changes nothing and is told who was first."""

    class Kind(models.TextChoices):
        FLAGGED_POST = "flagged_post", _("flagged post")
        HELD_POST = "held_post", _("post waiting for approval")
        QUEUED_USER = "queued_user", _("person silenced pending review")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")  # flags agreed with; a held post approved; a silence kept
        REJECTED = "rejected", _("rejected")  # flags disagreed with; a held post rejected; silence lifted
        IGNORED = "ignored", _("ignored")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(
        "discuss.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    # The person the item is about: the post's author, or the queued or flagged person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_items")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    score = models.FloatField(default=0)
    version = models.PositiveIntegerField(default=1)
    # The flags silenced this person (a queued user): a disagreement lifts the silence.
    silenced_by_flags = models.BooleanField(default=False)
    # Hiding its opening post unlisted the topic (its title is content too): showing the post lists it again.
    unlisted_topic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # What the moderator did ("agree_hide", "delete", "disagree", "approve", ...), for the page and the log.
    action = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-score", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "post"],
                condition=models.Q(status="pending", post__isnull=False),
                name="unique_pending_review_per_post",
            ),
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=models.Q(status="pending", post__isnull=True),
                name="unique_pending_review_per_user",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="review_pending_score")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
