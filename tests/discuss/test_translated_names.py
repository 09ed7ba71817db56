"""Categories and tags in the reader's language, and the staff pages that edit their translations."""

import pytest
from django.test import Client

from agora.discuss.models import Category, Tag
from tests import factories

pytestmark = pytest.mark.django_db

ARABIC = {"ar": {"name": "اسأل هنا", "description": "أسئلة وأجوبة"}}


@pytest.fixture
def page_cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def translated_topic(member, public_category):
    Category.objects.filter(pk=public_category.pk).update(translations=ARABIC)
    Tag.objects.create(name="meetup", translations={"ar": {"name": "لقاء"}})
    return factories.make_topic(member, public_category, title="Where do we meet?", tags=["meetup"])


@pytest.mark.usefixtures("page_cache_on")
@pytest.mark.parametrize("address", ["/categories", "/latest", "/c/ask-here"])
def test_visitors_read_the_category_in_their_language_with_the_page_cache_on(translated_topic, address):
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get(address)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(address)
    again = Client(HTTP_ACCEPT_LANGUAGE="ar").get(address)
    assert "اسأل هنا" in arabic.content.decode()
    assert "اسأل هنا" not in english.content.decode()
    assert "Ask here" in english.content.decode()
    assert again["X-Agora-Cache"] == "hit"
    assert "اسأل هنا" in again.content.decode()


def test_the_topic_list_labels_tags_in_the_readers_language_and_links_by_name(translated_topic):
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/latest").content.decode()
    assert "لقاء" in page
    assert 'href="/tag/meetup"' in page


def test_the_category_page_title_and_description_are_translated(translated_topic):
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/c/ask-here").content.decode()
    assert "<title>اسأل هنا" in page
    assert "أسئلة وأجوبة" in page


def test_the_composer_lists_categories_in_the_readers_language(translated_topic, client_for, member):
    page = client_for(member, HTTP_ACCEPT_LANGUAGE="ar").get("/new-topic").content.decode()
    assert ">اسأل هنا</option>" in page


# --- the edit pages --------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/c/ask-here/translations", "/tag/meetup/translations"])
def test_only_staff_reach_the_translation_pages(translated_topic, client_for, staff, member, outsider, address):
    assert client_for(None).get(address).status_code == 404
    assert client_for(outsider).get(address).status_code == 404
    assert client_for(member).get(address).status_code == 404
    assert client_for(member).post(address, {"ar__name": "x"}).status_code == 404
    page = client_for(staff).get(address)
    assert page.status_code == 200
    assert 'name="new_language"' in page.content.decode()


def test_staff_translate_a_category(public_category, client_for, staff):
    response = client_for(staff).post(
        "/c/ask-here/translations",
        {
            "fr__name": "  Demandez ici ",
            "fr__description": "Questions",
            "new_language": "pt_br",
            "new__name": "Pergunte",
        },
    )
    assert response.status_code == 302
    public_category.refresh_from_db()
    assert public_category.translations == {
        "fr": {"name": "Demandez ici", "description": "Questions"},
        "pt-BR": {"name": "Pergunte"},
    }
    assert public_category.slug == "ask-here"


def test_staff_translate_a_tag(translated_topic, client_for, staff):
    response = client_for(staff).post("/tag/meetup/translations", {"es__name": "encuentro"})
    assert response.status_code == 302
    assert Tag.objects.get(name="meetup").translations == {"es": {"name": "encuentro"}}  # Arabic cleared


def test_an_unknown_language_code_saves_nothing_and_keeps_the_text(translated_topic, client_for, staff):
    response = client_for(staff).post(
        "/c/ask-here/translations",
        {"ar__name": "اسم جديد", "new_language": "klingon", "new__name": "Qapla"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "klingon" in page and "is not a language code we know" in page
    assert "اسم جديد" in page  # the typed text is kept
    assert Category.objects.get(slug="ask-here").translations == ARABIC


def test_a_new_language_without_a_name_is_refused(public_category, client_for, staff):
    response = client_for(staff).post("/c/ask-here/translations", {"new_language": "ur"})
    assert response.status_code == 400
    assert Category.objects.get(slug="ask-here").translations == {}


def test_a_saved_translation_shows_to_visitors_at_once(
    translated_topic, client_for, staff, settings, django_capture_on_commit_callbacks
):
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    visitor = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert "Demandez ici" not in visitor.get("/categories").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post("/c/ask-here/translations", {"fr__name": "Demandez ici"})
    assert "Demandez ici" in visitor.get("/categories").content.decode()
