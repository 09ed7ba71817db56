"""Syndicated feeds: affiliates' blogs whose new items appear in the Blog as linked entries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SyndicatedFeed(models.Model):
    """An affiliate's RSS or Atom feed, polled by the worker; each new item becomes a linked story."""

    url = models.URLField(_("feed address"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=200)
    site_url = models.URLField(_("site address"), max_length=1000, blank=True)
    # The blog section its items go into (none: the blog's front page only).
    category = models.ForeignKey(
        "blog.BlogCategory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=20, default="en")
    # The stories' author row: a person of the feed's own (no login), so the replies to its stories
    # notify nobody, and /blog/author/<name> lists that blog's entries.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    # Validators of the last full answer, sent back so an unchanged feed answers 304.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def site_name(self) -> str:
        return self.title or self.site_url or self.url


class SyndicatedItem(models.Model):
    """One item of a feed, seen once: the story it made, or none (an item older than the first poll's
    share, or a story removed since), so it is never brought in again."""

    feed = models.ForeignKey(SyndicatedFeed, on_delete=models.CASCADE, related_name="items")
    # The item's GUID (or its link when it has none; a long one is kept as its SHA-256).
    guid = models.CharField(max_length=300)
    link = models.URLField(max_length=1000, blank=True)
    story = models.ForeignKey("blog.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="unique_syndicated_item")]
        indexes = [models.Index(fields=["feed", "link"], name="syndicated_item_link")]

    def __str__(self) -> str:
        return f"{self.feed_id}: {self.guid}"
