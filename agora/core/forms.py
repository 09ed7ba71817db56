"""Form helpers shared by the apps' views."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as _lazy

from agora.core.languages import language_autonym, language_choices, normalize_content_language
from agora.core.translated_names import cleaned_translations, translated


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


class TranslationsForm(forms.Form):
    """The translations of a category's, tag's or group's name and description: one row per language the
    interface is offered in (English, the rows' own language, aside), one per language already translated,
    and a row to add any other content language by its code. `cleaned_data["translations"]` is
    {code: {field: text}}, checked by `cleaned_translations` (an unknown code refuses the whole form)."""

    new_language = forms.CharField(
        label=_("Another language"),
        required=False,
        max_length=20,
        help_text=_("A language code such as “ur”, “sw” or “pt-BR”."),
        widget=forms.TextInput(attrs={"size": 8, "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, translations: dict[str, dict[str, str]], fields: dict[str, str], **kwargs: Any):
        """`fields`: field name -> "line" or "text" (a one-line name, a longer description)."""
        super().__init__(*args, **kwargs)
        self.translated_fields = fields
        offered = [code for code, _name in settings.LANGUAGES if code.split("-")[0] != "en"]
        codes = [normalize_content_language(code) or code for code in offered]
        self.languages = list(dict.fromkeys([*codes, *sorted(translations)]))
        self.rows: list[dict[str, Any]] = []
        for code in self.languages:
            row: dict[str, Any] = {"code": code, "name": language_autonym(code), "fields": []}
            for field, kind in fields.items():
                key = f"{code}__{field}"
                self.fields[key] = self._field(kind, field, code)
                self.initial.setdefault(key, (translations.get(code) or {}).get(field, ""))
                row["fields"].append(key)
            self.rows.append(row)
        for field, kind in fields.items():
            self.fields[f"new__{field}"] = self._field(kind, field, "")

    @staticmethod
    def _field(kind: str, field: str, code: str) -> forms.CharField:
        attrs = {"dir": "auto"} | ({"lang": code} if code else {})
        label = _("Name") if field == "name" else _("Description")
        if kind == "text":
            return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3, **attrs}))
        return forms.CharField(label=label, required=False, max_length=200, widget=forms.TextInput(attrs=attrs))

    @property
    def language_rows(self) -> list[dict[str, Any]]:
        """For the template: each language's code, name and bound fields."""
        return [{**row, "fields": [self[key] for key in row["fields"]]} for row in self.rows]

    @property
    def new_row(self) -> list[Any]:
        return [self[f"new__{field}"] for field in self.translated_fields]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        rows = {code: {f: cleaned.get(f"{code}__{f}", "") for f in self.translated_fields} for code in self.languages}
        new_code = (cleaned.get("new_language") or "").strip()
        new_row = {f: cleaned.get(f"new__{f}", "") for f in self.translated_fields}
        if new_code:
            if not any(text.strip() for text in new_row.values()):
                self.add_error("new_language", _("Give the name in that language, or leave the code empty."))
            rows[new_code] = new_row
        elif any(text.strip() for text in new_row.values()):
            self.add_error("new_language", _("Which language is this? Give its code."))
        try:
            cleaned["translations"] = cleaned_translations(rows, fields=tuple(self.translated_fields))
        except ValidationError as error:
            self.add_error("new_language", error)
        return cleaned


@functools.lru_cache(maxsize=256)
def _language_options(choices: tuple[tuple[str, str], ...], selected: str) -> str:
    # Keyed by the choices as shown (their labels are in the reader's language) and the chosen code.
    return "".join(
        format_html(
            '<option value="{}"{}{}>{}</option>',
            code,
            mark_safe(f' lang="{escape(code)}"') if code else "",
            mark_safe(" selected") if code == selected else "",
            label,
        )
        for code, label in choices
    )


class LanguageSelect(forms.Select):
    """A <select> of the 330-odd content languages, its options written once per reader's language and
    choice, not through a template per option: the topic page's reply form has one, and rendering 330
    option templates cost that page some 20 ms of CPU."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        choices = tuple((str(code), str(label)) for code, label in self.choices)
        selected = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            mark_safe(_language_options(choices, selected)),
        )


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
        kwargs.setdefault("widget", LanguageSelect)
        super().__init__(choices=lambda: language_choices(blank), **kwargs)

    def to_python(self, value: Any) -> str:
        # pt_br, PT-br: the code people mean, in its conventional case; anything else stays as typed, to
        # be refused by validate() with its own name in the message.
        value = super().to_python(value)
        return normalize_content_language(value) or value
