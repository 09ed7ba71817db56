"""/search (the form, results, pages, filters from the form's controls) and /opensearch.xml."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def hall(db):
    return factories.make_category("Hall", slug="hall")


def test_search_page_shows_hits_with_marked_words(client, member, hall, write):
    topic = write(factories.make_topic, member, hall, title="Lighthouse keepers", raw="A **beacon** on the coast.")
    response = client.get("/search", {"q": "beacon"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/t/{topic.slug}/{topic.pk}"' in html
    assert "<mark>beacon</mark>" in html
    assert "<strong>" not in html and "&lt;strong&gt;" not in html  # the stored HTML's tags are gone


def test_search_page_without_a_query_shows_the_form(client, db):
    response = client.get("/search")
    assert response.status_code == 200
    assert b'name="q"' in response.content and b"result" not in response.content


def test_outsider_never_sees_a_private_hit(client_for, outsider, staff, staff_category, write):
    write(factories.make_topic, staff, staff_category, title="Budget plans", raw="The secret beacon budget.")
    for user in (None, outsider):
        response = client_for(user).get("/search", {"q": "beacon"})
        assert response.status_code == 200
        assert b"Budget plans" not in response.content
        assert b"Staff room" not in response.content  # nor the category among the form's choices
    assert b"Budget plans" in client_for(staff).get("/search", {"q": "beacon"}).content


def test_form_controls_become_filters(client, member, hall, public_category, write):
    write(factories.make_topic, member, hall, title="Beacon in the hall", raw="beacon")
    write(factories.make_topic, member, public_category, title="Beacon asked", raw="beacon")
    html = client.get("/search", {"q": "beacon", "category": "hall", "type": "topic"}).content.decode()
    assert "Beacon in the hall" in html and "Beacon asked" not in html
    assert '<option value="hall" selected>' in html


def test_bad_query_and_controls_answer_with_a_message(client, db):
    for params in (
        {"q": '"unclosed'},
        {"q": "x" * 10_000},
        {"q": "beacon", "after": "not-a-date"},
        {"q": "beacon", "type": "nonsense"},
        {"q": "foo:bar"},
    ):
        response = client.get("/search", params)
        assert response.status_code == 200
        assert b"search-error" in response.content


def test_bad_page_number_is_a_404_not_a_500(client, db):
    assert client.get("/search", {"q": "x", "page": "abc"}).status_code == 404


def test_results_are_paginated(client, member, hall, write, django_assert_max_num_queries):
    for n in range(23):
        write(factories.make_topic, member, hall, title=f"Beacon {n}", raw="beacon")
    with django_assert_max_num_queries(14):
        first = client.get("/search", {"q": "beacon"}).content.decode()
    assert "23 results" in first and 'rel="next"' in first and "page=2" in first
    second = client.get("/search", {"q": "beacon", "page": 2}).content.decode()
    assert second.count('class="search-hit') == 3 and 'rel="prev"' in second


def test_opensearch_description(client, db):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'template="http://testserver/search?q={searchTerms}"' in body


def test_every_page_links_search_in_the_header(client, db):
    html = client.get("/search").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in html
    assert 'class="header-search"' in html
