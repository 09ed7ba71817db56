"""Form helpers shared by the apps' views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _lazy

from agora.core.languages import language_choices, normalize_content_language


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one the form has, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ContentLanguageField(forms.ChoiceField):
    """A content language picker. An unknown code posted (a stale page, a hand-made request) is a field
    error naming the code; `blank` labels the empty choice ("Same as the category") that lets the
    service detect the language from the text."""

    default_error_messages = {
        "invalid_choice": _lazy("“%(value)s” is not a language code we know. Choose a language from the list."),
    }

    def __init__(self, *, blank: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _lazy("Language"))
        kwargs.setdefault("required", blank is None)
        super().__init__(choices=lambda: language_choices(blank), **kwargs)

    def to_python(self, value: Any) -> str:
        # pt_br, PT-br: the code people mean, in its conventional case; anything else stays as typed, to
        # be refused by validate() with its own name in the message.
        value = super().to_python(value)
        return normalize_content_language(value) or value
