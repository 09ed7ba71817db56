"""Syndication reads: the feeds for the staff page, and one feed for an editor (404 for anyone else)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from agora import permissions

from .models import SyndicatedFeed


def feeds_for_editor(user: Any) -> QuerySet[SyndicatedFeed]:
    """Every feed with the number of stories it brought, for an editor; Http404 for anyone else."""
    if not permissions.is_editor(user):
        raise Http404
    return SyndicatedFeed.objects.select_related("category").annotate(
        story_count=Count("items", filter=Q(items__story__isnull=False))
    )


def get_feed_for_editor(user: Any, pk: int) -> SyndicatedFeed:
    if not permissions.is_editor(user):
        raise Http404
    feed = SyndicatedFeed.objects.filter(pk=pk).first()
    if feed is None:
        raise Http404
    return feed
