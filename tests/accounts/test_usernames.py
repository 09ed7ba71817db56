"""Wiki usernames: any script, unique after Unicode folding, look-alikes refused, no false alarms."""

import pytest
from django.core.exceptions import ValidationError

from agora.accounts.adapter import AccountAdapter
from agora.accounts.models import User
from agora.accounts.usernames import (
    canonical_username,
    check_username_available,
    normalize_username,
    username_skeleton,
    validate_username_characters,
)
from tests import factories

CYRILLIC_A = "\u0410"
FULLWIDTH_A = "\uff21"

# Real-looking names people use, in many scripts; none of them may be taken for another.
ORDINARY_NAMES = [
    "Alice",
    "Ali",
    "Alina",
    "Bob",
    "Maria García",
    "José Luis",
    "Jean-Luc Picard",
    "Łukasz Nowak",
    "Søren Kierkegaard",
    "Nguyễn Văn An",
    "Anna (WMDE)",
    "Anna",
    "Ana",
    "محمد علي",
    "فاطمة الزهراء",
    "أحمد",
    "عمر",
    "راهول",
    "राहुल शर्मा",
    "प्रिया",
    "प्रिय",
    "कृष्ण",
    "संजय",
    "अमिता",
    "सुमन",
    "王伟",
    "李娜",
    "张伟",
    "王芳",
    "Дмитрий",
    "Сергей",
    "Наталья",
    "Олег",
    "Иван",
    "Ivan",
    "Νίκος",
    "Γιώργος",
    "Ελένη",
    "דוד",
    "שרה",
    "יוסף",
    "רחל",
    "Nora",
    "ሰላም ተስፋዬ",
    "김지우",
    "田中さくら",
    "حمید کریمی",
    "Ayşe Yılmaz",
    "Chen Wei",
    "Siddharth R.",
    "Нора",  # a Russian name that only shares letters' shapes in capitals
]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Jane_Doe", "Jane Doe"), ("  Jane   Doe ", "Jane Doe"), ("Jose\u0301", "José"), ("a_(b)", "a (b)")],
)
def test_it_normalises_as_a_wiki_does(typed, stored):
    assert normalize_username(typed) == stored


@pytest.mark.parametrize(
    "name",
    ["Alice", "Jane Doe", "Zoë", "O. Henry", "Anne-Marie", "Alice (WMF)", "王伟", "محمد", "राहुल", "Δ1", "R2-D2"],
)
def test_it_accepts_letters_of_any_script_digits_spaces_and_some_punctuation(name):
    validate_username_characters(name)


def test_it_accepts_joiners_inside_persian_and_indic_names():
    validate_username_characters("\u0645\u06cc\u200c\u0634\u0648\u062f")  # Persian with a zero-width non-joiner


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("A", "length"),
        ("x" * 61, "length"),
        ("\ufdfa" * 10, "length"),  # one ligature that NFKC turns into 18 letters
        ("al@ce", "characters"),
        ("bob/admin", "characters"),
        ("a_b", "spaces"),
        ("a  b", "spaces"),
        (" ab", "spaces"),
        ("tab\there", "spaces"),
        ("zero\u200bwidth", "characters"),
        ("right\u202eleft", "characters"),
        ("emoji 😀", "characters"),
        ("12345", "letter"),
        ("...", "letter"),
        ("\u0301ab", "marks"),
        ("\u00e1" + "\u0301" * 5, "marks"),
        ("Jose\u0301", "normal_form"),
        ("ab\u200c", "marks"),
    ],
)
def test_it_refuses_names_outside_the_rules(name, code):
    with pytest.raises(ValidationError) as error:
        validate_username_characters(name)
    assert error.value.code == code


def test_bad_characters_are_named_in_the_message():
    with pytest.raises(ValidationError) as error:
        validate_username_characters("a@b\u202e")
    assert "@ U+202E" in error.value.messages[0]


@pytest.mark.parametrize("variant", ["ALICE", "alice", "aLiCe", f"{FULLWIDTH_A}lice", "\uff21\uff2c\uff29\uff23\uff25"])
def test_case_and_width_variants_are_one_name(variant):
    assert canonical_username(variant) == canonical_username("Alice")


@pytest.mark.parametrize(
    "lookalike",
    [
        f"{CYRILLIC_A}lice",  # Cyrillic capital A
        "AIice",  # capital I for small l
        "Al1ce",  # digit one for i
        "A1ice",
        "Alice.",
        "A-lice",
        "Alicé",
        "\u0391lice",  # Greek capital Alpha
        "Ali\u0441e",  # Cyrillic small es
    ],
)
def test_lookalikes_share_a_skeleton(lookalike):
    assert username_skeleton(lookalike) == username_skeleton("Alice")


def test_capital_only_lookalikes_are_caught():
    """Cyrillic capitals EN, O, ER, IE look like HOPE; their small letters do not look like hope."""
    cyrillic = "\u041d\u043e\u0440\u0435"
    assert username_skeleton(cyrillic) == username_skeleton("Hope")
    assert username_skeleton("\u041d\u041e\u0420\u0415") == username_skeleton("HOPE")
    assert username_skeleton("\u043d\u043e\u0440\u0435") != username_skeleton("hope")


def test_the_skeleton_keeps_marks_that_change_indic_letters():
    assert username_skeleton("संजय") != username_skeleton("सजय")  # anusvara
    assert username_skeleton("प्रिया") != username_skeleton("प्रिय")  # vowel sign aa
    assert username_skeleton("अमित") != username_skeleton("अमिता")


def test_ordinary_names_never_collide():
    skeletons = {}
    for name in ORDINARY_NAMES:
        validate_username_characters(name)
        skeletons.setdefault(username_skeleton(name), []).append(name)
    assert [names for names in skeletons.values() if len(names) > 1] == []


def test_ordinary_names_are_all_accepted_at_signup_together(db):
    adapter = AccountAdapter()
    for name in ORDINARY_NAMES:
        factories.UserFactory(username=adapter.clean_username(name))
    assert User.objects.count() == len(ORDINARY_NAMES)


@pytest.mark.parametrize(
    ("taken", "attempt", "code"),
    [
        ("Alice", "alice", "taken"),
        ("Alice", f"{FULLWIDTH_A}lice", "taken"),
        ("Alice", "Alice_", "taken"),
        ("Alice", f"{CYRILLIC_A}lice", "lookalike"),
        ("Alice", "AIice", "lookalike"),
        ("Alice", "Al1ce", "lookalike"),
        ("Jean-Luc", "Jean Luc", "lookalike"),
        ("Иван", "\u0418\u0432\u0430\u043d\u0301", "lookalike"),  # an accent does not make a new name
    ],
)
def test_taken_names_and_their_lookalikes_are_refused(db, taken, attempt, code):
    factories.UserFactory(username=taken)
    with pytest.raises(ValidationError) as error:
        check_username_available(normalize_username(attempt))
    assert error.value.code == code


def test_a_user_may_keep_or_recase_their_own_name(db):
    alice = factories.UserFactory(username="Alice")
    check_username_available("ALICE", exclude_pk=alice.pk)
    with pytest.raises(ValidationError):
        check_username_available("ALICE")


def test_the_database_refuses_a_second_canonical_name(db):
    """The last line of defence, for two sign-ups at the same moment."""
    from django.db import IntegrityError, transaction

    factories.UserFactory(username="Alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ALICE")


def test_natural_key_lookups_use_the_canonical_form(db):
    alice = factories.UserFactory(username="Jane Doe")
    assert User.objects.get_by_natural_key("jane_doe") == alice
