"""Addresses of the site pages: /code-of-conduct, /guidelines, /editorial-guidelines, /about."""

from django.urls import path, re_path

from . import views
from .models import PAGE_SLUGS

_SLUG = "(?P<slug>" + "|".join(PAGE_SLUGS) + ")"

urlpatterns = [
    path("code-of-conduct/accept", views.code_accept, name="code_accept"),
    re_path(rf"^{_SLUG}$", views.page, name="page"),
    re_path(rf"^{_SLUG}/edit$", views.page_edit, name="page_edit"),
    re_path(rf"^{_SLUG}/history$", views.page_history, name="page_history"),
]
