"""Names and descriptions in the reader's language: the exact language, its base language, the row's own."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.core.translated_names import cleaned_translations, translated


def row(**translations):
    return SimpleNamespace(name="Events", description="Meetups and edit-a-thons", translations=translations)


def test_it_gives_the_languages_own_translation():
    category = row(ar={"name": "فعاليات"}, es={"name": "Eventos"})
    assert translated(category, "name", "ar") == "فعاليات"
    assert translated(category, "name", "es") == "Eventos"


def test_it_falls_back_to_the_base_language():
    category = row(pt={"name": "Eventos (pt)"})
    assert translated(category, "name", "pt-BR") == "Eventos (pt)"
    assert translated(category, "name", "pt-br") == "Eventos (pt)"  # Django's spelling of the code


def test_a_regional_translation_wins_over_its_base_language():
    category = row(pt={"name": "Eventos"}, **{"pt-BR": {"name": "Eventos no Brasil"}})
    assert translated(category, "name", "pt-br") == "Eventos no Brasil"
    assert translated(category, "name", "pt") == "Eventos"


def test_it_falls_back_to_the_rows_own_text():
    category = row(ar={"name": "فعاليات"})  # no description in Arabic
    assert translated(category, "name", "fr") == "Events"
    assert translated(category, "description", "ar") == "Meetups and edit-a-thons"
    assert translated(row(), "name", "ar") == "Events"


def test_it_reads_the_active_interface_language_by_default():
    category = row(ar={"name": "فعاليات"})
    with translation.override("ar"):
        assert translated(category, "name") == "فعاليات"
    with translation.override("en"):
        assert translated(category, "name") == "Events"


def test_a_groups_name_falls_back_to_its_display_name_never_its_handle():
    group = SimpleNamespace(name="wm-ar", display_name="Wikimedians of the Arab world", translations={})
    assert translated(group, "name", "fr") == "Wikimedians of the Arab world"


def test_cleaning_normalises_codes_and_drops_empty_rows():
    cleaned = cleaned_translations(
        {"PT_br": {"name": " Eventos "}, "ar": {"name": "", "description": ""}},
        fields=("name", "description"),
    )
    assert cleaned == {"pt-BR": {"name": "Eventos"}}


def test_cleaning_refuses_an_unknown_language_code():
    with pytest.raises(ValidationError) as refused:
        cleaned_translations({"xx-nowhere": {"name": "Nope"}}, fields=("name",))
    assert "xx-nowhere" in refused.value.messages[0]
