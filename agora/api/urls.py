"""The REST API under /api/v1/ and the members' page for their API keys."""

from django.urls import path

from . import views
from .v1.api import urlpatterns as v1_patterns

urlpatterns = [
    *v1_patterns,
    path("my/api-keys", views.keys, name="keys"),
    path("my/api-keys/<int:pk>/revoke", views.key_revoke, name="key_revoke"),
]
