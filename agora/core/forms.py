"""Form helpers shared by the apps' views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from agora.core.translated_names import translated


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one the form has, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class TranslatedNameChoiceField(forms.ModelChoiceField):
    """A choice of categories or groups, each labelled with its name in the reader's language (the value
    stays the row's id, so a picker in Arabic posts the same form as one in English)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(translated(obj, "name"))
