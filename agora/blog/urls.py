"""Blog addresses: the reader pages and their Atom feeds, then the writers' and editors' pages. Feeds
come before the pages whose address they extend (a slug may hold a dot), and every fixed address before
/blog/<slug> (services.RESERVED_SLUGS keeps stories off them)."""

from django.urls import path

from . import editorial, feeds, views

urlpatterns = [
    path("blog", views.index, name="index"),
    path("blog.atom", feeds.LatestStoriesFeed(), name="feed"),
    path("blog/category/<str:slug>.atom", feeds.CategoryFeed(), name="category_feed"),
    path("blog/tag/<str:name>.atom", feeds.TagFeed(), name="tag_feed"),
    path("blog/series/<str:slug>.atom", feeds.SeriesFeed(), name="series_feed"),
    path("blog/submit", editorial.story_new, name="submit"),
    path("blog/autosave", editorial.story_autosave, name="autosave"),
    path("blog/mine", editorial.my_stories, name="mine"),
    path("blog/translate", editorial.help_translate, name="translate"),
    path("blog/translate/<int:pk>", editorial.translation_start, name="translation_start"),
    path("blog/review", editorial.review_queue, name="review"),
    path("blog/review/calendar", editorial.editorial_calendar, name="calendar"),
    path("blog/stories/<int:pk>", editorial.story_desk, name="desk"),
    path("blog/stories/<int:pk>/edit", editorial.story_edit, name="edit"),
    path("blog/stories/<int:pk>/revisions", editorial.story_revisions, name="revisions"),
    path("blog/stories/<int:pk>/submit", editorial.story_submit, name="desk_submit"),
    path("blog/stories/<int:pk>/withdraw", editorial.story_withdraw, name="withdraw"),
    path("blog/stories/<int:pk>/delete", editorial.story_delete, name="delete"),
    path("blog/stories/<int:pk>/claim", editorial.story_claim, name="claim"),
    path("blog/stories/<int:pk>/request-changes", editorial.story_request_changes, name="request_changes"),
    path("blog/stories/<int:pk>/schedule", editorial.story_schedule, name="schedule"),
    path("blog/stories/<int:pk>/publish", editorial.story_publish, name="publish"),
    path("blog/stories/<int:pk>/decline", editorial.story_decline, name="decline"),
    path("blog/stories/<int:pk>/unpublish", editorial.story_unpublish, name="unpublish"),
    path("blog/stories/<int:pk>/feature", editorial.story_feature, name="feature"),
    path("blog/stories/<int:pk>/comment", editorial.story_comment, name="comment"),
    path("blog/stories/<int:pk>/authors", editorial.story_authors, name="authors"),
    path("blog/stories/<int:pk>/translation", editorial.story_translation, name="translation"),
    path("blog/category/<str:slug>", views.category, name="category"),
    path("blog/tag/<str:name>", views.tag, name="tag"),
    path("blog/author/<str:username>", views.author, name="author"),
    path("blog/language/<str:code>", views.language, name="language"),
    path("blog/series/<str:slug>", views.series, name="series"),
    path("blog/<int:year>/<int:month>", views.archive, name="archive"),
    path("blog/<str:slug>", views.story_detail, name="story"),
]
