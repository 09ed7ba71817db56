"""Which interface language a reader gets, and the switcher's links.

The order: a member's `interface_language`, then the first of their `languages` (preferences) the site
offers, then the switcher's cookie, then Accept-Language, then LANGUAGE_CODE. Django's LocaleMiddleware
does the last three before anyone is signed in; `ReaderMiddleware` (core.middleware) then
applies a member's own choice. Only the languages in settings.LANGUAGES (catalogues at least
AGORA_LANGUAGE_THRESHOLD translated) are ever chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_supported_language_variant


def offered_language(code: str | None) -> str | None:
    """The offered interface language for a code ("pt-BR" may give "pt"), or None."""
    if not code:
        return None
    try:
        return get_supported_language_variant(code.strip().replace("_", "-").lower())
    except LookupError:
        return None


def member_language(person: Any) -> str | None:
    """A member's interface language: their choice, else the first of their languages on offer, else None
    (the request's language then stands). Reads the user row only: no query."""
    if person is None or not getattr(person, "is_authenticated", False):
        return None
    chosen = offered_language(getattr(person, "interface_language", ""))
    if chosen:
        return chosen
    for code in getattr(person, "language_list", ()):
        if found := offered_language(code):
            return found
    return None


def safe_next(request, target: str | None) -> str:
    """`target` when it is a path on this site, else "/": the switcher never sends anyone elsewhere."""
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return "/"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # the autonym: each language named in itself
    direction: str
    href: str
    current: bool


def language_links(request) -> list[LanguageLink]:
    """One switcher link per offered language, back to this page. Visitors' cached pages hold these too:
    the page's path is part of the cache key, so `next` is always the page's own."""
    here = quote(request.get_full_path() if request is not None else "/", safe="/")
    current = get_language()
    bidi = set(settings.LANGUAGES_BIDI)
    return [
        LanguageLink(
            code=code,
            name=name,
            direction="rtl" if code.split("-")[0] in bidi or code in bidi else "ltr",
            href=f"/language/{code}?next={here}",
            current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]


def mail_language(person: Any) -> str:
    """The language of a mail to a member sent outside any request (a task): theirs, else the site's."""
    return member_language(person) or settings.LANGUAGE_CODE
