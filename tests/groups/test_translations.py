"""A group's name and description in other languages: its owners edit them, readers see theirs."""

import pytest
from django.test import Client

from agora.groups.models import Group

pytestmark = pytest.mark.django_db


def test_a_visitor_is_asked_to_sign_in(client, club):
    response = client.get("/g/club/translations")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_an_outsider_gets_404_for_a_hidden_group_and_403_for_a_public_one(client_for, outsider, cell, club):
    assert client_for(outsider).get("/g/cell/translations").status_code == 404
    assert client_for(outsider).get("/g/club/translations").status_code == 403


def test_a_member_who_is_no_owner_gets_403(client_for, member, club, cell):
    assert client_for(member).get("/g/club/translations").status_code == 403
    assert client_for(member).post("/g/cell/translations", {"ar__name": "خلية"}).status_code == 403
    assert Group.objects.get(name="cell").translations == {}


def test_owners_translate_the_name_and_the_description_is_rendered_once(owner_client, club):
    page = owner_client.get("/g/club/translations")
    assert page.status_code == 200
    response = owner_client.post(
        "/g/club/translations", {"ar__name": "النادي", "ar__description": "**أهلاً** بكم", "pa__name": "ਕਲੱਬ"}
    )
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.translations["ar"]["name"] == "النادي"
    assert "<strong>أهلاً</strong>" in club.translations["ar"]["description_html"]
    assert club.translations["pa"] == {"name": "ਕਲੱਬ"}
    assert club.name == "club"


def test_readers_see_the_groups_name_and_description_in_their_language(club):
    Group.objects.filter(pk=club.pk).update(
        description_html="<p>The club</p>",
        translations={"ar": {"name": "النادي", "description": "نادٍ", "description_html": "<p>نادٍ للجميع</p>"}},
    )
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/g/club").content.decode()
    assert "النادي" in arabic and "نادٍ للجميع" in arabic
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/g/club").content.decode()
    assert "The Club" in english and "<p>The club</p>" in english
    listing = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/g").content.decode()
    assert "النادي" in listing


def test_an_unknown_language_code_saves_nothing(owner_client, club):
    response = owner_client.post("/g/club/translations", {"ar__name": "النادي", "new_language": "zz", "new__name": "Z"})
    assert response.status_code == 400
    assert "is not a language code we know" in response.content.decode()
    assert Group.objects.get(name="club").translations == {}
