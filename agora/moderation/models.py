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
