"""Moderation reads: the review queue as each moderator may see it, and flag counts other apps need."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from agora import permissions
from agora.accounts.models import User
from agora.discuss.models import Post

from .models import Flag, ReviewItem

QUEUE_SIZE = 50


def review_items_for(user: Any) -> QuerySet[ReviewItem]:
    """The review items `user` may see and act on: every one for site moderators and staff; for a group
    moderator the posts in their groups' categories only (never people, never private messages)."""
    category_ids = permissions.reviewable_category_ids(user)
    if category_ids is None:
        # Site moderators: people, and posts in topics they may open; a private message its participant
        # flagged is shown to the moderators (that is what the flag asks), never one nobody flagged.
        return ReviewItem.objects.filter(
            Q(post__isnull=True)
            | Q(post__topic__in=permissions.visible_topics(user, include_deleted=True))
            | Q(post__topic__is_message=True, id__in=Flag.objects.values("review_item_id"))
        )
    if not category_ids:
        return ReviewItem.objects.none()
    return ReviewItem.objects.filter(
        kind__in=[ReviewItem.Kind.FLAGGED_POST, ReviewItem.Kind.HELD_POST],
        post__topic__category_id__in=sorted(category_ids),
    )


def get_review_item_for_user(user: Any, pk: int) -> ReviewItem:
    item = review_items_for(user).filter(pk=pk).select_related("post", "post__topic", "user").first()
    if item is None:
        raise Http404
    return item


def pending_review_count(user: Any) -> int:
    """The header's count for site moderators and staff (one query); 0 for everyone else, with none."""
    if user is None or not user.is_authenticated or not user.is_staff_or_moderator:
        return 0
    return review_items_for(user).filter(status=ReviewItem.Status.PENDING).count()


def review_queue(user: Any, *, handled: bool = False) -> list[ReviewItem]:
    """The queue's page: pending items by score (or the latest handled ones), each with its post, its flags
    and their flaggers, and the person's history. A fixed number of queries whatever the length."""
    qs = (
        review_items_for(user)
        .select_related("post", "post__topic", "post__topic__category", "user", "handled_by")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("flagger").order_by("created_at", "id"))
        )
    )
    if handled:
        qs = qs.exclude(status=ReviewItem.Status.PENDING).order_by("-handled_at", "-id")
    else:
        qs = qs.filter(status=ReviewItem.Status.PENDING).order_by("-score", "created_at", "id")
    items = list(qs[:QUEUE_SIZE])
    _attach_history(items)
    return items


def _attach_history(items: list[ReviewItem]) -> None:
    """Each person's posts and the flags agreed against them: two queries for the whole page."""
    ids = {item.user_id for item in items}
    if not ids:
        return
    posts = dict(
        Post.objects.filter(user_id__in=ids, deleted_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    agreed = dict(
        Flag.objects.filter(status=Flag.Status.AGREED)
        .filter(Q(post__user_id__in=ids) | Q(post__isnull=True, target_user_id__in=ids))
        .annotate(who=Coalesce("post__user_id", "target_user_id"))
        .values("who")
        .annotate(n=Count("id"))
        .values_list("who", "n")
    )
    for item in items:
        item.post_count = posts.get(item.user_id, 0)  # type: ignore[attr-defined]
        item.agreed_flags = agreed.get(item.user_id, 0)  # type: ignore[attr-defined]


def pending_post_items_of(user: Any, person: User) -> list[ReviewItem]:
    """The person's flagged posts waiting in `user`'s queue (cleared with them in one pass)."""
    return list(
        review_items_for(user).filter(
            kind=ReviewItem.Kind.FLAGGED_POST, status=ReviewItem.Status.PENDING, post__user=person
        )
    )


def pending_silence_item_of(person: User) -> ReviewItem | None:
    """The person's pending queue item when the flags silenced them."""
    return ReviewItem.objects.filter(
        kind=ReviewItem.Kind.QUEUED_USER,
        status=ReviewItem.Status.PENDING,
        user=person,
        silenced_by_flags=True,
    ).first()


def flags_agreed_against(user: Any, since: datetime | None = None) -> tuple[int, int]:
    """Agreed flags on the person's posts (and on them), and how many distinct people raised them: what
    trust level 3 caps (Discourse: at most 5 agreed flags from at most 5 flaggers). One query."""
    qs = Flag.objects.filter(Q(post__user=user) | Q(post__isnull=True, target_user=user), status=Flag.Status.AGREED)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    totals = qs.aggregate(flags=Count("id"), flaggers=Count("flagger", distinct=True))
    return totals["flags"], totals["flaggers"]
