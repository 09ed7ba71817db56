"""Countries for the event form, filters and feeds: ISO 3166 codes and their names in the reader's
language, from CLDR through Babel (no hand list of names to translate). Events store the code only."""

from __future__ import annotations

import unicodedata
from functools import cache

from django.utils.translation import get_language

from agora.core.when import reader_locale

# CLDR names territories that are no ISO 3166 country: groupings, private-use codes and the
# "exceptionally reserved" ones (Ascension, Canary Islands…, written under their country). Kosovo's XK
# is user-assigned, but CLDR names it and people hold events there: it stays.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})


def _sort_key(name: str) -> str:
    # Near enough to a collation for a picker: "Égypte" files under E, case does not count.
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    territories = reader_locale(language).territories
    english = reader_locale("en").territories
    pairs = (
        (code, str(territories.get(code) or english[code]))
        for code in english
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


@cache
def _names(language: str) -> dict[str, str]:
    return dict(_countries(language))


def _language(language: str | None) -> str:
    return language or get_language() or "en"


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, named and sorted in the reader's language."""
    return list(_countries(_language(language)))


def is_country(code: str) -> bool:
    return code in _names("en")


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the reader's language ("Allemagne" for DE in French), "" for none."""
    return _names(_language(language)).get(code, "") if code else ""
