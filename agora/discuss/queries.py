"""Discuss reads. Every one starts from the permission module, and each runs a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agora import permissions
from agora.core.pagination import Page

from .models import Bookmark, Category, IdempotencyKey, Post, PostLike, PostRevision, Tag, Topic, TopicUser

TOP_PERIODS = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
    "all": None,
}


def _list(qs: QuerySet[Topic]) -> QuerySet[Topic]:
    # Rows show the solution as a badge from solution_post_id: no need to join the post's text.
    # Tags show their label in the reader's language (translations), linking by their name.
    return qs.select_related("category", "user", "last_poster").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.only("id", "name", "translations"))
    )


def latest_topics(user: Any) -> QuerySet[Topic]:
    return _list(permissions.listed_topics(user)).order_by("-pinned_globally", "-bumped_at", "-id")


def top_topics(user: Any, period: str) -> QuerySet[Topic]:
    qs = permissions.listed_topics(user)
    span = TOP_PERIODS.get(period)
    if span is not None:
        qs = qs.filter(created_at__gte=timezone.now() - span)
    return _list(qs).order_by("-like_count", "-reply_count", "-views", "-id")


def unanswered_topics(user: Any) -> QuerySet[Topic]:
    return _list(permissions.listed_topics(user).filter(reply_count=0, closed=False)).order_by("-created_at", "-id")


def category_topics(user: Any, category: Category) -> QuerySet[Topic]:
    ids = [category.pk, *_subcategory_ids(user, category)]
    qs = permissions.listed_topics(user).filter(category_id__in=ids)
    # Pinned in category first (pinned_at), then by activity.
    return _list(qs).order_by("-pinned_globally", F("pinned_at").desc(nulls_last=True), "-bumped_at", "-id")


def _subcategory_ids(user: Any, category: Category) -> list[int]:
    return list(permissions.visible_categories(user).filter(parent=category).values_list("id", flat=True))


def tag_topics(user: Any, tag: Tag) -> QuerySet[Topic]:
    return _list(permissions.listed_topics(user).filter(tags=tag)).order_by("-bumped_at", "-id")


def tags_with_counts(user: Any) -> QuerySet[Tag]:
    """Tags with the number of topics this user may see in each: private topics never count, and a
    tag used only on topics the user may not see is left out (its name is private content too)."""
    visible = permissions.listed_topics(user)
    return (
        Tag.objects.annotate(
            topic_count=Count("topics", filter=Q(topics__in=visible.values("id")), distinct=True),
            uses=Count("topics", distinct=True),
        )
        .filter(Q(topic_count__gt=0) | Q(uses=0))
        .order_by("-topic_count", "name")
    )


def tags_usable_by(user: Any) -> QuerySet[Tag]:
    """Tags a user may see and put on a topic: unused ones, and those on a topic they may see. A tag
    used only on private topics is private content too: its name must not be confirmed to outsiders."""
    visible = permissions.visible_topics(user).values("id")
    return Tag.objects.filter(Q(topics__in=visible) | Q(topics__isnull=True)).distinct()


def get_tag_for_user(user: Any, name: str) -> Tag:
    """The tag if the user may see it; else 404, as for a private category."""
    tag = tags_usable_by(user).filter(name=name.lower()).first()
    if tag is None:
        raise Http404
    return tag


def category_for_translating(user: Any, slug: str) -> Category:
    """A category whose translations the user may edit (staff); anyone else gets 404, as for no category."""
    category = Category.objects.filter(slug=slug).first() if permissions.can_edit_names(user) else None
    if category is None:
        raise Http404
    return category


def tag_for_translating(user: Any, name: str) -> Tag:
    """A tag whose translations the user may edit (staff), among those they may see (a tag used only in
    private messages is its people's, not staff's); anyone else gets 404, as for no tag."""
    tag = tags_usable_by(user).filter(name=name.lower()).first() if permissions.can_edit_names(user) else None
    if tag is None:
        raise Http404
    return tag


def categories_for_index(user: Any) -> list[Category]:
    """Top-level visible categories with their visible subcategories, in two queries."""
    cats = list(permissions.visible_categories(user).order_by("position", "name"))
    by_parent: dict[int, list[Category]] = {}
    for cat in cats:
        if cat.parent_id:
            by_parent.setdefault(cat.parent_id, []).append(cat)
    tops = [c for c in cats if c.parent_id is None]
    for cat in tops:
        cat.visible_subcategories = by_parent.get(cat.pk, [])
    return tops


def read_state(user: Any, topics: list[Topic]) -> None:
    """Annotate each topic with .unread (posts after the viewer's last read), one query."""
    if not user.is_authenticated or not topics:
        for t in topics:
            t.unread = 0
            t.seen = True
            t.first_unread = 1
        return
    last = dict(
        TopicUser.objects.filter(user=user, topic_id__in=[t.pk for t in topics]).values_list(
            "topic_id", "last_read_number"
        )
    )
    for t in topics:
        t.seen = t.pk in last
        t.unread = max(t.highest_post_number - last[t.pk], 0) if t.seen else 0
        t.first_unread = last.get(t.pk, 0) + 1


def topic_posts(user: Any, topic: Topic) -> QuerySet[Post]:
    """The posts of a topic. Deleted posts stay as placeholders so numbers do not shift; held posts are
    left out for all but their author and moderators (permissions.held_posts_q)."""
    return Post.objects.filter(permissions.held_posts_q(user), topic=topic).select_related("user").order_by("number")


def topic_posts_page(user: Any, topic: Topic, number: int, size: int) -> Page:
    """One page of a topic: post numbers (number-1)*size+1 .. number*size, read by the (topic, number)
    index; no COUNT and no OFFSET, since numbers never shift and the topic row holds the highest."""
    num_pages = max((topic.highest_post_number - 1) // size + 1, 1)
    if number > num_pages:
        raise Http404
    first = (number - 1) * size + 1
    posts = list(topic_posts(user, topic).filter(number__gte=first, number__lt=first + size))
    return Page(object_list=posts, number=number, has_next=number < num_pages, num_pages=num_pages)


def viewer_post_state(user: Any, posts: list[Post]) -> None:
    """Mark posts the viewer liked and bookmarked, in two queries whatever the page size."""
    ids = [p.pk for p in posts]
    liked: set[int] = set()
    bookmarked: dict[int, str] = {}
    if user.is_authenticated and ids:
        liked = set(PostLike.objects.filter(user=user, post_id__in=ids).values_list("post_id", flat=True))
        bookmarked = dict(Bookmark.objects.filter(user=user, post_id__in=ids).values_list("post_id", "note"))
    for post in posts:
        post.liked = post.pk in liked
        post.bookmarked = post.pk in bookmarked
        post.bookmark_note = bookmarked.get(post.pk, "")


def annotate_posts_for_viewer(user: Any, topic: Topic, posts: list[Post]) -> None:
    """Everything a topic page shows per post for this viewer: liked, bookmarked, and which actions
    they may take. Two queries whatever the number of posts; the permission checks reuse `topic`."""
    viewer_post_state(user, posts)
    for post in posts:
        post.topic = topic  # the row we have: no query per post
        post.can_edit = permissions.can(user, "edit", post)
        post.can_delete = permissions.can(user, "delete", post)
        post.can_restore = post.is_deleted and permissions.can(user, "restore", post)
        post.can_like = permissions.can(user, "like", post)
        post.show_deleted = post.is_deleted and permissions.can(user, "see_deleted", post)
        # Pages show an anonymous post's author to its author alone ("You (anonymous)").
        post.own_anonymous = post.anonymous and post.user_id == user.pk
        # A post hidden pending review: its text only for its author and its moderators.
        post.show_hidden = post.is_hidden and permissions.sees_hidden_post(user, post)


def user_topics(viewer: Any, author: Any) -> QuerySet[Topic]:
    return _list(permissions.listed_topics(viewer).filter(user=author)).order_by("-created_at", "-id")


def user_replies(viewer: Any, author: Any) -> QuerySet[Post]:
    return (
        permissions.listed_posts(viewer)
        .filter(user=author, number__gt=1)
        .select_related("topic", "topic__category", "user")
        .order_by("-created_at", "-id")
    )


def user_likes_given(viewer: Any, author: Any) -> QuerySet[PostLike]:
    return (
        PostLike.objects.filter(user=author, post__in=permissions.listed_posts(viewer))
        .select_related("post", "post__topic", "post__topic__category", "post__user")
        .order_by("-created_at", "-id")
    )


def user_counts(viewer: Any, author: Any) -> dict[str, int]:
    """Counts on a profile, of what the viewer may see only; one query."""
    posts = permissions.listed_posts(viewer).filter(user=author)
    return posts.aggregate(
        topics=Count("id", filter=Q(number=1)),
        replies=Count("id", filter=Q(number__gt=1)),
    )


def user_bookmarks(user: Any) -> QuerySet[Bookmark]:
    """The user's bookmarks, of posts they may still see."""
    return (
        Bookmark.objects.filter(user=user, post__in=permissions.visible_posts(user))
        .select_related("post", "post__topic", "post__topic__category", "post__user")
        .order_by("-created_at", "-id")
    )


def last_read_number(user: Any, topic: Topic) -> int:
    """The highest post number the user has read in the topic (0: never, or not signed in)."""
    if not user.is_authenticated:
        return 0
    number = TopicUser.objects.filter(topic=topic, user=user).values_list("last_read_number", flat=True).first()
    return number or 0


def bookmark_of(user: Any, post: Post) -> Bookmark | None:
    """The user's own bookmark of a post they may see (the post was fetched through permissions)."""
    return Bookmark.objects.filter(post=post, user=user).first()


def post_revisions(post: Post) -> list[PostRevision]:
    """Earlier versions of a post the viewer may see (the post was fetched through permissions)."""
    return list(PostRevision.objects.filter(post=post).select_related("user").order_by("number"))


def moved_post_location(user: Any, topic_id: int, number: int) -> Post | None:
    """Where the post that was number `number` of topic `topic_id` is now, if it moved and the user may
    see it there (one query; its topic joined)."""
    return (
        Post.objects.filter(
            moves__old_topic_id=topic_id, moves__old_number=number, topic__in=permissions.visible_topics(user)
        )
        .select_related("topic")
        .first()
    )


def merged_topic_location(user: Any, topic_id: int) -> Topic | None:
    """The topic `topic_id` was merged into, if the user may see it (one query)."""
    merged = Topic.objects.filter(pk=topic_id, merged_into__isnull=False).values("merged_into")
    return permissions.visible_topics(user).filter(pk__in=merged).first()


def topic_translations(user: Any, topic: Topic) -> list[Topic]:
    """The same topic in other languages that the user may see: its original and the original's other
    translations (never itself). No query for a topic outside any group (get_topic_for_user's
    has_translations says)."""
    if topic.translation_of_id is None and not getattr(topic, "has_translations", True):
        return []
    original_id = topic.translation_of_id or topic.pk
    return list(
        permissions.visible_topics(user)
        .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
        .exclude(pk=topic.pk)
        .only("id", "slug", "title", "language", "translation_of_id")
        .order_by("language", "pk")
    )


def topic_from_reference(user: Any, reference: str) -> Topic | None:
    """The topic a pasted address ("/t/slug/123", a full URL) or number names, if the user may see it."""
    match = re.search(r"/t/(?:[^/]+/)?(\d+)", reference) or re.fullmatch(r"\s*#?(\d+)\s*", reference)
    if match is None:
        return None
    topic = permissions.visible_topics(user).select_related("category").filter(pk=int(match.group(1))).first()
    return topic if topic is not None and permissions.can(user, "see", topic) else None


def post_for_idempotency_key(user: Any, key: Any) -> Post | None:
    """The post a person's earlier write with this idempotency key made (its topic joined), else None."""
    if key is None or not getattr(user, "is_authenticated", False):
        return None
    found = IdempotencyKey.objects.filter(user=user, key=key).select_related("post__topic").first()
    return found.post if found is not None else None
