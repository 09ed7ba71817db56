"""Usernames under wiki rules: letters of any script, digits, spaces, ( ) - . and no look-alikes."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 2
MAX_LENGTH = 60


def normalize_username(value: str) -> str:
    """NFC, trimmed, inner runs of white space and underscores folded to one space (as MediaWiki)."""
    value = unicodedata.normalize("NFC", value or "")
    value = value.replace("_", " ")
    return re.sub(r"\s+", " ", value).strip()


def canonical_username(value: str) -> str:
    """What uniqueness is judged on: NFKC, case folded."""
    return unicodedata.normalize("NFKC", normalize_username(value)).casefold()


_ALLOWED_PUNCTUATION = set(" ()-.")


def _char_allowed(char: str) -> bool:
    if char in _ALLOWED_PUNCTUATION:
        return True
    category = unicodedata.category(char)
    # Letters and marks of any script (marks are needed by Indic and other scripts), digits.
    return category[0] in {"L", "M"} or category == "Nd"


def validate_username_characters(value: str) -> None:
    if value != normalize_username(value):
        raise ValidationError(_("Leading, trailing or repeated spaces are not allowed."), code="spaces")
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise ValidationError(
            _("A username has %(min)d to %(max)d characters.") % {"min": MIN_LENGTH, "max": MAX_LENGTH},
            code="length",
        )
    bad = sorted({c for c in value if not _char_allowed(c)})
    if bad:
        raise ValidationError(
            _("A username may hold letters, digits, spaces, parentheses, hyphens and dots; not: %(chars)s")
            % {"chars": " ".join(bad)},
            code="characters",
        )
    if not any(unicodedata.category(c)[0] == "L" for c in value):
        raise ValidationError(_("A username needs at least one letter."), code="letter")


USERNAME_VALIDATORS = [validate_username_characters]


def _build_confusables() -> dict[str, str]:
    """Map each confusable character to one prototype, from the confusable_homoglyphs data."""
    try:
        from confusable_homoglyphs import confusables
    except ImportError:  # pragma: no cover - a hard dependency, but never crash on import
        return {}
    data = confusables.confusables_data if hasattr(confusables, "confusables_data") else None
    if data is None:
        from confusable_homoglyphs.utils import load

        data = load("confusables.json")
    mapping: dict[str, str] = {}
    for char, entries in data.items():
        # The prototype is the smallest code point among the character and its homoglyphs that is
        # ASCII when possible, so Cyrillic "а" and Latin "a" fold to the same thing.
        candidates = [char] + [entry["c"] for entry in entries if len(entry["c"]) == 1]
        ascii_candidates = [c for c in candidates if c.isascii()]
        mapping[char] = min(ascii_candidates or candidates)
    return mapping


_CONFUSABLES: dict[str, str] | None = None


def username_skeleton(value: str) -> str:
    """A skeleton in the spirit of Unicode TR39: look-alike names share one."""
    global _CONFUSABLES
    if _CONFUSABLES is None:
        _CONFUSABLES = _build_confusables()
    folded = unicodedata.normalize("NFKD", canonical_username(value))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    skeleton = "".join(_CONFUSABLES.get(c, c) for c in folded)
    # Spaces, dots and hyphens do not tell names apart to the eye, nor do 0/o and 1/l.
    skeleton = re.sub(r"[\s.\-]+", "", skeleton.casefold())
    return skeleton.translate(str.maketrans({"0": "o", "1": "l", "|": "l", "i": "l"}))
