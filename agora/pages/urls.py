"""Addresses of the site pages: /code-of-conduct, /guidelines, /editorial-guidelines, /about (each with
/edit, /history and /translations), and the page where members accept a changed code of conduct."""

from django.urls import path

from . import views
from .models import PAGE_SLUGS

# One plain address per page (not a <slug> pattern at the root, which would shadow everything after it).
urlpatterns = [path("code-of-conduct/accept", views.code_accept, name="code_accept")]
for _slug in PAGE_SLUGS:
    urlpatterns += [
        path(_slug, views.page, {"slug": _slug}, name="page"),
        path(f"{_slug}/edit", views.page_edit, {"slug": _slug}, name="page_edit"),
        path(f"{_slug}/history", views.page_history, {"slug": _slug}, name="page_history"),
        path(f"{_slug}/translations", views.page_translations, {"slug": _slug}, name="page_translations"),
        path(f"{_slug}/translations/<str:language>", views.page_translate, {"slug": _slug}, name="page_translate"),
    ]
