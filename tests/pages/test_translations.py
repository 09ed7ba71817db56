"""Site pages in the readers' languages: staff write a translation (kept with history), readers get theirs
or the original, and a translation older than the code of conduct in force says so, on the accept page too."""

import re

import pytest
from django.test import Client

from agora.pages import services
from agora.pages.models import SitePage, SitePageRevision, SitePageTranslation

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}
ARABIC_TEXT = "نحترم بعضنا بعضاً."


def code() -> SitePage:
    return SitePage.objects.get(slug="code-of-conduct")


def translate(staff, language="ar", text=ARABIC_TEXT):
    return services.page_translation_save(page=code(), user=staff, language=language, title="مدونة السلوك", raw=text)


@pytest.mark.parametrize("address", ["/code-of-conduct/translations", "/code-of-conduct/translations/ar"])
def test_only_staff_reach_the_translation_pages(client_for, staff, member, outsider, address):
    assert client_for(None).get(address).status_code == 404
    assert client_for(outsider).get(address).status_code == 404
    assert client_for(member).get(address).status_code == 404
    assert client_for(member).post(address, {"title": "x", "raw": "y"}).status_code == 404
    assert client_for(staff).get(address).status_code == 200


def test_staff_write_a_translation_kept_with_history(client_for, staff):
    response = client_for(staff).post(
        "/code-of-conduct/translations/ar", {"title": "مدونة السلوك", "raw": ARABIC_TEXT, "note": "أول ترجمة"}
    )
    assert response.status_code == 302
    translation = SitePageTranslation.objects.get(page=code(), language="ar")
    assert translation.version == code().version and ARABIC_TEXT in translation.html
    [revision] = SitePageRevision.objects.filter(page=code(), language="ar")
    assert revision.raw == ARABIC_TEXT and revision.note == "أول ترجمة"
    history = client_for(staff).get("/code-of-conduct/history?language=ar").content.decode()
    assert ARABIC_TEXT in history
    assert ARABIC_TEXT not in client_for(staff).get("/code-of-conduct/history").content.decode()


def test_an_unknown_language_is_refused_with_a_message(client_for, staff):
    response = client_for(staff).get("/code-of-conduct/translations?language=klingon")
    assert response.status_code == 400
    assert "is not a language code we know" in response.content.decode()
    response = client_for(staff).get("/code-of-conduct/translations/klingon", follow=True)
    assert "is not a language code we know" in response.content.decode()
    assert not SitePageTranslation.objects.exists()


def test_a_translation_into_the_original_language_is_refused_and_keeps_the_text(client_for, staff):
    response = client_for(staff).post("/code-of-conduct/translations/en", {"title": "Code", "raw": "Typed text"})
    assert response.status_code == 400
    assert "Typed text" in response.content.decode()
    assert not SitePageTranslation.objects.exists()


def test_readers_get_their_language_and_the_original_otherwise(staff):
    translate(staff)
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/code-of-conduct").content.decode()
    assert ARABIC_TEXT in arabic and "translation-of" in arabic
    assert ARABIC_TEXT not in Client(HTTP_ACCEPT_LANGUAGE="fr").get("/code-of-conduct").content.decode()
    assert ARABIC_TEXT not in Client(HTTP_ACCEPT_LANGUAGE="en").get("/code-of-conduct").content.decode()
    original = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/code-of-conduct?original=1").content.decode()
    assert ARABIC_TEXT not in original


def raise_version(staff):
    page = code()
    services.page_save(
        page=page, user=staff, title=page.title, raw=page.raw + "\n\nNew rule.", raise_version=True, note="n"
    )


def behind_note(text: str) -> str:
    match = re.search(r'<p class="notice translation-behind">(.*?)</p>', text, re.S)
    return match.group(1) if match else ""


def test_an_older_translation_says_which_version_is_in_force(staff):
    translate(staff)
    raise_version(staff)
    text = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/code-of-conduct").content.decode()
    assert ARABIC_TEXT in text
    note = behind_note(text)
    assert "1" in note and "2" in note  # "This translation is of version 1; the … text of version 2 is in force"
    assert 'href="/code-of-conduct?original=1"' in note
    assert not behind_note(Client(HTTP_ACCEPT_LANGUAGE="en").get("/code-of-conduct").content.decode())


def test_saving_the_translation_again_brings_it_up_to_date(staff):
    translate(staff)
    raise_version(staff)
    translate(staff, text=ARABIC_TEXT + " قاعدة جديدة.")
    assert SitePageTranslation.objects.get(language="ar").version == 2
    assert not behind_note(Client(HTTP_ACCEPT_LANGUAGE="ar").get("/code-of-conduct").content.decode())


def test_the_accept_page_shows_the_readers_translation_beside_the_note(client_for, member, staff):
    translate(staff)
    raise_version(staff)
    reader = client_for(member, HTTP_ACCEPT_LANGUAGE="ar")
    response = reader.get("/latest", **HTML)
    assert response.status_code == 302 and response["Location"].startswith("/code-of-conduct/accept")
    text = reader.get(response["Location"], **HTML).content.decode()
    assert ARABIC_TEXT in text and behind_note(text)
    assert "New rule." in text  # the original in force, beside it
