"""Text as the index holds it: plain text from stored HTML, normalised the same way for documents and
queries (case folded, Arabic harakat and tatweel dropped, so a word is found with or without them), and
which words are found by substring (scripts written without spaces, and Indic scripts)."""

from __future__ import annotations

import html
import re
import unicodedata

# Arabic marks: Quranic annotation signs, harakat (fathatan … sukun, and the rest of the block's marks),
# the superscript alef, small high signs; and the tatweel (a stretch, not a letter).
_ARABIC_MARKS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]"
_ARABIC_MARKS_RE = re.compile(_ARABIC_MARKS)

# Scripts found by substring: Han, kana, Hangul syllables are words without spaces; Thai, Lao, Khmer and
# Myanmar write without spaces between words; the Indic scripts (Devanagari … Sinhala) have no stemmer
# worth the name in most databases, so a word finds its inflected forms by substring.
_SUBSTRING_SCRIPTS = re.compile(
    "[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_TAG_RE = re.compile(r"<[^>]*>")
_BLOCK_END_RE = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre|td|th|tr)>|<br\s*/?>", re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")
_WORDLIKE_RE = re.compile(r"\w")


def html_to_text(value: str) -> str:
    """The words of sanitised HTML (a post's or a story's stored body), one space between them."""
    value = _BLOCK_END_RE.sub(" ", value or "")
    value = _TAG_RE.sub(" ", value)
    return _SPACES_RE.sub(" ", html.unescape(value)).strip()


def normalise(value: str) -> str:
    """What the full-text tables store and what a query term is turned into before it is matched."""
    value = unicodedata.normalize("NFKC", value or "")
    return _ARABIC_MARKS_RE.sub("", value).casefold()


def by_substring(term: str) -> bool:
    """Is this term searched by substring (trigram) rather than as a word?"""
    return bool(_SUBSTRING_SCRIPTS.search(term))


def has_word(term: str) -> bool:
    """A term with no letter or digit (a lone dash, quotes, punctuation) finds nothing and is dropped."""
    return bool(_WORDLIKE_RE.search(term))


_AROUND = r"[\w\-\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*"


def term_pattern(term: str, *, whole: bool = False) -> str:
    """A regular expression finding `term` in the original text: any case, Arabic marks allowed between
    its letters; a longer word also finds the words sharing its stem (the PostgreSQL stemmers' matches).
    `whole` extends a word's match to the whole word (with its hyphenated compound: "wiki" marks
    "Wiki-Loves"), as the full-text index matched it; a substring term (Chinese, Indic) stays itself.
    Use `whole` on short stretches only: it backtracks across a long run of letters."""
    term = normalise(term)
    if " " in term.strip():
        return r"\s+".join(term_pattern(word, whole=whole) for word in term.split())
    letters = [re.escape(ch) + _ARABIC_MARKS + "*" for ch in term]
    exact = "".join(letters)
    if by_substring(term):
        return exact
    core = f"{exact}|{''.join(letters[: len(term) - 2])}" if len(term) >= 5 else exact
    return f"{_AROUND}(?:{core}){_AROUND}" if whole else f"(?:{core})"
