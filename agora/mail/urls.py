"""Mail addresses: a person's email choices, one-click unsubscribing, the staff's list addresses."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/email", views.email_settings, name="settings"),
    path("mail/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("mail/lists", views.list_addresses, name="lists"),
]
