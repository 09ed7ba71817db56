"""Addresses of the moderator pages about people and of the staff action log (included from agora.urls,
before the profile's /u/<username>/<tab>)."""

from django.urls import path

from . import people_views

urlpatterns = [
    path("u/<str:username>/moderate", people_views.person_panel, name="person"),
    path("review/log", people_views.action_log_page, name="log"),
]
