"""Usernames under wiki rules: letters of any script, digits, spaces, ( ) - . and no look-alikes.

Three forms of a name:
- as typed, normalised (NFC, underscores read as spaces, runs of spaces folded): what is stored and shown;
- canonical (NFKC + case folding): what uniqueness is judged on, so "ALICE", "alice" and "Alice"
  written with a fullwidth A (U+FF21) are one name;
- skeleton (in the spirit of Unicode TR39): what "looks the same" is judged on, so "Alice" with a
  Cyrillic A (U+0410), "AIice" (capital I) and "Al1ce" are refused once "Alice" exists.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 2
MAX_LENGTH = 60
# NFKC can expand a character many times over (one Arabic ligature becomes 18 letters).
CANONICAL_MAX_LENGTH = 120
SKELETON_MAX_LENGTH = 255

_ALLOWED_PUNCTUATION = frozenset(" ()-.")
# Zero-width joiner and non-joiner: needed inside Persian and Indic names, invisible anywhere else.
_JOINERS = frozenset("\u200c\u200d")
MAX_MARKS_IN_A_ROW = 4


def normalize_username(value: str) -> str:
    """NFC, trimmed, inner runs of white space and underscores folded to one space (as MediaWiki)."""
    value = unicodedata.normalize("NFC", value or "")
    value = value.replace("_", " ")
    return re.sub(r"\s+", " ", value).strip()


def canonical_username(value: str) -> str:
    """What uniqueness is judged on: NFKC, case folded."""
    return unicodedata.normalize("NFKC", normalize_username(value)).casefold()


def _char_allowed(char: str) -> bool:
    if char in _ALLOWED_PUNCTUATION or char in _JOINERS:
        return True
    category = unicodedata.category(char)
    # Letters and marks of any script (marks are needed by Indic and other scripts), digits.
    return category[0] in {"L", "M"} or category == "Nd"


def validate_username_characters(value: str) -> None:
    if value != unicodedata.normalize("NFC", value):
        # Forms normalise what people type; only a name set in code can get here.
        raise ValidationError(_("A username must be in Unicode normal form C."), code="normal_form")
    if value != normalize_username(value):
        raise ValidationError(_("Underscores and leading, trailing or repeated spaces are not allowed."), code="spaces")
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH or len(canonical_username(value)) > CANONICAL_MAX_LENGTH:
        raise ValidationError(
            _("A username has %(min)d to %(max)d characters.") % {"min": MIN_LENGTH, "max": MAX_LENGTH},
            code="length",
        )
    bad = sorted({c for c in value if not _char_allowed(c)})
    if bad:
        shown = " ".join(f"U+{ord(c):04X}" if unicodedata.category(c)[0] in "CZ" else c for c in bad)
        raise ValidationError(
            _("A username may hold letters, digits, spaces, parentheses, hyphens and dots; not: %(chars)s")
            % {"chars": shown},
            code="characters",
        )
    if not any(unicodedata.category(c)[0] == "L" for c in value):
        raise ValidationError(_("A username needs at least one letter."), code="letter")
    # A mark or joiner must follow a letter or another mark; long stacks of marks ("Zalgo") hide letters.
    run = 0
    previous = " "
    for char in value:
        kind = "J" if char in _JOINERS else unicodedata.category(char)[0]
        if kind in {"M", "J"}:
            run += 1
            if previous in _ALLOWED_PUNCTUATION or run > MAX_MARKS_IN_A_ROW:
                raise ValidationError(_("Accents and other marks must sit on a letter."), code="marks")
        else:
            run = 0
            previous = char
    if value[-1] in _JOINERS:
        raise ValidationError(_("Accents and other marks must sit on a letter."), code="marks")


USERNAME_VALIDATORS = [validate_username_characters]


# --- Look-alikes --------------------------------------------------------------------------------

# Letters, digits and signs that TR39 keeps apart but that look alike in the fonts people use:
# "AIice" (capital I), "Al1ce" and "Alice"; "B0b" and "Bob".
_EXTRA_LOOKALIKES = [("i", "l"), ("o", "0")]

# Combining classes of marks that are easy to miss, so "José"/"Jose", "Ёлка"/"Елка" or Arabic
# and Hebrew names with and without vowel points look alike: overlays, nukta, Hebrew and Arabic
# points, and the attached and above/below diacritics. Viramas (9) and the fixed-position vowel
# signs of Indic, Thai and Tibetan scripts stay: they change the shape of the letters.
_MISSABLE_MARK_CLASSES = frozenset({1, 7, *range(10, 36), *range(200, 241)})
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")


@cache
def _confusables() -> dict[str, str]:
    """Map each character to the prototype of its class of look-alikes.

    confusable_homoglyphs stores Unicode's confusables.txt as a symmetric table (each source lists
    its prototype and each prototype its sources), so classes are its connected parts. A class
    whose prototype is a sequence (m → rn) maps to that sequence; otherwise to its smallest ASCII
    member, else its smallest character.
    """
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for key, entries in data.items():
        key = key.translate(_BIDI_MARKS)
        for entry in entries:
            other = entry["c"].translate(_BIDI_MARKS)
            if key and other and (len(key) == 1 or len(other) == 1):
                union(key, other)
    for a, b in _EXTRA_LOOKALIKES:
        union(a, b)

    classes: dict[str, list[str]] = {}
    for node in list(parent):
        classes.setdefault(find(node), []).append(node)
    mapping: dict[str, str] = {}
    for members in classes.values():
        sequences = [m for m in members if len(m) > 1]
        singles = [m for m in members if len(m) == 1]
        if sequences:
            prototype = min(sequences, key=lambda s: (not s.isascii(), len(s), s))
        else:
            prototype = min(singles, key=lambda s: (not s.isascii(), s))
        for member in singles:
            if member != prototype:
                mapping[member] = prototype
    return mapping


def _strip_missable_marks(text: str) -> str:
    return "".join(c for c in text if c not in _JOINERS and unicodedata.combining(c) not in _MISSABLE_MARK_CLASSES)


def _map_lookalikes(text: str) -> str:
    table = _confusables()
    return unicodedata.normalize("NFD", "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text)))


def username_skeleton(value: str) -> str:
    """A skeleton in the spirit of Unicode TR39: names that look alike share one.

    Look-alikes are mapped once as typed (Cyrillic capital En, o, er, ie look like "Hope" only in
    that case: their small forms do not look like "hope") and once more after case folding.
    Spaces, dots and hyphens do not tell names apart to the eye, so they are dropped.
    """
    text = unicodedata.normalize("NFKC", normalize_username(value))
    text = _map_lookalikes(_strip_missable_marks(unicodedata.normalize("NFD", text)))
    text = _map_lookalikes(text.casefold())
    text = re.sub(r"[\s.\-]+", "", text)
    return text[:SKELETON_MAX_LENGTH]


def check_username_available(username: str, *, exclude_pk: int | None = None) -> None:
    """Raise ValidationError when the name, or a look-alike of it, is already taken."""
    from .models import User

    others = User.objects.all() if exclude_pk is None else User.objects.exclude(pk=exclude_pk)
    if others.filter(username_canonical=canonical_username(username)).exists():
        raise ValidationError(_("A user with that username already exists."), code="taken")
    if others.filter(username_skeleton=username_skeleton(username)).exists():
        raise ValidationError(
            _("That username looks too much like the name of someone already here. Please choose another."),
            code="lookalike",
        )


def username_is_free(name: str) -> bool:
    """True when `name` is a valid name here that nobody (nor a look-alike) holds: what importers and logins
    from other sites try before falling back to a numbered name."""
    try:
        validate_username_characters(name)
        check_username_available(name)
    except ValidationError:
        return False
    return True
