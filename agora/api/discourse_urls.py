"""Discourse-compatible JSON: /latest.json, /t/<id>.json, /posts.json ... for Discourse clients and scripts
(agora.api.discourse). Included before Discuss's patterns, so /c/<slug>/<id>.json is ours."""

from django.urls import path

from agora.api.discourse import views

urlpatterns = [
    path("latest.json", views.latest, name="latest"),
    path("top.json", views.top, name="top"),
    path("new.json", views.new, name="new"),
    path("categories.json", views.categories, name="categories"),
    path("site.json", views.site, name="site"),
    path("c/<int:pk>.json", views.category_topics, name="category_by_id"),
    path("c/<int:pk>/show.json", views.category_show, name="category_show"),
    path("c/<str:slug>/<int:pk>.json", views.category_topics, name="category"),
    path("t/<int:pk>.json", views.topic, name="topic_by_id"),
    path("t/<int:pk>/posts.json", views.topic_posts, name="topic_posts"),
    path("t/<str:slug>/<int:pk>.json", views.topic, name="topic"),
    path("posts.json", views.posts, name="posts"),
    path("posts", views.posts, name="posts_bare"),  # pydiscourse's create_post posts here
    path("posts/<int:pk>.json", views.post, name="post"),
    path("posts/by_number/<int:pk>/<int:number>", views.post_by_number, name="post_by_number_bare"),  # pydiscourse's
    path("posts/by_number/<int:pk>/<int:number>.json", views.post_by_number, name="post_by_number"),
    path("post_actions.json", views.post_action, name="post_action"),
    path("post_actions", views.post_action, name="post_action_bare"),
    path("users/<str:username>.json", views.user, name="user"),
    path("search.json", views.search_json, name="search"),
    path("session/current.json", views.session_current, name="session_current"),
    path("notifications.json", views.notifications, name="notifications"),
    path("user_avatar/<str:username>/<int:size>", views.user_avatar, name="user_avatar"),
]
