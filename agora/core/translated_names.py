"""Names and descriptions of categories, tags and groups in the reader's language.

Each of those rows keeps its translations in a JSON field, by content language code:
`{"ar": {"name": "...", "description": "..."}, "pt-BR": {...}}` (groups also keep the rendered
`description_html`). `translated()` picks the reader's: the exact language, then its base language
(`pt-BR` -> `pt`), then the row's own field. Addresses (slugs, tag names in URLs, group handles)
never change; only what readers see does. A lookup is a dict lookup or two, so lists call it per item.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora.core.languages import normalize_content_language

# The row's own attribute a translated field falls back to, where it is not the field itself: a group's
# translated "name" stands for its display name (full name, else handle), never for its handle.
_OWN_ATTRIBUTE = {"name": ("display_name", "name")}


@lru_cache(maxsize=256)
def language_candidates(language: str) -> tuple[str, ...]:
    """The translation keys to try for an interface or content language, best first: as given, in its
    conventional case (Django's "pt-br" is "pt-BR"), then its base language."""
    candidates = [language]
    normal = normalize_content_language(language)
    if normal and normal not in candidates:
        candidates.append(normal)
    base = language.split("-")[0].lower()
    if base not in candidates:
        candidates.append(base)
    return tuple(candidates)


def _own(obj: Any, field: str) -> Any:
    for attribute in _OWN_ATTRIBUTE.get(field, (field,)):
        if hasattr(obj, attribute):
            return getattr(obj, attribute)
    return ""


def translated(obj: Any, field: str, language: str | None = None) -> Any:
    """`obj`'s `field` ("name", "description", "description_html") in `language` (the active interface
    language by default), falling back to the base language, then to the row's own text."""
    translations = getattr(obj, "translations", None)
    if translations:
        for code in language_candidates(language or get_language() or "en"):
            entry = translations.get(code)
            if entry and entry.get(field):
                return entry[field]
    return _own(obj, field)


def cleaned_translations(rows: dict[str, dict[str, str]], *, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Translations as a form sent them, checked and tidied: every code a content language (in its
    conventional case), text stripped, empty fields and languages left out. An unknown code raises
    ValidationError, so nothing is saved."""
    cleaned: dict[str, dict[str, str]] = {}
    for code, values in rows.items():
        normal = normalize_content_language(code)
        if normal is None:
            raise ValidationError(
                _("“%(code)s” is not a language code we know (try a code such as “ar”, “pa” or “pt-BR”).")
                % {"code": code},
                code="unknown_language",
            )
        entry = {field: (values.get(field) or "").strip() for field in fields}
        entry = {field: text for field, text in entry.items() if text}
        if entry:
            cleaned[normal] = entry
    return cleaned
