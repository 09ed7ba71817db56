"""Events by language: `?lang=pa,hi` on the calendar, agenda, map, GeoJSON and ICS (the event's topic
is written in it, or it is spoken there); unknown codes are ignored with a note, never an error."""

import json

import icalendar
import pytest

from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(organizer, events_category):
    return {
        "pa": make_event(
            organizer,
            events_category,
            title="ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਮਿਲਣੀ",
            raw="ਆਓ ਮਿਲ ਕੇ ਲੇਖ ਲਿਖੀਏ।",
            latitude=30.9,
            longitude=75.85,
            venue="Ludhiana",
        ),
        "fr": make_event(
            organizer,
            events_category,
            title="Rencontre Wikipédia à Lyon",
            raw="Venez contribuer avec nous à la bibliothèque municipale de Lyon.",
            latitude=45.76,
            longitude=4.83,
            venue="Lyon",
        ),
        "hi": make_event(
            organizer, events_category, title="Editathon online", raw="An online editathon.", languages=["en", "hi"]
        ),
    }


def test_the_topic_of_an_event_takes_the_language_of_its_text(events):
    assert events["pa"].topic.language == "pa"
    assert events["fr"].topic.language == "fr"


def _ics_titles(client, query):
    cal = icalendar.Calendar.from_ical(client.get(f"/events.ics?{query}").content)
    return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def test_the_ics_filters_by_language(client, events):
    assert _ics_titles(client, "lang=pa") == ["ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਮਿਲਣੀ"]
    assert _ics_titles(client, "lang=pa,hi") == ["Editathon online", "ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਮਿਲਣੀ"]
    assert len(_ics_titles(client, "lang=xx-nope")) == 3  # an unknown code is ignored


def test_the_geojson_filters_by_language(client, events):
    features = json.loads(client.get("/events.geojson?lang=fr").content)["features"]
    assert [f["properties"]["title"] for f in features] == ["Rencontre Wikipédia à Lyon"]


@pytest.mark.parametrize("path", ["/events", "/events?view=agenda", "/events/map"])
def test_the_calendar_agenda_and_map_filter_and_name_unknown_codes(client, events, path):
    joiner = "&" if "?" in path else "?"
    page = client.get(f"{path}{joiner}lang=fr,xx-nope&when=all").content.decode()
    assert "Unknown language codes ignored: xx-nope" in page
    assert 'name="lang" value="fr"' in page  # the filter form keeps it
    if "agenda" in path:  # the month grid shows this month; the events are in 2030
        assert "Rencontre Wikipédia à Lyon" in page
        assert "ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਮਿਲਣੀ" not in page


def test_an_unknown_language_code_on_the_event_form_is_a_field_error(client_for, organizer, events_category):
    from agora.events.models import Event
    from tests.events.test_pages import form_data

    response = client_for(organizer).post("/events/new", form_data(events_category, languages=["fr", "xx-nope"]))
    assert response.status_code in (200, 400)
    assert "“xx-nope” is not a language code we know." in response.content.decode()
    assert not Event.objects.exists()


def test_an_event_without_languages_gets_the_language_of_its_text(client_for, organizer, events_category):
    from agora.events.models import Event
    from tests.events.test_pages import form_data

    data = form_data(
        events_category,
        languages=[],
        title="ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਮਿਲਣੀ",
        raw="ਆਓ ਮਿਲ ਕੇ ਲੇਖ ਲਿਖੀਏ ਅਤੇ ਤਸਵੀਰਾਂ ਸਾਂਝੀਆਂ ਕਰੀਏ।",
    )
    assert client_for(organizer).post("/events/new", data).status_code == 302
    assert Event.objects.get().topic.language == "pa"
