"""The page that edits the translations of a row's name and description (a category, a tag, a group):
one form, the same refusals, the same way back, whoever may open it (the caller checks that)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.core.forms import TranslationsForm, add_service_errors

NAME_AND_DESCRIPTION = {"name": "line", "description": "text"}


def translations_page(
    request: HttpRequest,
    *,
    translations: dict[str, dict[str, str]],
    save: Callable[[dict[str, dict[str, str]]], Any],
    own_name: str,
    address: str,
    markdown: bool = False,
) -> HttpResponse:
    """Show the form, and on a valid POST call `save(translations)` (a service, which may refuse with a
    ValidationError: shown on the form, nothing saved) and go back to `address`."""
    form = TranslationsForm(request.POST or None, translations=translations, fields=NAME_AND_DESCRIPTION)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data["translations"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translations are saved."))
            return redirect(address)
    context = {"form": form, "own_name": own_name, "address": address, "markdown": markdown}
    return render(request, "core/translations.html", context, status=400 if form.errors else 200)
