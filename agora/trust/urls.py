from django.urls import path

from . import views

urlpatterns = [
    path("read", views.read, name="read"),
    path("u/<str:username>/trust", views.user_trust, name="user_trust"),
]
