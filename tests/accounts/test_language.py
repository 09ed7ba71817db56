"""The language switcher (/language/<code>?next=<path>), the preferences' interface language, and mail to
members in their language."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils.translation import get_language

from agora.accounts.adapter import AccountAdapter
from agora.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


# The switcher, for a visitor.


def test_a_visitor_switches_and_lands_back_on_the_page(topic):
    client = Client()
    url = topic.get_absolute_url()
    response = client.get(f"/language/ar?next={url}")
    assert response.status_code == 302 and response["Location"] == url
    cookie = response.cookies[COOKIE]
    assert cookie.value == "ar"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600  # kept beyond the browser session
    assert cookie["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = client.get(url)
    assert html_lang(page) == "ar" and 'dir="rtl"' in page.content.decode()[:200]
    assert not page.cookies  # no session made: the visitor's pages stay cacheable


def test_the_next_page_keeps_its_query_string(topic):
    response = Client().get("/language/fr", {"next": "/top?period=week&page=2"})
    assert response["Location"] == "/top?period=week&page=2"


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/x", ""],
)
def test_an_unsafe_next_falls_back_to_the_home_page(unsafe):
    response = Client().get("/language/fr", {"next": unsafe})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[COOKIE].value == "fr"


def test_no_next_goes_home():
    response = Client().get("/language/es")
    assert response["Location"] == "/"


@pytest.mark.parametrize("bad", ["xx", "no-such-language", "AR%00", "<script>", "a" * 300, "fr_FR.UTF-8"])
def test_an_unknown_language_is_refused_with_a_clear_message(bad, topic):
    client = Client()
    url = topic.get_absolute_url()
    response = client.get(f"/language/{bad}", {"next": url})
    assert response.status_code in (302, 400)
    assert COOKIE not in response.cookies
    if response.status_code == 302:
        assert response["Location"] == url
        page = client.get(url).content.decode()
        assert "The site is not offered in" in page and "العربية (ar)" in page
        assert "<script>" not in page.split("<main", 1)[0].split("</header>", 1)[1]


def test_the_switcher_answers_only_get():
    assert Client().post("/language/fr").status_code == 405


def test_every_page_offers_the_switcher_with_each_language_named_in_itself(topic):
    page = Client().get("/latest").content.decode()
    for code, name in settings.LANGUAGES:
        direction = "rtl" if code in settings.LANGUAGES_BIDI else "ltr"
        assert f'href="/language/{code}?next=/latest" lang="{code}" hreflang="{code}" dir="{direction}"' in page
        assert f">{name}</a>" in page
    assert page.count('class="language-links"') == 1  # in the footer
    assert '<a class="language-link" href="#languages">' in page  # and the header's menu leads there


# The switcher, for a member.


def test_a_member_switching_saves_it_in_their_preferences(member_client, member):
    response = member_client.get("/language/hi?next=/latest")
    assert response["Location"] == "/latest"
    member.refresh_from_db()
    assert member.interface_language == "hi"
    # The preference wins from any device: a client without the cookie gets it too.
    other = Client()
    other.force_login(member)
    assert html_lang(other.get("/latest")) == "hi"


def test_a_member_switching_to_an_unknown_language_changes_nothing(member_client, member):
    member.interface_language = "fr"
    member.save()
    member_client.get("/language/klingon?next=/latest")
    member.refresh_from_db()
    assert member.interface_language == "fr"


# The preferences page.


def preferences(**changes):
    data = {"display_name": "", "bio": "", "languages": "", "timezone": "", "location": "", "interface_language": ""}
    data.update(changes)
    return data


def test_the_preferences_offer_automatic_and_every_offered_language(member_client):
    page = member_client.get("/my/preferences").content.decode()
    assert 'name="interface_language"' in page
    assert '<option value="" selected>Automatic</option>' in page
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}">{name}</option>' in page


def test_a_member_chooses_an_interface_language_in_their_preferences(member_client, member):
    assert member_client.post("/my/preferences", preferences(interface_language="ar")).status_code == 302
    member.refresh_from_db()
    assert member.interface_language == "ar"
    assert html_lang(member_client.get("/latest")) == "ar"
    member_client.post("/my/preferences", preferences(interface_language=""))
    member.refresh_from_db()
    assert member.interface_language == ""


def test_an_unoffered_interface_language_is_refused_and_the_rest_kept(member_client, member):
    response = member_client.post("/my/preferences", preferences(interface_language="xx", display_name="Kept"))
    assert response.status_code == 400
    assert 'value="Kept"' in response.content.decode()
    member.refresh_from_db()
    assert member.interface_language == "" and member.display_name == ""


def test_a_language_no_longer_offered_shows_as_automatic(settings, member_client, member):
    User.objects.filter(pk=member.pk).update(interface_language="pa")
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    page = member_client.get("/my/preferences").content.decode()
    assert '<option value="" selected>Automatic</option>' in page
    assert html_lang(member_client.get("/latest")) == "en"


# Mail to a known member goes out in their language.


@pytest.fixture
def mail_languages(monkeypatch):
    """The language active while each allauth mail is rendered."""
    seen: list[str] = []
    original = AccountAdapter.render_mail

    def spy(self, template_prefix, email, context, headers=None):
        seen.append(get_language())
        return original(self, template_prefix, email, context, headers=headers)

    monkeypatch.setattr(AccountAdapter, "render_mail", spy)
    return seen


def test_a_password_reset_goes_out_in_the_members_language(client, member, mail_languages):
    factories.verify_email(member)
    member.interface_language = "fr"
    member.save()
    response = client.post("/accounts/password/reset/", {"email": member.email}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail_languages == ["fr"]


def test_a_member_without_a_choice_gets_mail_in_their_first_offered_language(client, member, mail_languages):
    factories.verify_email(member)
    member.languages = "sw, pa"
    member.save()
    client.post("/accounts/password/reset/", {"email": member.email})
    assert mail_languages == ["pa"]


def test_mail_to_an_unknown_address_goes_out_in_the_pages_language(client, mail_languages, settings):
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    client.cookies[COOKIE] = "es"
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert mail_languages == ["es"]


def test_a_group_invitation_to_a_members_address_is_in_their_language(member, outsider, monkeypatch):
    from agora.groups import services as group_services
    from agora.groups.models import Group

    seen = []
    original = group_services.render_to_string

    def spy(*args, **kwargs):
        seen.append(get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(group_services, "render_to_string", spy)
    outsider.interface_language = "ar"
    outsider.save()
    from tests.groups.conftest import make_group

    group = make_group("cell", owners=[member], visibility=Group.Visibility.GROUP)
    invitation = group_services.invitation_create(actor=member, group=group, email=outsider.email)
    assert group_services.invitation_email_send(invitation_id=invitation.pk)
    assert seen == ["ar", "ar"]  # subject and body
    seen.clear()
    stranger = group_services.invitation_create(actor=member, group=group, email="stranger@example.org")
    assert group_services.invitation_email_send(invitation_id=stranger.pk)
    assert seen == [settings.LANGUAGE_CODE, settings.LANGUAGE_CODE]
