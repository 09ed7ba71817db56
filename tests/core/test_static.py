"""Static files as browsers fetch them: compressed when asked, and revalidated with an empty 304.

A 304 has no body (RFC 9110). GZipMiddleware outside WhiteNoise used to compress WhiteNoise's empty
304 into a gzip stream with a weakened ETag; uvicorn then dropped the connection on every revalidation
(a browser's second visit to any page)."""

import pytest
from django.test import Client

ASSET = "/static/vendor/htmx.min.js"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def client_with_finders(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the apps and node_modules, no collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_static_file_is_served_compressed(client_with_finders):
    response = client_with_finders.get(ASSET, headers=BROWSER)
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert response["ETag"].startswith('"')


def test_revalidating_a_static_file_answers_an_empty_304_untouched(client_with_finders):
    first = client_with_finders.get(ASSET, headers=BROWSER)
    again = client_with_finders.get(
        ASSET, headers={**BROWSER, "If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]}
    )
    assert again.status_code == 304
    assert _body(again) == b""
    assert "Content-Encoding" not in again
    assert again["ETag"] == first["ETag"]  # not weakened to W/"..." by a compressor
