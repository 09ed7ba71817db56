"""URL patterns of private messages (namespace "messages"); a message itself is at /t/<slug>/<id>."""

from django.urls import path

from . import message_views as views

urlpatterns = [
    path("messages", views.inbox, name="inbox"),
    path("messages/sent", views.sent, name="sent"),
    path("messages/new", views.new, name="new"),
    path("messages/moderators", views.moderators, name="moderators"),
    path("messages/group/<str:name>", views.group_inbox, name="group_inbox"),
    path("messages/<int:pk>/add", views.add_participant, name="add_participant"),
    path("messages/<int:pk>/leave", views.leave, name="leave"),
]
