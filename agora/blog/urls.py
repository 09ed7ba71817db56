"""Blog addresses: the reader pages and their Atom feeds. Feeds come before the pages whose address
they extend (a slug may hold a dot)."""

from django.urls import path

from . import feeds, views

urlpatterns = [
    path("blog", views.index, name="index"),
    path("blog.atom", feeds.LatestStoriesFeed(), name="feed"),
    path("blog/category/<str:slug>.atom", feeds.CategoryFeed(), name="category_feed"),
    path("blog/tag/<str:name>.atom", feeds.TagFeed(), name="tag_feed"),
    path("blog/series/<str:slug>.atom", feeds.SeriesFeed(), name="series_feed"),
    path("blog/category/<str:slug>", views.category, name="category"),
    path("blog/tag/<str:name>", views.tag, name="tag"),
    path("blog/author/<str:username>", views.author, name="author"),
    path("blog/language/<str:code>", views.language, name="language"),
    path("blog/series/<str:slug>", views.series, name="series"),
    path("blog/<int:year>/<int:month>", views.archive, name="archive"),
    path("blog/<str:slug>", views.story_detail, name="story"),
]
