"""Linked entries: a story that points at a post on another site (an affiliate's blog, brought in by
agora.syndication), published at once with its excerpt, its source and its discussion topic."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core.markdown import render_markdown
from agora.core.page_cache import content_changed

from ..models import BlogCategory, Story, StoryEvent
from ._common import State, _unique_slug
from .topic import story_topic_open


@transaction.atomic
def linked_story_publish(
    *,
    author: User,
    title: str,
    lead: str,
    external_url: str,
    source_name: str,
    source_author: str = "",
    language: str = "en",
    categories: Iterable[BlogCategory] = (),
    published_at: datetime | None = None,
) -> Story:
    """Publish a linked entry: the title and a plain-text excerpt here, the text at `external_url`.
    `author` is the story's author row (syndication gives each feed a person of its own); the remote
    author's name is `source_author`. Opens the discussion topic as every published story does."""
    title, lead = " ".join(title.split())[:255], lead.strip()[:1000]
    if not title:
        raise ValidationError(_("A linked entry needs a title."), code="no_title")
    if urlsplit(external_url).scheme not in {"http", "https"} or len(external_url) > 1000:
        raise ValidationError(_("A linked entry needs an http or https address."), code="bad_url")
    now = timezone.now()
    # A date in the future (a wrong clock at the source) would pin the entry to the top of every list.
    when = min(published_at, now) if published_at is not None else now
    body = lead or title
    story = Story.objects.create(
        title=title,
        slug=_unique_slug(title),
        lead=lead or title,
        body=body,
        body_html=render_markdown(body),
        language=language or "en",
        created_by=author,
        state=State.PUBLISHED,
        published_at=when,
        created_at=now,
        updated_at=now,
        external_url=external_url,
        source_name=source_name[:200],
        source_author=source_author[:200],
    )
    story.authors.set([author])
    story.categories.set(list(categories))
    StoryEvent.objects.create(story=story, user=None, from_state=State.DRAFT, to_state=State.PUBLISHED)
    story.topic = story_topic_open(story=story, user=author, when=when)
    story.save(update_fields=["topic"])
    content_changed()
    return story
