"""The interface's translation catalogues: which languages are ready to offer, and compiling them.

Plain functions, read by settings before Django starts: a language is offered when its
`agora/locale/<code>/LC_MESSAGES/django.po` has at least the threshold's share of messages translated.
Translators add a language by adding its catalogue (docs: README, "Languages"); no code names them.
"""

import os
import re
import tempfile
from pathlib import Path

from babel import Locale, UnknownLocaleError

SOURCE_LANGUAGE = "en"


def _entries(text: str):
    """(flags, msgid, msgstrs) for each entry of a .po file's text, read line by line (fast: no Babel)."""
    flags: set[str] = set()
    msgid: list[str] = []
    msgstrs: list[list[str]] = []
    current: list[str] | None = None
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            if msgid or msgstrs:
                yield flags, "".join(msgid), ["".join(s) for s in msgstrs]
            flags, msgid, msgstrs, current = set(), [], [], None
        elif line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            current = []
        elif line.startswith("msgid "):
            msgid = [line[6:].strip()[1:-1]]
            current = msgid
        elif line.startswith("msgstr"):
            current = [line.split(" ", 1)[1].strip()[1:-1]]
            msgstrs.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$')


def syntax_errors(text: str) -> list[str]:
    """Lines of a .po file that are neither comments nor well-quoted keyword/continuation lines."""
    return [
        f"line {number}: {line.strip()[:60]}"
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#") and not _PO_LINE.match(line.strip())
    ]


def translated_share(po_path: Path) -> tuple[int, int]:
    """(translated, total) messages of a catalogue; fuzzy and partly translated plurals count as missing."""
    translated = total = 0
    for flags, msgid, msgstrs in _entries(po_path.read_text(encoding="utf-8")):
        if not msgid:  # the header
            continue
        total += 1
        if "fuzzy" not in flags and msgstrs and all(msgstrs):
            translated += 1
    return translated, total


def catalogue_paths(locale_dir: Path) -> dict[str, Path]:
    """language code (BCP 47) -> its django.po, for every catalogue in the tree."""
    found = {}
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")):
        found[po.parent.parent.name.replace("_", "-")] = po
    return found


def _autonym(code: str) -> tuple[str, bool]:
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code, False
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:], locale.character_order == "right-to-left"


def interface_languages(locale_dir: Path, threshold: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(LANGUAGES, LANGUAGES_BIDI) for settings: English, then every catalogue at least `threshold`% done."""
    languages = [(SOURCE_LANGUAGE, _autonym(SOURCE_LANGUAGE)[0])]
    bidi = []
    for code, po in catalogue_paths(locale_dir).items():
        translated, total = translated_share(po)
        if code == SOURCE_LANGUAGE or not total or translated * 100 < threshold * total:
            continue
        name, rtl = _autonym(code)
        languages.append((code, name))
        if rtl:
            bidi.append(code)
    return languages, bidi


def compile_catalogues(locale_dir: Path, *, force: bool = False) -> list[str]:
    """Write django.mo beside each django.po that is newer than it (Babel: no gettext tools needed).

    Returns the catalogues compiled. Each .mo is written to a temporary file and renamed, so processes
    starting at once (test workers) never read half a file.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for code, po in catalogue_paths(locale_dir).items():
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code.replace("-", "_"))
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
        compiled.append(code)
    return compiled
