"""Notification addresses: /notifications, marking them read, opening one, watching levels, preferences."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications", views.notification_list, name="list"),
    path("notifications/mark-read", views.mark_read, name="mark_read"),
    path("notifications/<int:pk>/open", views.notification_open, name="open"),
    path("notifications/watch", views.watch, name="watch"),
    path("my/notifications", views.preferences, name="preferences"),
]
