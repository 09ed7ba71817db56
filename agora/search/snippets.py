"""Snippets: a stretch of a hit's text around the first matched word, escaped, with the matched words in
<mark>. The text is escaped piece by piece before the marks go in, so the result is safe HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape

from .text import term_pattern

LENGTH = 240


def _pattern(terms: Sequence[str], *, whole: bool = False) -> re.Pattern[str] | None:
    parts = [term_pattern(t, whole=whole) for t in sorted(set(terms), key=len, reverse=True) if t.strip()]
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def snippet(text: str, terms: Sequence[str], length: int = LENGTH) -> str:
    """Up to `length` characters of `text` around the first match, with every match marked."""
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    pattern = _pattern(terms, whole=True)
    start = 0
    if first and first.start() > length // 3:
        start = first.start() - length // 3
        # Begin at a word boundary, not in the middle of a word.
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        end = space if space != -1 else end
    piece = text[start:end]
    out: list[str] = ["…" if start > 0 else ""]
    position = 0
    if pattern:
        for found in pattern.finditer(piece):
            if found.end() == found.start():
                continue
            out.append(escape(piece[position : found.start()]))
            out.append(f"<mark>{escape(found.group(0))}</mark>")
            position = found.end()
    out.append(escape(piece[position:]))
    if end < len(text):
        out.append("…")
    return "".join(out)
