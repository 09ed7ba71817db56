"""Syndicated feeds of affiliates blogs: the staff pages that manage them, in the blog's editorial area
(before the blog's /blog/<slug>; blog.services.RESERVED_SLUGS keeps stories off /blog/syndication)."""

from django.urls import path

from . import views

urlpatterns = [
    path("blog/syndication", views.feeds, name="feeds"),
    path("blog/syndication/<int:pk>/pause", views.feed_pause, name="pause"),
    path("blog/syndication/<int:pk>/remove", views.feed_remove, name="remove"),
    path("blog/syndication/<int:pk>/poll", views.feed_poll, name="poll"),
]
