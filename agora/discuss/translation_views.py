"""Staff edit the translations of a category's and a tag's name and description: /c/<slug>/translations
and /tag/<name>/translations. Anyone else gets 404, as for the site pages' edit pages."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

from agora.core.translation_pages import translations_page

from . import queries, services


def category_translations(request: HttpRequest, slug: str) -> HttpResponse:
    category = queries.category_for_translating(request.user, slug)
    return translations_page(
        request,
        translations=category.translations,
        save=lambda translations: services.category_translations_save(
            actor=request.user, category=category, translations=translations
        ),
        own_name=category.name,
        address=category.get_absolute_url(),
    )


def tag_translations(request: HttpRequest, name: str) -> HttpResponse:
    tag = queries.tag_for_translating(request.user, name)
    return translations_page(
        request,
        translations=tag.translations,
        save=lambda translations: services.tag_translations_save(
            actor=request.user, tag=tag, translations=translations
        ),
        own_name=f"#{tag.name}",
        address=f"/tag/{quote(tag.name)}",
    )
