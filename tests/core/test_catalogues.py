"""The interface's catalogues: which languages are offered, compiling, and the check CI runs."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agora.core.catalogues import compile_catalogues, interface_languages, translated_share
from agora.core.management.commands.check_catalogues import _same_placeholders

HEADER = """msgid ""
msgstr ""
"Language: {code}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {plural}\\n"

"""


def write_catalogue(root: Path, code: str, entries: str, plural="nplurals=2; plural=(n > 1);") -> Path:
    po = root / code / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(HEADER.format(code=code, plural=plural) + entries, encoding="utf-8")
    return po


def entries(translated: int, missing: int) -> str:
    done = "".join(f'msgid "Message {i}"\nmsgstr "Message traduit {i}"\n\n' for i in range(translated))
    todo = "".join(f'msgid "Other {i}"\nmsgstr ""\n\n' for i in range(missing))
    return done + todo


def test_a_language_is_offered_only_from_the_threshold_with_its_autonym_and_direction(tmp_path):
    write_catalogue(tmp_path, "fr", entries(90, 10))
    write_catalogue(tmp_path, "ar", entries(89, 11))
    write_catalogue(tmp_path, "pa", entries(100, 0))
    languages, bidi = interface_languages(tmp_path, 90)
    assert languages == [("en", "English"), ("fr", "Français"), ("pa", "ਪੰਜਾਬੀ")]
    assert bidi == []
    languages, bidi = interface_languages(tmp_path, 80)
    assert ("ar", "العربية") in languages
    assert bidi == ["ar"]


def test_fuzzy_and_half_translated_plurals_count_as_missing(tmp_path):
    po = write_catalogue(
        tmp_path,
        "fr",
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Devine"\n\n'
        'msgid "%(count)s reply"\nmsgid_plural "%(count)s replies"\nmsgstr[0] "%(count)s réponse"\nmsgstr[1] ""\n\n'
        'msgid "Done"\nmsgstr "Fait"\n\n',
    )
    assert translated_share(po) == (1, 3)


def test_catalogues_compile_and_the_translation_is_used(tmp_path, settings):
    write_catalogue(tmp_path, "fr", 'msgid "Latest"\nmsgstr "Récents"\n\n')
    assert compile_catalogues(tmp_path) == ["fr"]
    assert compile_catalogues(tmp_path) == []  # unchanged since: nothing to do
    mo = tmp_path / "fr" / "LC_MESSAGES" / "django.mo"
    import gettext

    assert gettext.GNUTranslations(io.BytesIO(mo.read_bytes())).gettext("Latest") == "Récents"


@pytest.mark.parametrize(
    ("source", "translation", "plural", "ok"),
    [
        ("Hello %(name)s", "Bonjour %(name)s", False, True),
        ("%(a)s and %(b)s", "%(b)s et %(a)s", False, True),
        ("Hello %(name)s", "Bonjour %(nom)s", False, False),
        ("Hello %(name)s", "Bonjour", False, False),
        ("%s of %s", "%s sur %s", False, True),
        ("%s of %d", "%d sur %s", False, False),
        ("Hello {name}", "Bonjour {nom}", False, False),
        ("%(count)s replies", "رد واحد", True, True),  # Arabic's "one" may spell the number
        ("%(count)s replies", "%(n)s ردود", True, False),
        ("100%% sure", "sûr à 100 %%", False, True),
    ],
)
def test_placeholders_must_match_their_source(source, translation, plural, ok):
    assert _same_placeholders(source, translation, plural=plural) is ok


def check_with(
    settings,
    tmp_path,
    po_text: str,
    code="fr",
    plural="nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
):
    write_catalogue(tmp_path, code, po_text, plural=plural)
    settings.LOCALE_PATHS = [tmp_path]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_catalogues", stderr=err, stdout=io.StringIO())
    return [line for line in err.getvalue().splitlines() if line.startswith(f"{code} ")]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext (CI installs it)")
def test_the_check_names_a_missing_string_a_broken_placeholder_and_wrong_plural_forms(settings, tmp_path):
    problems = check_with(
        settings,
        tmp_path,
        'msgid "Log in"\nmsgstr "Se connecter"\n\n'
        '#, python-format\nmsgid "Welcome, %(name)s!"\nmsgstr "Bienvenue, %(nom)s !"\n\n'
        '#, python-format\nmsgid "Bye, %(name)s!"\nmsgstr "Au revoir, %(name)s !"\n\n',
        plural="nplurals=2; plural=(n > 1);",
    )
    text = "\n".join(problems)
    assert "marked string(s) missing" in text  # the catalogue holds two of the site's ~1,700 strings
    assert "placeholders differ in 'Welcome, %(name)s!'" in text
    assert "Plural-Forms says 2 forms, CLDR says 3" in text
    assert "Bye" not in text  # a placeholder kept is no problem


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext (CI installs it)")
def test_the_check_says_when_a_catalogue_does_not_parse(settings, tmp_path):
    problems = check_with(settings, tmp_path, 'msgid "Log in"\nmsgstr "Se connecter\n\n')
    assert any("does not parse" in p for p in problems)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext (CI installs it)")
def test_the_borrowed_messages_of_django_and_allauth_are_those_of_the_installed_versions(tmp_path, monkeypatch):
    from agora.core.management.commands import borrow_strings

    committed = borrow_strings.MODULE.read_text(encoding="utf-8")
    monkeypatch.setattr(borrow_strings, "MODULE", tmp_path / "borrowed_strings.py")
    call_command("borrow_strings", stdout=io.StringIO())
    assert (tmp_path / "borrowed_strings.py").read_text(encoding="utf-8") == committed, (
        "Django or allauth changed their messages: run `make messages` and translate what is new"
    )
    assert "gettext('The email address and/or password you specified are not correct.')" in committed


def test_without_xgettext_the_check_says_what_to_install(settings, tmp_path, monkeypatch):
    from agora.core.management.commands import check_catalogues

    monkeypatch.setattr(check_catalogues.shutil, "which", lambda name: None)
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match="apt-get install gettext"):
        call_command("check_catalogues", stdout=io.StringIO(), stderr=io.StringIO())
