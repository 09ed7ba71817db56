"""Which interface language a reader gets: member's choice > member's languages > the switcher's cookie >
Accept-Language > the site's default; only offered languages; visitors' cached pages kept per language."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.core.catalogues import interface_languages
from agora.core.interface_language import member_language, offered_language, safe_next

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def html_language(response) -> tuple[str, str]:
    found = HTML_TAG.search(response.content.decode())
    assert found, "no <html lang dir> in the page"
    return found[1], found[2]


def visitor(*, cookie: str | None = None, accept: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=accept) if accept else Client()
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    return client


def signed_in(client_for, user, **kwargs) -> Client:
    client = client_for(user)
    if cookie := kwargs.get("cookie"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    if accept := kwargs.get("accept"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = accept
    return client


# The order, step by step.


def test_a_visitor_gets_the_sites_default_without_a_cookie_or_accept_language(topic):
    response = visitor().get("/latest")
    assert html_language(response) == ("en", "ltr")
    assert response["Content-Language"] == "en"


def test_a_visitor_gets_their_browsers_language(topic):
    response = visitor(accept="fr-CA,fr;q=0.9,en;q=0.5").get("/latest")
    assert html_language(response) == ("fr", "ltr")
    assert response["Content-Language"] == "fr"


def test_the_switchers_cookie_beats_accept_language(topic):
    response = visitor(cookie="ar", accept="fr").get("/latest")
    assert html_language(response) == ("ar", "rtl")
    assert response["Content-Language"] == "ar"


def test_a_members_languages_beat_the_cookie(client_for, member):
    member.languages = "pa, fr"
    member.save()
    response = signed_in(client_for, member, cookie="ar", accept="es").get("/latest")
    assert html_language(response) == ("pa", "ltr")
    assert response["Content-Language"] == "pa"


def test_a_members_interface_language_beats_their_languages(client_for, member):
    member.languages = "pa, fr"
    member.interface_language = "ar"
    member.save()
    response = signed_in(client_for, member, cookie="es", accept="fr").get("/latest")
    assert html_language(response) == ("ar", "rtl")


def test_a_member_with_no_choice_gets_the_cookie_then_the_browser(client_for, member):
    assert html_language(signed_in(client_for, member, accept="es").get("/latest")) == ("es", "ltr")
    assert html_language(signed_in(client_for, member, cookie="hi", accept="es").get("/latest")) == ("hi", "ltr")


def test_a_members_languages_are_read_in_order_skipping_those_not_offered(member):
    member.languages = "sw, de-AT, fr-CA, ar"
    assert member_language(member) == "fr"
    member.languages = "sw, yo"
    assert member_language(member) is None  # the request's language (cookie, browser, default) stands


def test_the_default_language_serves_a_visitor_without_preferences(settings, topic):
    settings.LANGUAGE_CODE = "es"  # AGORA_DEFAULT_LANGUAGE
    assert html_language(visitor().get("/latest")) == ("es", "ltr")


# Only offered languages: those whose catalogue is at least AGORA_LANGUAGE_THRESHOLD translated.


def _catalogue(root, code: str, translated: int, total: int) -> None:
    folder = root / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = [f'msgid "Message {n}"\nmsgstr "{f"Translated {n}" if n < translated else ""}"\n' for n in range(total)]
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    (folder / "django.po").write_text("\n".join([header, *entries]), encoding="utf-8")


def test_a_language_below_the_threshold_is_never_chosen(tmp_path, settings, client_for, member, topic):
    _catalogue(tmp_path, "es", translated=19, total=20)  # 95%
    _catalogue(tmp_path, "fr", translated=10, total=20)  # 50%
    settings.LANGUAGES, settings.LANGUAGES_BIDI = interface_languages(tmp_path, 90)
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es"]

    assert offered_language("fr") is None
    assert html_language(visitor(accept="fr").get("/latest"))[0] == "en"
    assert html_language(visitor(cookie="fr", accept="fr").get("/latest"))[0] == "en"
    member.interface_language = "fr"
    member.languages = "fr, es"
    member.save()
    assert member_language(member) == "es"
    assert html_language(signed_in(client_for, member, cookie="fr").get("/latest"))[0] == "es"
    # Not even through the switcher.
    response = visitor().get("/language/fr?next=/latest")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_every_page_says_its_language_and_direction(client_for, member, topic):
    for path in ("/latest", topic.get_absolute_url(), "/blog", "/accounts/login/", "/no-such-page"):
        assert html_language(visitor(cookie="ar").get(path)) == ("ar", "rtl"), path
        assert html_language(visitor(cookie="fr").get(path)) == ("fr", "ltr"), path


def test_a_members_language_costs_no_query(client_for, member, other_member, topic):
    """The user row is loaded for the header anyway: choosing from it adds nothing."""
    member.interface_language = "ar"
    member.save()
    url = topic.get_absolute_url()
    counts = []
    for person in (member, other_member):
        client = client_for(person)
        client.get(url)  # first visit: read state and view counts
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_safe_next_keeps_local_paths_only(rf):
    request = rf.get("/")
    assert safe_next(request, "/t/a-topic/3?page=2") == "/t/a-topic/3?page=2"
    for unsafe in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", None):
        assert safe_next(request, unsafe) == "/"


# Visitors' page cache: one page per language, never served across.


@pytest.fixture
def page_cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300


@pytest.mark.usefixtures("page_cache_on")
@pytest.mark.parametrize("first", ["ar", "en"])
def test_a_cached_page_is_never_served_in_another_language(first, topic):
    second = "en" if first == "ar" else "ar"
    url = topic.get_absolute_url()
    assert visitor(accept=first).get(url)["X-Agora-Cache"] == "miss"
    hit = visitor(accept=first).get(url)
    assert hit["X-Agora-Cache"] == "hit" and html_language(hit)[0] == first

    other = visitor(accept=second).get(url)
    assert other["X-Agora-Cache"] == "miss"  # a page of its own, not the first language's
    assert html_language(other)[0] == second
    assert other["Content-Language"] == second
    assert html_language(visitor(cookie=second).get(url))[0] == second  # the cookie reaches the same page
    assert html_language(visitor(accept=first).get(url))[0] == first  # and the first is still the first's


@pytest.mark.usefixtures("page_cache_on")
def test_cached_pages_vary_on_the_language_and_say_theirs(topic):
    url = topic.get_absolute_url()
    for _ in ("miss", "hit"):
        response = visitor(accept="ar").get(url)
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary, response["Vary"]
        assert response["Content-Language"] == "ar"
    assert response["X-Agora-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache_on")
def test_the_switcher_links_on_a_cached_page_lead_back_to_it(topic):
    url = topic.get_absolute_url()
    visitor().get(url)
    page = visitor().get(url).content.decode()
    assert f'href="/language/ar?next={url}"' in page
    assert 'lang="ar" hreflang="ar" dir="rtl"' in page
    assert "csrfmiddlewaretoken" not in page


def test_interface_languages_of_the_tree_are_offered_in_tests():
    # The test settings offer every catalogue whatever its share (tests/settings.py): the tests above rely on it.
    assert {"ar", "es", "fr", "hi", "pa"} <= {code for code, _name in settings.LANGUAGES}
    assert "ar" in settings.LANGUAGES_BIDI
