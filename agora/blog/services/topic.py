"""The discussion topic a published story opens: its opening post (lead, cover, link) and its
hiding and return when the story is unpublished and published again."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.discuss.models import Category, Post, Tag, Topic, TopicUser, make_slug
from agora.discuss.rendering import render_post_html

from ..models import Story
from ._common import BLOG_CATEGORY_SLUG


def _opening_post_raw(story: Story) -> str:
    """The topic's first post: the lead, the cover and a link to the story (its replies are the comments)."""
    parts = [story.lead]
    if story.cover:
        parts.append(f"![{story.cover_credit or story.title}]({story.cover.url})")
    parts.append(f"[{_('Read the story')}]({story.get_absolute_url()})")
    if story.external_url:
        # A linked entry: the text is at the source. Its name is escaped, and the address written as
        # <...> with the characters that could end it encoded, so remote words never become markup.
        name = re.sub(r"([\\`*_{}\[\]()<>#+!|~-])", r"\\\1", story.source_name or story.external_url)
        address = story.external_url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        parts.append(f"[{_('Read on %(site)s') % {'site': name}}](<{address}>)")
    return "\n\n".join(parts)


def _topic_user(story: Story) -> User:
    authors = list(story.authors.order_by("pk"))
    for author in authors:
        if author.pk == story.created_by_id:
            return author
    return authors[0] if authors else story.created_by


def story_topic_open(
    *, story: Story, user: User | None = None, when: datetime | None = None, tags: Iterable[Tag] = ()
) -> Topic:
    """Create the story's discussion topic in the blog category, counters kept as topic_create keeps them.
    Publishing and the WordPress import both open topics here (the import with the post's own date)."""
    category = Category.objects.filter(slug=BLOG_CATEGORY_SLUG).first()
    if category is None:
        raise ValidationError(_("The blog category is missing: run the migrations."), code="no_blog_category")
    user = user or _topic_user(story)
    now = when or timezone.now()
    topic = Topic.objects.create(
        title=story.title,
        slug=make_slug(story.title),
        category=category,
        user=user,
        language=story.language or category.default_language or "en",
        created_at=now,
        bumped_at=now,
        last_posted_at=now,
        last_poster=user,
        posts_count=1,
        highest_post_number=1,
    )
    if tags:
        topic.tags.set(list(tags))
    raw = _opening_post_raw(story)
    Post.objects.create(
        topic=topic, number=1, user=user, raw=raw, html=render_post_html(raw), created_at=now, updated_at=now
    )
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
    TopicUser.objects.get_or_create(topic=topic, user=user, defaults={"last_read_number": 1})
    return topic


def _set_topic_hidden(topic_id: int, hidden: bool) -> None:
    """Hide (or bring back) the story's topic as deleting (or restoring) its opening post would in
    discuss.services.post_delete and post_restore: the category loses (or regains) the topic and its live posts."""
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=topic_id)
    if (topic.deleted_at is not None) == hidden:
        return
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now() if hidden else None)
    live = Post.objects.filter(topic=topic, deleted_at__isnull=True).count()
    sign = -1 if hidden else 1
    Category.objects.filter(topics=topic).update(
        topic_count=F("topic_count") + sign, post_count=F("post_count") + sign * live
    )
