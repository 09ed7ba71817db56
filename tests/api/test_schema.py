"""The OpenAPI document is valid and complete, the docs load under the site's CSP from our own static
files, and a schemathesis fuzz run over every operation never gets a 5xx."""

import os
import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from agora.api.services import api_key_create
from tests import factories

# Loaded through the WSGI app itself: the document the API serves, not one built beside it.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def test_the_openapi_document_is_valid_openapi(client):
    document = client.get("/api/v1/openapi.json").json()
    loaded = schemathesis.openapi.from_dict(document)
    loaded.validate()  # against the OpenAPI 3.1 meta-schema
    assert document["info"]["title"] == "Agora API" and document["info"]["version"] == "1.0"
    assert "RateLimit-Remaining" in document["info"]["description"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["KeyAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionCsrfAuth"]["in"] == "cookie"


def test_every_operation_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert {
        ("GET", "/api/v1/topics"),
        ("POST", "/api/v1/topics"),
        ("GET", "/api/v1/topics/{pk}"),
        ("GET", "/api/v1/topics/{pk}/posts"),
        ("POST", "/api/v1/topics/{pk}/posts"),
        ("GET", "/api/v1/posts/{pk}"),
        ("PUT", "/api/v1/posts/{pk}/like"),
        ("DELETE", "/api/v1/posts/{pk}/like"),
        ("PUT", "/api/v1/posts/{pk}/bookmark"),
        ("DELETE", "/api/v1/posts/{pk}/bookmark"),
        ("POST", "/api/v1/posts/{pk}/flags"),
        ("GET", "/api/v1/stories"),
        ("GET", "/api/v1/stories/{pk}"),
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/events/{pk}"),
        ("PUT", "/api/v1/occurrences/{pk}/rsvp"),
        ("GET", "/api/v1/categories"),
        ("GET", "/api/v1/tags"),
        ("GET", "/api/v1/people/{username}"),
        ("GET", "/api/v1/groups"),
        ("GET", "/api/v1/groups/{name}"),
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/search"),
    } <= operations
    writes = paths["/api/v1/topics"]["post"]
    assert {"KeyAuth": []} in writes["security"]


def test_the_docs_load_from_our_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
    # The only script without a source is data (the settings as JSON), which the CSP does not run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']


@pytest.fixture
def fuzz_world(db):
    """Some real rows, so that ids the fuzzer tries sometimes exist, and a write key to fuzz writes with.
    The real WSGI handler closes the database connection after each request, which would end the test's
    transaction on PostgreSQL: as Django's test client does, the calls keep it open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    member = factories.UserFactory(username="Fuzzer", trust_level=2)
    category = factories.make_category("Fuzz", slug="fuzz")
    topic = factories.make_topic(member, category, title="A topic to fuzz")
    factories.make_reply(member, topic)
    try:
        yield api_key_create(user=member, name="fuzz", scope="write")[1]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    # Few examples per operation keep the run under a minute in CI; AGORA_FUZZ_EXAMPLES=200 digs deeper.
    max_examples=int(os.environ.get("AGORA_FUZZ_EXAMPLES", "6")),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_fuzz_no_server_error(case, fuzz_world):
    """Every operation, with generated (valid and invalid) input, signed in with a write key: never a 5xx."""
    response = case.call(headers={"Authorization": f"Bearer {fuzz_world}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500


def test_the_docs_carry_the_csrf_token_for_signed_in_members(client_for, member):
    html = client_for(member).get("/api/v1/docs").content.decode()
    assert 'data-api-csrf="true"' in html and 'data-csrf-token=""' not in html
