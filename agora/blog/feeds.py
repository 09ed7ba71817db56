"""Atom feeds of the blog, with each story's full content: the whole blog, a category, a tag, a series.

Only published stories, the same for everyone (permissions.published_stories); a fixed number of
queries per feed.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agora.core.language_filter import language_filter
from agora.core.reader import reader_languages
from agora.core.translated_names import translated

from . import queries
from .models import BlogCategory, Series, Story

FEED_SIZE = 20


class FullContentAtom1Feed(Atom1Feed):
    """Atom with <content type="html"> (the whole story) and one <author> per author."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, uri in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class StoryFeed(Feed):
    feed_type = FullContentAtom1Feed

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request: the request goes on a copy, never on the shared one.
        feed = copy.copy(self)
        feed.request = request
        feed.user = request.user
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj: Any = None) -> str:
        return _("%(site)s blog") % {"site": settings.SITE_NAME}

    def link(self, obj: Any = None) -> str:
        return "/blog"

    def subtitle(self, obj: Any = None) -> str:
        return _("Stories by the movement")

    def stories(self, obj: Any):
        return queries.latest_stories(self.user)

    def items(self, obj: Any = None) -> list[Story]:
        # `?lang=pa,hi` narrows the feed; each story comes once, in the reader's language where it can.
        languages = language_filter(self.request, lead_with_reader=False)
        stories = queries.stories_for_reader(self.stories(obj), languages, reader_languages(self.request))
        return list(stories[:FEED_SIZE])

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.lead

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Story) -> str:
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_guid_is_permalink(self, item: Story) -> bool:
        return True

    def item_pubdate(self, item: Story):
        return item.published_at

    def item_updateddate(self, item: Story):
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at

    def item_categories(self, item: Story) -> list[str]:
        return [c.name for c in item.categories.all()] + [translated(t, "name") for t in item.tags.all()]

    def item_extra_kwargs(self, item: Story) -> dict:
        return {
            "content": item.body_html,
            "authors": [(a.name, self.request.build_absolute_uri(a.get_absolute_url())) for a in item.authors.all()],
        }


class LatestStoriesFeed(StoryFeed):
    pass


class CategoryFeed(StoryFeed):
    def get_object(self, request, slug: str) -> BlogCategory:
        return queries.get_blog_category(slug)

    def title(self, obj: BlogCategory) -> str:
        return obj.name

    def link(self, obj: BlogCategory) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: BlogCategory) -> str:
        return obj.description

    def stories(self, obj: BlogCategory):
        return queries.category_stories(self.user, obj)


class TagFeed(StoryFeed):
    def get_object(self, request, name: str):
        return queries.get_blog_tag(request.user, name)

    def title(self, obj) -> str:
        return _("Stories tagged %(tag)s") % {"tag": translated(obj, "name")}

    def link(self, obj) -> str:
        return f"/blog/tag/{quote(obj.name)}"

    def stories(self, obj):
        return queries.tag_stories(self.user, obj)


class SeriesFeed(StoryFeed):
    def get_object(self, request, slug: str) -> Series:
        return queries.get_series(slug)

    def title(self, obj: Series) -> str:
        return obj.name

    def link(self, obj: Series) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Series) -> str:
        return obj.description

    def stories(self, obj: Series):
        return queries.series_stories(self.user, obj)
