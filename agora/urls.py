"""URL map. Discourse-style addresses; URL names are prefixed by app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from agora.accounts import views as accounts
from agora.core import views as core
from agora.discuss import moderation_views as discuss_moderation
from agora.discuss import profile_views
from agora.discuss import translation_views as discuss_translations
from agora.discuss import views as discuss

discuss_patterns = [
    path("", discuss.latest, name="home"),
    path("latest", discuss.latest, name="latest"),
    path("top", discuss.top, name="top"),
    path("unanswered", discuss.unanswered, name="unanswered"),
    path("categories", discuss.categories, name="categories"),
    path("c/<str:slug>", discuss.category, name="category"),
    path("c/<str:slug>/translations", discuss_translations.category_translations, name="category_translations"),
    path("tags", discuss.tags, name="tags"),
    path("tag/<str:name>", discuss.tag, name="tag"),
    path("tag/<str:name>/translations", discuss_translations.tag_translations, name="tag_translations"),
    path("new-topic", discuss.topic_new, name="topic_new"),
    path("t/<int:pk>", discuss.topic_redirect, name="topic_short"),
    path("t/-/<int:pk>/<int:number>", discuss.topic_redirect, name="topic_post_short"),
    path("t/<str:slug>/<int:pk>", discuss.topic_detail, name="topic"),
    path("t/<str:slug>/<int:pk>/<int:number>", discuss.topic_detail, name="topic_post"),
    path("t/<int:pk>/reply", discuss.reply, name="reply"),
    path("t/<int:pk>/status", discuss.topic_status, name="topic_status"),
    path("t/<int:pk>/translation", discuss.topic_translation, name="topic_translation"),
    path("t/<int:pk>/edit-meta", discuss_moderation.topic_meta, name="topic_meta"),
    path("t/<int:pk>/merge", discuss_moderation.topic_merge, name="topic_merge"),
    path("t/<int:pk>/move-posts", discuss_moderation.topic_move_posts, name="topic_move_posts"),
    path("t/<int:pk>/pin", discuss_moderation.topic_pin, name="topic_pin"),
    path("p/<int:pk>/like", discuss.post_like, name="post_like"),
    path("p/<int:pk>/bookmark", discuss.post_bookmark, name="post_bookmark"),
    path("p/<int:pk>/edit", discuss.post_edit, name="post_edit"),
    path("p/<int:pk>/delete", discuss.post_delete, name="post_delete"),
    path("p/<int:pk>/restore", discuss.post_restore, name="post_restore"),
    path("p/<int:pk>/revisions", discuss.post_revisions, name="post_revisions"),
    path("p/<int:pk>/solve", discuss.post_solve, name="post_solve"),
    path("p/<int:pk>/hide", discuss_moderation.post_hide, name="post_hide"),
    path("p/<int:pk>/wiki", discuss_moderation.post_wiki, name="post_wiki"),
    path("p/<int:pk>/lock", discuss_moderation.post_lock, name="post_lock"),
    path("bookmarks", discuss.bookmarks, name="bookmarks"),
]

accounts_patterns = [
    path("u/<str:username>", profile_views.profile, name="profile"),
    path("u/<str:username>/<str:tab>", profile_views.profile, name="profile_tab"),
    path("my/preferences", accounts.preferences, name="preferences"),
    path("language/<str:code>", accounts.language_switch, name="language"),
]

urlpatterns = [
    # First: their addresses end in .rss, .atom, .json (/c/<slug>.rss, /u/<name>.json) that Discuss's
    # /c/<slug> and /u/<username> would otherwise take as a slug or a name.
    path("", include(("agora.live.urls", "live"))),
    path("", include(("agora.feeds.urls", "feeds"))),
    path("", include(("agora.api.urls", "api"))),
    path("", include(("agora.api.discourse_urls", "discourse"))),
    path("", include(("agora.search.urls", "search"))),
    path("", include(("agora.syndication.urls", "syndication"))),
    path("", include((discuss_patterns, "discuss"))),
    path("", include(("agora.trust.urls", "trust"))),  # before the profile tabs: /u/<name>/trust
    # Before the profile's /u/<username>/<tab>, which would take /u/<username>/moderate.
    path("", include(("agora.moderation.people_urls", "moderation_people"))),
    # Before the profile's tabs: /u/<name>/flag is a flag form, not a tab.
    path("", include(("agora.moderation.urls", "moderation"))),
    path("", include((accounts_patterns, "accounts"))),
    path("", include(("agora.groups.urls", "groups"))),
    path("", include(("agora.discuss.message_urls", "messages"))),
    path("", include(("agora.notifications.urls", "notifications"))),
    path("", include(("agora.mail.urls", "mail"))),
    path("", include(("agora.blog.urls", "blog"))),
    path("", include(("agora.events.urls", "events"))),
    path("", include(("agora.pages.urls", "pages"))),
    path("healthz", core.healthz, name="healthz"),
    path("img/remote/<str:token>", core.remote_image, name="remote_image"),
    path("preview", discuss.preview, name="preview"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>(?:avatars|groups|blog|imports)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler400 = "agora.core.views.bad_request"
handler403 = "agora.core.views.permission_denied"
handler404 = "agora.core.views.page_not_found"
handler500 = "agora.core.views.server_error"
