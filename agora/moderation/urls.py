"""Moderation addresses: flag forms beside the posts and people they are about, and the review queue."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/<int:pk>/flag", views.flag_post, name="flag_post"),
    path("u/<str:username>/flag", views.flag_user, name="flag_user"),
    path("review", views.review_queue, name="review"),
    path("review/<int:pk>", views.review_act, name="review_act"),
]
