"""Visitors get /g, /g/<name> and its member list from the page cache; group writes invalidate it."""

import pytest
from django.test import Client

from agora.groups.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("url", ["/g", "/g/club", "/g/club/members"])
def test_a_visitors_group_page_is_cached_and_a_join_shows_at_once(
    client_for, outsider, club, url, django_capture_on_commit_callbacks
):
    visitor = Client()
    first = visitor.get(url)
    assert first["X-Agora-Cache"] == "miss"
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert visitor.get(url)["X-Agora-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(outsider).post("/g/club/join").status_code == 302
    after = visitor.get(url)
    assert after["X-Agora-Cache"] == "miss"
    assert "3 members" in after.content.decode() or b"Outsider" in after.content


def test_a_hidden_group_is_never_cached_for_visitors(client_for, staff, cell):
    client_for(staff).get("/g/cell")  # staff pages are never cached
    assert Client().get("/g/cell").status_code == 404
    assert Group.objects.filter(name="cell").exists()
