"""Plain-text helpers shared by forms."""

import unicodedata

# Zero-width non-joiner and joiner shape Persian, Indic and emoji text: they stay.
_KEPT_FORMAT_CHARACTERS = "\u200c\u200d"


def clean_line(value: str) -> str:
    """One line of text: no control or invisible formatting characters (bidi overrides, zero-width
    spaces), runs of white space folded to one space, trimmed."""
    kept = "".join(c for c in value if unicodedata.category(c)[0] != "C" or c in _KEPT_FORMAT_CHARACTERS)
    return " ".join(kept.split())
