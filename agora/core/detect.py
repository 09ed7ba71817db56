"""Which language a text is written in: what a topic, post, story or event gets when its form left the
language empty ("Same as the category").

Two signals. The script a text is written in names its language outright for many scripts (Gurmukhi is
Punjabi, Hangul Korean) and narrows it for others (Arabic script: Arabic unless the text reads as Persian
or Urdu); that works on a title of two words. For Latin and Cyrillic texts, py3langid's naive Bayes model
decides, restricted to living languages people write here, and only when it is confident: a short or
ambiguous text gets None, and the caller falls back (the category's language, the author's, the
interface's). The model takes most of a second to load, so it is loaded once per process, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from agora.core.languages import normalize_content_language

# Fewer letters than this and a Latin or Cyrillic text is not worth a guess ("ok", "Thanks!").
MIN_LETTERS = 12
# The model's normalised probability below which its answer is no answer.
MIN_CONFIDENCE = 0.5
# How much of the best score the caller's hint needs to win: "Hola amigo" in a Spanish category is
# Spanish even when the model leans a little towards Galician.
HINT_SHARE = 0.3

# Labels the model knows that nobody here writes in, or that are dialects it confuses with their
# language on short texts: left out, so their share goes to the living language next to them.
_LEFT_OUT = {"zxx", "grc", "hbo", "la", "sa", "vo", "ary", "arz", "wuu", "yue", "ext", "gcf", "gcr", "lij", "bcl"}

# Scripts by Unicode block: (first, last, script).
_BLOCKS = (
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x137F, "Ethiopic"),
    (0x1780, 0x17FF, "Khmer"),
    (0x3040, 0x309F, "Kana"),
    (0x30A0, 0x30FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
)

# Script -> (its language when nothing says otherwise, other languages the model may name instead).
# A default of None: the script alone does not say (Cyrillic is Russian, Ukrainian, Serbian, ...).
_SCRIPTS: dict[str, tuple[str | None, frozenset[str]]] = {
    "Gurmukhi": ("pa", frozenset()),
    "Gujarati": ("gu", frozenset()),
    "Oriya": ("or", frozenset()),
    "Tamil": ("ta", frozenset()),
    "Telugu": ("te", frozenset()),
    "Kannada": ("kn", frozenset()),
    "Malayalam": ("ml", frozenset()),
    "Sinhala": ("si", frozenset()),
    "Thai": ("th", frozenset()),
    "Lao": ("lo", frozenset()),
    "Khmer": ("km", frozenset()),
    "Myanmar": ("my", frozenset()),
    "Georgian": ("ka", frozenset()),
    "Armenian": ("hy", frozenset()),
    "Hangul": ("ko", frozenset()),
    "Kana": ("ja", frozenset()),
    "Greek": ("el", frozenset()),
    "Hebrew": ("he", frozenset({"yi"})),
    "Ethiopic": ("am", frozenset({"ti"})),
    "Arabic": ("ar", frozenset({"fa", "ur", "ps", "ug", "ku", "sd", "ckb", "sdh"})),
    "Devanagari": ("hi", frozenset({"mr", "ne"})),
    "Bengali": ("bn", frozenset({"as"})),
    "Han": ("zh", frozenset({"ja"})),
    "Cyrillic": (None, frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt", "ba"})),
}

_NOISE = re.compile(r"https?://\S+|www\.\S+|`[^`]*`|@[\w.-]+|#\w+|\[[^\]]*\]\([^)]*\)")


def _script(char: str) -> str:
    point = ord(char)
    if point < 0x0370:
        return "Latin"
    for first, last, name in _BLOCKS:
        if first <= point <= last:
            return name
    return "Other"


@cache
def _identifier() -> Any:
    """py3langid's model with normalised probabilities, restricted to the languages we keep. Loaded once
    per process (~0.8 s), never at import."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if code not in _LEFT_OUT])
    return identifier


def _ranked(text: str) -> list[tuple[str, float]]:
    return [(code, float(score)) for code, score in _identifier().rank(text)[:5]]


def detect_language(text: str, *, hint: str | None = None) -> str | None:
    """The content language code `text` is most likely written in, or None when it cannot tell.

    `hint` (the category's language, say) wins when the model finds it nearly as likely as its best
    guess: short texts in closely related languages lean on where they were written."""
    text = _NOISE.sub(" ", unicodedata.normalize("NFC", text or ""))
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    counts: dict[str, int] = {}
    for char in letters:
        script = _script(char)
        counts[script] = counts.get(script, 0) + 1
    # Japanese mixes kana into Han; any kana at all makes Han text Japanese.
    if counts.get("Kana") and counts.get("Han"):
        counts["Kana"] += counts.pop("Han")
    script, share = max(counts.items(), key=lambda item: item[1])
    if share * 10 < len(letters) * 6:
        return None  # no script holds 60% of the letters: a mixed text, nothing to say
    default, others = _SCRIPTS.get(script, (None, frozenset()))
    if default is not None and not others:
        return _known(default)
    if script not in _SCRIPTS and script != "Latin":
        return None
    ranked = _ranked(" ".join(text.split()))
    best, confidence = ranked[0]
    if default is not None:
        # The script says; the model may only move it to a sibling written in the same script.
        if best in others and confidence >= MIN_CONFIDENCE and len(letters) >= MIN_LETTERS:
            return _known(best)
        return _known(default)
    if len(letters) < MIN_LETTERS:
        return None
    if script == "Cyrillic" and best not in others:
        return None
    hinted = normalize_content_language(hint) if hint else None
    if hinted and hinted != best:
        score = dict(ranked).get(hinted.split("-")[0].lower(), 0.0)
        if score >= confidence * HINT_SHARE:
            return hinted
    if confidence < MIN_CONFIDENCE:
        return None
    return _known(best)


def _known(code: str) -> str | None:
    return normalize_content_language(code)


def language_for(given: str | None, text: str, *fallbacks: str | None) -> str:
    """The language to store for new or edited content: the one the form gave, else the one its text is
    detected in (leaning on the first fallback), else the first fallback that is a content language
    (category, author, interface), else English."""
    chosen = normalize_content_language(given)
    if chosen:
        return chosen
    candidates = [code for code in (normalize_content_language(f) for f in fallbacks) if code]
    detected = detect_language(text, hint=candidates[0] if candidates else None)
    return detected or (candidates[0] if candidates else "en")
