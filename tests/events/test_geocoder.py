"""The geocoder, against a Nominatim-compatible server the test starts on 127.0.0.1: suggestions, the
cache, the rate limit, the timeout, garbage answers, and the form that still works without it."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from agora.events import geocoder

pytestmark = pytest.mark.django_db

LYON = [
    {
        "lat": "45.7578137",
        "lon": "4.8320114",
        "display_name": "Place Bellecour, Lyon, France",
        "address": {"country_code": "fr"},
    },
    {"lat": "95", "lon": "4.8", "display_name": "Out of range: dropped"},
]


# Replies that are not HTTP, or HTTP with a body no geocoder should send, written to the socket as they are.
MALFORMED = {
    "bad status line": b"garbage\r\n\r\n",
    "header line too long": b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 70_000 + b"\r\n\r\n[]",
    "body cut short": b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n[{"lat":',
    "bad chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n\r\n",
    "nested too deep": b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + b"[" * 200_000,
    "huge number": b'HTTP/1.1 200 OK\r\n\r\n[{"lat": ' + b"9" * 4000 + b', "lon": 1, "display_name": "x"}]',
    "not a number": b'HTTP/1.1 200 OK\r\n\r\n[{"lat": NaN, "lon": Infinity, "display_name": "x"}]',
    "wrong types": (
        b'HTTP/1.1 200 OK\r\n\r\n[{"lat": true, "lon": [1], "display_name": "x"},'
        b' {"lat": "1", "lon": "1", "display_name": {"a": 1}, "address": {"country_code": 5}}]'
    ),
}


class FakeNominatim(BaseHTTPRequestHandler):
    answers: dict = {}
    calls: list = []

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        FakeNominatim.calls.append((query, self.headers.get("User-Agent")))
        q = query.get("q", [""])[0]
        if q in MALFORMED:
            self.wfile.write(MALFORMED[q])
            self.close_connection = True
            return
        kind = FakeNominatim.answers.get(q, "empty")
        if kind == "slow":
            time.sleep(2)
        body = {"lyon": json.dumps(LYON).encode(), "garbage": b"<html>not json</html>", "dict": b'{"error": 1}'}.get(
            kind, b"[]"
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.calls = []
    FakeNominatim.answers = {"Place Bellecour": "lyon", "junk": "garbage", "a dict": "dict", "slowly": "slow"}
    settings.AGORA_GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search"
    settings.AGORA_GEOCODER_MIN_INTERVAL = 0
    settings.AGORA_GEOCODER_TIMEOUT = 0.5
    yield FakeNominatim
    server.shutdown()
    server.server_close()


def test_it_suggests_places_and_caches_them(nominatim, member_client):
    data = member_client.get("/events/geocode", {"q": "Place Bellecour"}).json()
    assert data["results"] == [
        {"label": "Place Bellecour, Lyon, France", "latitude": 45.7578137, "longitude": 4.8320114, "country": "FR"}
    ]
    query, agent = nominatim.calls[0]
    assert query["format"] == ["jsonv2"] and agent.startswith("Agora")
    member_client.get("/events/geocode", {"q": "place  bellecour"})  # the cache answers
    assert len(nominatim.calls) == 1


@pytest.mark.parametrize("q", ["junk", "a dict", "slowly"])
def test_garbage_or_a_timeout_is_a_clear_message_not_a_500(nominatim, member_client, q):
    data = member_client.get("/events/geocode", {"q": q}).json()
    assert data["results"] == [] and "coordinates" in data["error"]


@pytest.mark.parametrize("q", list(MALFORMED))
def test_a_malformed_reply_is_a_clear_message_not_a_500(nominatim, member_client, q):
    response = member_client.get("/events/geocode", {"q": q})
    assert response.status_code == 200
    data = response.json()
    assert data["results"] == []
    assert "Address search" in data["error"] and "coordinates" in data["error"]


@pytest.mark.parametrize("q", ["bad status line", "header line too long", "nested too deep", "huge number"])
def test_a_malformed_reply_keeps_the_form_without_javascript(nominatim, client_for, events_category, q):
    from agora.events.models import Event
    from tests import factories

    organizer = factories.UserFactory(username="Form organizer", trust_level=2)
    response = client_for(organizer).post(
        "/events/new", {"title": "A typed title", "address": q, "geocode": "1", "timezone": "Europe/Paris"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="A typed title"' in body and "Address search" in body
    assert not Event.objects.exists()


def test_it_is_rate_limited_across_the_site(nominatim, settings):
    settings.AGORA_GEOCODER_MIN_INTERVAL = 60
    geocoder.search("Place Bellecour")
    with pytest.raises(geocoder.GeocoderError, match="busy"):
        geocoder.search("somewhere else")
    assert len(nominatim.calls) == 1


def test_it_is_off_when_no_url_is_set_and_visitors_cannot_use_it(settings, client_for, member_client):
    settings.AGORA_GEOCODER_URL = ""
    assert "not set up" in member_client.get("/events/geocode", {"q": "Lyon, France"}).json()["error"]
    assert client_for(None).get("/events/geocode", {"q": "Lyon"}).status_code == 302


def test_the_form_searches_addresses_without_javascript_and_keeps_what_was_typed(
    nominatim, client_for, events_category
):
    from tests import factories

    organizer = factories.UserFactory(username="Form organizer", trust_level=2)
    response = client_for(organizer).post(
        "/events/new",
        {"title": "A typed title", "address": "Place Bellecour", "geocode": "1", "timezone": "Europe/Paris"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Place Bellecour, Lyon, France" in body and "45.75781" in body
    assert 'value="A typed title"' in body
    from agora.events.models import Event

    assert not Event.objects.exists()
