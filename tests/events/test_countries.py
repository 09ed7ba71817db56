"""Countries come from CLDR in the reader's language (no hand list of translated names); events keep
storing the ISO 3166 code."""

from pathlib import Path

import pytest
from django.utils import translation

from agora.events import countries
from agora.events.forms import EventForm
from tests.events.conftest import make_event


def test_country_names_in_french_and_arabic():
    assert countries.country_name("DE", "fr") == "Allemagne"
    assert countries.country_name("DE", "ar") == "ألمانيا"
    assert countries.country_name("IN", "pa") == "ਭਾਰਤ"
    assert countries.country_name("", "fr") == ""
    assert countries.country_name("QQ", "fr") == ""
    with translation.override("fr"):
        assert countries.country_name("EG") == "Égypte"


def test_the_picker_is_sorted_in_the_readers_language_without_regions_or_private_codes():
    french = [name for _code, name in countries.country_choices("fr")]
    assert french.index("Afrique du Sud") < french.index("Albanie") < french.index("Allemagne")
    # An accented initial files with its letter, not after Z.
    assert french.index("Équateur") < french.index("Espagne") < french.index("Fidji")
    codes = {code for code, _name in countries.country_choices("en")}
    assert {"FR", "IN", "PS", "XK", "AX"} <= codes
    assert not codes & {"EU", "UN", "ZZ", "XA", "QO", "001"}
    assert len(codes) == 250


def test_the_old_hand_list_is_gone():
    assert not hasattr(countries, "COUNTRIES")
    assert "gettext" not in Path(countries.__file__).read_text()


@pytest.mark.django_db
def test_the_event_form_names_countries_in_the_readers_language_and_keeps_codes():
    with translation.override("ar"):
        choices = dict(EventForm().fields["country"].choices)
    assert choices["FR"] == "فرنسا"
    with translation.override("fr"):
        html = str(EventForm()["country"])
    assert '<option value="DE">Allemagne</option>' in html


@pytest.mark.django_db
def test_an_events_languages_are_named_in_the_readers_language(client, organizer, events_category):
    event = make_event(organizer, events_category, languages=["pa", "ar"])
    page = client.get(event.topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dd>Punjabi, Arabic</dd>" in page
