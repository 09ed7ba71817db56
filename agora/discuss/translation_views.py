"""Staff edit the translations of a category's and a tag's name and description: /c/<slug>/translations
and /tag/<name>/translations. Anyone else gets 404, as for the site pages' edit pages."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.core.forms import TranslationsForm, add_service_errors

from . import queries, services

_FIELDS = {"name": "line", "description": "text"}


def category_translations(request: HttpRequest, slug: str) -> HttpResponse:
    category = queries.category_for_translating(request.user, slug)
    form = TranslationsForm(request.POST or None, translations=category.translations, fields=_FIELDS)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_translations_save(
                actor=request.user, category=category, translations=form.cleaned_data["translations"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translations are saved."))
            return redirect(category.get_absolute_url())
    context = {"form": form, "own_name": category.name, "address": category.get_absolute_url()}
    return render(request, "core/translations.html", context, status=400 if form.errors else 200)


def tag_translations(request: HttpRequest, name: str) -> HttpResponse:
    tag = queries.tag_for_translating(request.user, name)
    form = TranslationsForm(request.POST or None, translations=tag.translations, fields=_FIELDS)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_translations_save(actor=request.user, tag=tag, translations=form.cleaned_data["translations"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translations are saved."))
            return redirect(tag.get_absolute_url())
    context = {"form": form, "own_name": f"#{tag.name}", "address": f"/tag/{quote(tag.name)}"}
    return render(request, "core/translations.html", context, status=400 if form.errors else 200)
