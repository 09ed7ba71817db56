"""Languages content can be written in, from CLDR through Babel: BCP 47 codes, autonyms, directions.

Every language CLDR describes (some 330, plus a few script and regional variants the movement writes in)
can tag a topic, post, story or event. Reading CLDR's data for all of them takes most of a second, so it
is read once, on first use, never at import.
"""

from collections.abc import Iterator
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from django.utils.functional import lazy

# Variants written apart from their base language (CLDR knows them; they are not base identifiers).
_VARIANTS = ("pt_BR", "zh_Hans", "zh_Hant", "sr_Latn", "es_419")
# Codes whose CLDR identifier is an alias, and the data kept under another name.
_NOT_CONTENT = {"root", "und"}


def _bcp47(identifier: str) -> str:
    return identifier.replace("_", "-")


def _capitalised(name: str) -> str:
    # CLDR writes many autonyms in lower case ("français"), as they read mid-sentence; a picker starts
    # each with a capital, as the language's own menus do. Scripts without case are unchanged.
    return name[:1].upper() + name[1:]


@cache
def _table() -> dict[str, tuple[str, str]]:
    """code -> (autonym, direction), for every content language, in the order of their codes."""
    table: dict[str, tuple[str, str]] = {}
    identifiers = sorted({i for i in locale_identifiers() if "_" not in i} | set(_VARIANTS))
    for identifier in identifiers:
        if identifier in _NOT_CONTENT:
            continue
        try:
            locale = Locale.parse(identifier)
        except (UnknownLocaleError, ValueError):
            continue
        name = locale.get_display_name(locale) or identifier
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
        table[_bcp47(identifier)] = (_capitalised(name), direction)
    return table


@cache
def _by_folded_code() -> dict[str, str]:
    return {code.casefold(): code for code in _table()}


def content_languages() -> list[tuple[str, str]]:
    """(code, autonym) for every content language, sorted by autonym as a picker lists them."""
    return sorted(((code, name) for code, (name, _d) in _table().items()), key=lambda item: item[1].casefold())


def language_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """Choices for a form field; `blank` labels an empty first choice when given."""
    choices = content_languages()
    return [("", blank), *choices] if blank is not None else choices


def normalize_content_language(code: str | None) -> str | None:
    """The content language `code` names, in its conventional case (pt_br -> pt-BR), or None."""
    if not code:
        return None
    return _by_folded_code().get(code.strip().replace("_", "-").casefold())


def is_content_language(code: str | None) -> bool:
    return bool(code) and code in _table()


def language_autonym(code: str) -> str:
    """The language's name in itself ("ਪੰਜਾਬੀ"), or the code when CLDR does not know it."""
    entry = _table().get(code)
    return entry[0] if entry else code


def language_direction(code: str) -> str:
    """ "rtl" or "ltr", for dir attributes on content in that language."""
    entry = _table().get(code)
    if entry:
        return entry[1]
    base = code.split("-")[0]
    entry = _table().get(base)
    return entry[1] if entry else "ltr"


@cache
def _display_name(code: str, reader_locale: str) -> str:
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(reader_locale.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return language_autonym(code)
    return _capitalised(name) if name else language_autonym(code)


def language_name(code: str, reader_locale: str | None = None) -> str:
    """The language's name in the reader's interface language ("Punjabi" for an English reader)."""
    if reader_locale is None:
        from django.utils.translation import get_language

        reader_locale = get_language() or "en"
    return _display_name(code, reader_locale)


class _Codes:
    """A set-like view of the content language codes that reads CLDR on first use."""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in _table()

    def __iter__(self) -> Iterator[str]:
        return iter(_table())

    def __len__(self) -> int:
        return len(_table())


CONTENT_LANGUAGE_CODES = _Codes()
# For code that wants the list itself lazily (class attributes of forms).
lazy_language_choices = lazy(language_choices, list)
