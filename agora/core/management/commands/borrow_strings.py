"""Bring the messages Django and django-allauth show on Agora's pages into Agora's own catalogues.

Sign-up, log-in, password and email pages come from django-allauth, and form errors from Django. Those
projects translate them into many languages but not all of ours (allauth has no Hindi or Punjabi, and
Django's Punjabi is partial), so a Punjabi reader would meet English on the log-in page. This command:

1. writes `agora/core/borrowed_strings.py`, which marks each such message (read from the installed
   packages' own English catalogue and sources), so `makemessages` puts them in our catalogues; our
   catalogues come first (LOCALE_PATHS), so our translation is the one shown;
2. with `--fill`, copies those projects' existing translations into our empty entries, so translators
   only write what neither project has.

`make messages` runs both steps around makemessages.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import allauth
import django
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agora.core.catalogues import catalogue_paths

MODULE = Path(__file__).resolve().parents[2] / "borrowed_strings.py"
# What of allauth our pages use: the account app (forms, adapter, models) and its page, mail and message
# templates (our own templates/allauth/ replaces its layout and elements).
ALLAUTH_REFERENCES = ("account/", "templates/account/", "templates/allauth/", "core/")
# What of Django our forms show: field and form errors, validators, password rules.
DJANGO_SOURCES = (
    "forms/fields.py",
    "forms/models.py",
    "forms/forms.py",
    "forms/formsets.py",
    "core/validators.py",
    "db/models/fields/__init__.py",
    "db/models/base.py",
    "contrib/auth/password_validation.py",
    "contrib/auth/forms.py",
    "contrib/auth/validators.py",
)
XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=npgettext_lazy:1c,2,3",
]

HEADER = '''"""Messages of Django and django-allauth that Agora's pages show, so Agora's catalogues translate them.

Written by `manage.py borrow_strings` (run by `make messages`); do not edit. Nothing calls this function:
makemessages reads it.
"""

from django.utils.translation import gettext, ngettext, npgettext, pgettext


def _messages() -> None:  # pragma: no cover
'''


def _allauth_messages():
    english = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    with english.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or not any(
            ref.startswith(ALLAUTH_REFERENCES) or ref.startswith(tuple(f"allauth/{p}" for p in ALLAUTH_REFERENCES))
            for ref, _line in message.locations
        ):
            continue
        yield message.context, message.id


def _django_messages():
    root = Path(django.__file__).parent
    xgettext = shutil.which("xgettext")
    if not xgettext:
        raise CommandError("xgettext is needed to read Django's messages (Debian: apt-get install gettext).")
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "django.pot"
        subprocess.run(  # noqa: S603 (Django's own files, given to gettext's xgettext)
            [
                xgettext,
                "--language=Python",
                "--from-code=UTF-8",
                "--no-location",
                *XGETTEXT_KEYWORDS,
                "--output",
                str(pot),
                *[str(root / source) for source in DJANGO_SOURCES],
            ],
            check=True,
        )
        text = pot.read_text(encoding="utf-8").replace(
            "nplurals=INTEGER; plural=EXPRESSION", "nplurals=2; plural=(n != 1)"
        )
        catalog = read_po(io.StringIO(text))
    for message in catalog:
        if message.id:
            yield message.context, message.id


def _literal(text: str) -> str:
    return repr(text)


def _call(context, msgid) -> str:
    if isinstance(msgid, tuple):
        if context:
            return f"    npgettext({_literal(context)}, {_literal(msgid[0])}, {_literal(msgid[1])}, 0)"
        return f"    ngettext({_literal(msgid[0])}, {_literal(msgid[1])}, 0)"
    if context:
        return f"    pgettext({_literal(context)}, {_literal(msgid)})"
    return f"    gettext({_literal(msgid)})"


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--fill", action="store_true", help="Copy Django's and allauth's translations into our empty entries."
        )

    def handle(self, *args, fill=False, **options):
        if fill:
            self._fill()
            return
        seen: dict[tuple, None] = {}
        for context, msgid in [*_allauth_messages(), *_django_messages()]:
            key = (context, msgid)
            seen.setdefault(key, None)
        lines = [_call(context, msgid) for context, msgid in seen]
        MODULE.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(lines)} messages of Django and allauth marked in {MODULE.name}.")

    def _fill(self):
        borrowed = {
            (c, m if not isinstance(m, tuple) else m[0]) for c, m in [*_allauth_messages(), *_django_messages()]
        }
        for code, po in catalogue_paths(Path(settings.LOCALE_PATHS[0])).items():
            locale_name = code.replace("-", "_")
            theirs = {}
            for source in (
                Path(django.__file__).parent / "conf" / "locale",
                Path(django.__file__).parent / "contrib" / "auth" / "locale",
                Path(allauth.__file__).parent / "locale",
            ):
                path = source / locale_name / "LC_MESSAGES" / "django.po"
                if not path.exists():
                    continue
                with path.open("rb") as handle:
                    for message in read_po(handle, locale=locale_name):
                        key = (message.context, message.id[0] if isinstance(message.id, tuple) else message.id)
                        strings = message.string if isinstance(message.string, tuple) else (message.string,)
                        if message.id and not message.fuzzy and all(strings):
                            theirs.setdefault(key, message.string)
            with po.open("rb") as handle:
                ours = read_po(handle, locale=locale_name)
            filled = 0
            for message in ours:
                key = (message.context, message.id[0] if isinstance(message.id, tuple) else message.id)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if key in borrowed and key in theirs and not any(strings):
                    candidate = theirs[key]
                    if isinstance(message.id, tuple) != isinstance(candidate, tuple):
                        continue
                    if isinstance(candidate, tuple) and len(candidate) != ours.num_plurals:
                        continue
                    message.string = candidate
                    filled += 1
            if filled:
                with po.open("wb") as handle:
                    write_po(handle, ours, width=76, omit_header=False, no_location=True)
            self.stdout.write(f"{code}: {filled} entries filled from Django's and allauth's catalogues.")
