"""Feeds (RSS, Atom, JSON Feed) and the embeddable widget. Included before Discuss's patterns, so
/c/<slug>.rss is a feed, not a category called "<slug>.rss"."""

from django.urls import path

from agora.blog import feeds as blog

from . import views

# Each address in three formats; JSON Feed takes .feed.json, as .json is the Discourse-compatible JSON.
FORMATS = {"rss": "rss", "atom": "atom", "feed.json": "json"}


def _three(route: str, view, name: str) -> list:
    return [path(f"{route}.{suffix}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for suffix, fmt in FORMATS.items()]


def _blog(route: str, base: type, name: str) -> list:
    # The blog's Atom addresses stay the blog's own (agora/blog/urls.py): RSS and JSON Feed beside them.
    return [
        path(f"{route}.rss", views.BlogFeed(base, "rss"), name=f"{name}_rss"),
        path(f"{route}.feed.json", views.BlogFeed(base, "json"), name=f"{name}_json"),
    ]


urlpatterns = [
    *_three("latest", views.latest, "latest"),
    *_three("c/<str:slug>", views.category, "category"),
    *_three("tag/<str:name>", views.tag, "tag"),
    *_three("g/<str:name>", views.group, "group"),
    *_three("u/<str:username>", views.person, "person"),
    *_three("t/<str:slug>/<int:pk>", views.topic, "topic"),
    *_blog("blog", blog.LatestStoriesFeed, "blog"),
    *_blog("blog/category/<str:slug>", blog.CategoryFeed, "blog_category"),
    *_blog("blog/tag/<str:name>", blog.TagFeed, "blog_tag"),
    *_blog("blog/series/<str:slug>", blog.SeriesFeed, "blog_series"),
    path("embed", views.embed_builder, name="embed"),
    path("embed/topics", views.embed, {"kind": "topics"}, name="embed_topics"),
    path("embed/stories", views.embed, {"kind": "stories"}, name="embed_stories"),
    path("embed/events", views.embed, {"kind": "events"}, name="embed_events"),
]
