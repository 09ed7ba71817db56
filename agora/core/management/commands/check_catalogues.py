"""Check the interface's catalogues, as CI does: every marked string is in every catalogue, the shipped
languages translate all of them, placeholders match their source, and each catalogue compiles."""

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from agora.core.catalogues import catalogue_paths, syntax_errors

# The languages Agora ships complete: a string missing from one of these fails the check. A language
# a translator adds is offered once it passes AGORA_LANGUAGE_THRESHOLD and need not be complete.
COMPLETE_LANGUAGES = ("es", "fr", "ar", "hi", "pa")
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "tests", "bench", "var"]

# %(name)s, %s, %d ... (Python's % formatting, as Django's gettext calls use) and {name} (str.format).
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*\d*(?:\.\d+)?(?P<kind>[diouxXeEfFgGcrsa%])")
_BRACES = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """(the %-placeholders in order, as written; the {name} placeholders, sorted)."""
    percent = [m.group(0) for m in _PERCENT.finditer(text) if m.group("kind") != "%"]
    return percent, sorted(m.group(0) for m in _BRACES.finditer(text))


def _same_placeholders(source: str, translation: str, *, plural: bool) -> bool:
    src_pct, src_braces = placeholders(source)
    tr_pct, tr_braces = placeholders(translation)
    named = all("(" in p for p in src_pct)
    if named:
        # Named placeholders may move; a plural form may leave the number out (Arabic writes "one" and
        # "two" as words), but nothing may appear that the source does not have.
        if plural:
            return set(tr_pct) <= set(src_pct) and set(tr_braces) <= set(src_braces)
        return sorted(tr_pct) == sorted(src_pct) and tr_braces == src_braces
    if plural:
        return tr_pct in (src_pct, []) and set(tr_braces) <= set(src_braces)
    return tr_pct == src_pct and tr_braces == src_braces


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix-headers", action="store_true", help="Write Language and Plural-Forms (from CLDR) into each header."
        )

    def handle(self, *args, fix_headers=False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        catalogues = catalogue_paths(locale_dir)
        if fix_headers:
            for code, po in catalogues.items():
                self._fix_header(code, po)
            self.stdout.write("Headers written.")
            return
        problems: list[str] = []
        sources = self._current_messages()
        for code in COMPLETE_LANGUAGES:
            if code not in catalogues:
                problems.append(f"{code}: no catalogue (agora/locale/{code}/LC_MESSAGES/django.po)")
        for code, po in catalogues.items():
            problems += self._check(code, po, sources, complete=code in COMPLETE_LANGUAGES)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the catalogues (README, 'Languages').")
        self.stdout.write(f"{len(catalogues)} catalogues, {len(sources)} messages: all present, placeholders match.")

    def _current_messages(self) -> set[tuple[str | None, str]]:
        """(context, msgid) of every string marked in the code now: makemessages run on a copy of it."""
        if not shutil.which("xgettext"):
            raise CommandError(
                "The check gathers the marked strings with gettext's xgettext, which is not installed "
                "(Debian: apt-get install gettext)."
            )
        base = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(
                base / "agora", Path(tmp) / "agora", ignore=shutil.ignore_patterns("__pycache__", "*.mo", "locale")
            )
            (Path(tmp) / "agora" / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
            here = os.getcwd()
            os.chdir(tmp)
            try:
                call_command(
                    "makemessages", locale=["en"], no_location=True, ignore_patterns=MAKEMESSAGES_IGNORE, verbosity=0
                )
            finally:
                os.chdir(here)
            with open(Path(tmp) / "agora" / "locale" / "en" / "LC_MESSAGES" / "django.po", "rb") as handle:
                catalog = read_po(handle)
        return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}

    def _check(self, code: str, po: Path, sources, *, complete: bool) -> list[str]:
        problems = []
        shown = po.relative_to(settings.BASE_DIR) if po.is_relative_to(settings.BASE_DIR) else po
        name = f"{code} ({shown})"
        broken = syntax_errors(po.read_text(encoding="utf-8"))
        if broken:
            return [f"{name}: does not parse: {', '.join(broken[:3])}"]
        try:
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=code.replace("-", "_"), abort_invalid=True)
        except Exception as exc:  # noqa: BLE001 (any parse error is reported with its line)
            return [f"{name}: does not parse: {exc}"]
        have = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}
        missing = sources - have.keys()
        if missing:
            sample = "; ".join(repr(msgid) for _ctx, msgid in sorted(missing, key=str)[:5])
            problems.append(f"{name}: {len(missing)} marked string(s) missing (run `make messages`): {sample}")
        expected = get_plural(code.replace("-", "_")).num_plurals
        if catalog.num_plurals != expected:
            problems.append(f"{name}: Plural-Forms says {catalog.num_plurals} forms, CLDR says {expected}")
        for key, message in have.items():
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if complete and key in sources and (message.fuzzy or not all(strings)):
                problems.append(f"{name}: not translated: {key[1]!r}")
                continue
            plural = isinstance(message.id, tuple)
            for index, text in enumerate(strings):
                if not text:
                    continue
                if plural and not _same_placeholders(message.id[1], text, plural=True):
                    problems.append(f"{name}: placeholders differ in {key[1]!r} (form {index}): {text!r}")
                elif not plural and not _same_placeholders(message.id, text, plural=False):
                    problems.append(f"{name}: placeholders differ in {key[1]!r}: {text!r}")
        msgfmt = shutil.which("msgfmt")
        if msgfmt:  # gettext's own reading of the file, where it is installed (CI installs it)
            run = subprocess.run(  # noqa: S603 (our own file, given to gettext's msgfmt)
                [msgfmt, "--check-format", "--check-header", "-o", os.devnull, str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode:
                problems.append(f"{name}: msgfmt refuses it: {run.stderr.strip()}")
        try:
            from babel.messages.mofile import write_mo

            write_mo(io.BytesIO(), catalog)
        except Exception as exc:  # noqa: BLE001 (any compile error is reported)
            problems.append(f"{name}: does not compile: {exc}")
        return problems

    def _fix_header(self, code: str, po: Path) -> None:
        plural = get_plural(code.replace("-", "_"))
        text = po.read_text(encoding="utf-8")
        text = re.sub(r'"Language: [^"\\]*\\n"', f'"Language: {code}\\\\n"', text, count=1)
        text = re.sub(
            r'"Plural-Forms: [^"\\]*\\n"',
            f'"Plural-Forms: nplurals={plural.num_plurals}; plural={plural.plural_expr};\\\\n"',
            text,
            count=1,
        )
        text = text.replace("charset=CHARSET", "charset=UTF-8")
        po.write_text(text, encoding="utf-8")
