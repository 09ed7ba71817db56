"""Log in with a Wikimedia account, end to end: Django's test client on our side, a real OAuth 2.0 server
speaking MediaWiki's endpoints on a local port on the wiki's side (tests/accounts/wiki_oauth.py), and the
browser's hop to the wiki's consent screen made with requests."""

from __future__ import annotations

import copy
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.mediawiki.views import MediaWikiOAuth2Adapter
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from agora.accounts.models import TrustLevel, User
from agora.trust.models import TrustLevelChange
from tests import factories

from .helpers import audit
from .wiki_oauth import WikiOAuthServer, wiki_profile

LOGIN_URL = "/accounts/mediawiki/login/"
BUTTON = "Log in with your Wikimedia account"


@pytest.fixture
def wiki(db, settings, monkeypatch):
    server = WikiOAuthServer().start()
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["mediawiki"].update(
        REST_API=server.url, APP={"client_id": server.client_id, "secret": server.client_secret}
    )
    settings.SOCIALACCOUNT_PROVIDERS = providers
    # allauth's MediaWiki adapter reads REST_API once, when it is imported: point its addresses here.
    for attribute, endpoint in [
        ("authorize_url", "authorize"),
        ("access_token_url", "access_token"),
        ("profile_url", "resource/profile"),
    ]:
        monkeypatch.setattr(MediaWikiOAuth2Adapter, attribute, f"{server.url}/oauth2/{endpoint}")
    yield server
    server.stop()


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get(SESSION_KEY)).first()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def start(client, wiki, *, process="login", next_url=None):
    """Press the button (a POST form), then visit the wiki's consent screen; returns where the wiki
    sends the browser back to (our callback, absolute)."""
    query = {"process": process, **({"next": next_url} if next_url else {})}
    response = client.post(f"{LOGIN_URL}?{urlencode(query)}")
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{wiki.url}/oauth2/authorize?")
    consent = requests.get(authorize, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    callback = consent.headers["Location"]
    assert callback.startswith("http://testserver/accounts/mediawiki/login/callback/?")
    return callback


def wiki_login(client, wiki, profile, **kwargs):
    wiki.profile = profile
    return client.get(path_of(start(client, wiki, **kwargs)))


def registered_days_ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).strftime("%Y%m%d%H%M%S")


# --- First log-in, renames, names ------------------------------------------------------------------


def test_first_login_creates_an_account_keyed_on_the_wiki_sub(client, wiki):
    response = wiki_login(client, wiki, wiki_profile(sub=777, username="Jane Doe"), next_url="/latest")

    assert response.status_code == 302 and response["Location"] == "/latest"
    user = signed_in_user(client)
    assert user is not None and user.username == "Jane Doe" and user.display_name == "Jane Doe"
    account = SocialAccount.objects.get(provider="mediawiki")
    assert account.uid == "777" and account.user == user
    assert account.extra_data["editcount"] == 12 and account.extra_data["blocked"] is False
    assert not user.has_usable_password()
    assert user.registration_ip == "127.0.0.1"  # counted by the per-address sign-up limit
    # What the wiki was told: our consumer, the code once, the callback it was issued for.
    [token_request] = wiki.token_requests
    assert token_request["client_id"] == wiki.client_id
    assert token_request["redirect_uri"] == "http://testserver/accounts/mediawiki/login/callback/"


def test_every_call_to_the_wiki_carries_our_user_agent(client, wiki, settings):
    wiki_login(client, wiki, wiki_profile())
    calls = wiki.user_agents[1:]  # the first is the browser's visit to the consent screen (requests here)
    assert len(calls) == 2  # the token, the profile
    assert all(agent == settings.AGORA_OAUTH_USER_AGENT for agent in calls)
    assert "Agora" in settings.AGORA_OAUTH_USER_AGENT


def test_a_renamed_wiki_user_logs_into_the_same_account(client, wiki):
    wiki_login(client, wiki, wiki_profile(sub=5, username="Old Name"))
    first = signed_in_user(client)
    client.logout()

    response = wiki_login(client, wiki, wiki_profile(sub=5, username="New Name"))

    assert response.status_code == 302
    assert signed_in_user(client) == first
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(uid="5").extra_data["username"] == "New Name"


def test_a_wiki_name_in_another_script_is_kept_as_it_is(client, wiki):
    wiki_login(client, wiki, wiki_profile(sub=9, username="Ахмед Ёлкин"))
    user = signed_in_user(client)
    assert user.username == "Ахмед Ёлкин" and user.display_name == "Ахмед Ёлкин"


def test_a_taken_name_gets_the_sign_up_form_with_a_free_suggestion(client, wiki):
    factories.UserFactory(username="Jane Doe")

    response = wiki_login(client, wiki, wiki_profile(sub=11, username="Jane Doe"))

    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    assert signed_in_user(client) is None
    page = client.get("/accounts/3rdparty/signup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Jane Doe 2"' in html and "account-form" in html
    assert 'Welcome, <bdi dir="auto">Jane Doe</bdi>' in html
    response = client.post("/accounts/3rdparty/signup/", {"username": "Jane Doe 2", "email": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = signed_in_user(client)
    assert user.username == "Jane Doe 2" and user.display_name == "Jane Doe"
    assert SocialAccount.objects.get(uid="11").user == user


def test_a_wiki_name_with_characters_we_refuse_is_offered_in_our_form(client, wiki):
    response = wiki_login(client, wiki, wiki_profile(sub=12, username="O'Brien!"))

    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert 'value="O Brien"' in client.get("/accounts/3rdparty/signup/").content.decode()


# --- Email ------------------------------------------------------------------------------------------


def test_a_confirmed_wiki_email_is_kept_as_verified(client, wiki):
    wiki_login(client, wiki, wiki_profile(sub=21, email="jane@example.org", confirmed_email=True))
    user = signed_in_user(client)
    assert user.email == "jane@example.org"
    assert EmailAddress.objects.get(user=user).verified


def test_an_unconfirmed_wiki_email_is_not_used(client, wiki, mailoutbox):
    wiki_login(client, wiki, wiki_profile(sub=22, email="maybe@example.org", confirmed_email=False))
    user = signed_in_user(client)
    assert user is not None and user.email == ""
    assert not EmailAddress.objects.filter(email="maybe@example.org").exists()
    assert mailoutbox == []


def test_an_existing_account_with_the_same_verified_email_is_linked(client, wiki):
    local = factories.UserFactory(username="Local Jane", email="jane@example.org")
    local.set_password("a long and unusual passphrase")
    local.save()
    EmailAddress.objects.create(user=local, email="jane@example.org", verified=True, primary=True)

    wiki_login(client, wiki, wiki_profile(sub=31, username="Jane W", email="jane@example.org", confirmed_email=True))

    assert signed_in_user(client) == local
    assert SocialAccount.objects.get(uid="31").user == local
    local.refresh_from_db()
    assert local.has_usable_password()
    assert User.objects.count() == 1


def test_an_existing_account_with_the_same_unverified_email_is_not_linked(client, wiki, mailoutbox):
    local = factories.UserFactory(username="Squatter", email="jane@example.org")
    local.set_password("a long and unusual passphrase")
    local.save()
    EmailAddress.objects.create(user=local, email="jane@example.org", verified=False, primary=True)

    response = wiki_login(
        client, wiki, wiki_profile(sub=32, username="Jane W", email="jane@example.org", confirmed_email=True)
    )

    # allauth's answer to an address already in use, without saying so on the page: a mail to the
    # address (its owner learns an account holds it), and nobody signed in.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert [m.to for m in mailoutbox] == [["jane@example.org"]]
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=local).exists()
    local.refresh_from_db()
    assert local.has_usable_password()


# --- Refusals -------------------------------------------------------------------------------------


def test_refusing_on_the_wiki_says_so_and_makes_no_account(client, wiki):
    wiki.decision = "deny"
    response = wiki_login(client, wiki, wiki_profile(sub=41))

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You did not allow the log-in on the wiki" in page.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_an_expired_code_is_refused_with_a_clear_message(client, wiki):
    wiki.profile = wiki_profile(sub=42)
    callback = start(client, wiki)
    wiki.expire_codes()

    response = client.get(path_of(callback))

    assert response.status_code == 401
    html = response.content.decode()
    assert "its code had expired or was already used" in html
    assert signed_in_user(client) is None and not User.objects.exists()


def test_a_code_used_twice_is_refused(client, wiki):
    wiki.profile = wiki_profile(sub=43)
    first = urlsplit(start(client, wiki))
    assert client.get(f"{first.path}?{first.query}").status_code == 302
    client.logout()
    # A new sign-in (a fresh state) carrying the code already spent: the wiki answers invalid_grant.
    second = urlsplit(start(client, wiki))
    replay = urlencode({"code": parse_qs(first.query)["code"][0], "state": parse_qs(second.query)["state"][0]})

    response = client.get(f"{second.path}?{replay}")

    assert response.status_code == 401
    assert "its code had expired or was already used" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_state_that_does_not_match_is_refused(client, wiki):
    wiki.profile = wiki_profile(sub=44)
    callback = urlsplit(start(client, wiki))
    query = parse_qs(callback.query)
    forged = urlencode({"code": query["code"][0], "state": "forged-state"})

    response = client.get(f"{callback.path}?{forged}")

    assert response.status_code == 401
    assert "This sign-in did not start here" in response.content.decode()
    assert signed_in_user(client) is None and not User.objects.exists()
    assert wiki.token_requests == []  # the code was never even spent


def test_a_callback_in_another_browser_is_refused(client, wiki):
    wiki.profile = wiki_profile(sub=45)
    callback = start(client, wiki)

    other = Client()
    response = other.get(path_of(callback))

    assert response.status_code == 401
    assert not User.objects.exists()


def test_a_blocked_wiki_account_is_refused(client, wiki):
    response = wiki_login(client, wiki, wiki_profile(sub=46, blocked=True))

    assert response.status_code == 401
    assert "Your Wikimedia account is blocked" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_a_member_whose_wiki_account_is_blocked_later_is_refused(client, wiki):
    wiki_login(client, wiki, wiki_profile(sub=47))
    client.logout()

    response = wiki_login(client, wiki, wiki_profile(sub=47, blocked=True))

    assert response.status_code == 401
    assert signed_in_user(client) is None


def test_a_wrong_consumer_secret_is_reported_as_the_site_s_fault(client, wiki, settings):
    settings.SOCIALACCOUNT_PROVIDERS["mediawiki"]["APP"]["secret"] = "not the secret"
    response = wiki_login(client, wiki, wiki_profile(sub=48))

    assert response.status_code == 401
    assert "Please tell the site" in response.content.decode()
    assert not User.objects.exists()


def test_a_suspended_member_cannot_log_in_with_their_wiki_account(client, wiki, member):
    client.force_login(member)
    wiki_login(client, wiki, wiki_profile(sub=49), process="connect")
    client.logout()
    member.suspended_until = timezone.now() + timedelta(days=3)
    member.suspend_reason = "Spam"
    member.save()

    response = wiki_login(client, wiki, wiki_profile(sub=49))

    assert response.status_code == 401
    assert "Your account is suspended until" in response.content.decode()
    assert signed_in_user(client) is None


# --- Standing ---------------------------------------------------------------------------------------


def test_a_wiki_account_with_standing_starts_at_trust_level_1(client, wiki, settings):
    settings.AGORA_WIKIMEDIA_TL1_EDITS = 100
    settings.AGORA_WIKIMEDIA_TL1_DAYS = 30
    wiki_login(client, wiki, wiki_profile(sub=51, editcount=4200, registered=registered_days_ago(400)))

    user = signed_in_user(client)
    assert user.trust_level == TrustLevel.BASIC
    change = TrustLevelChange.objects.get(user=user)
    assert change.from_level == 0 and change.to_level == 1 and change.actor is None
    assert "Wikimedia account with 4200 edits" in change.reason


@pytest.mark.parametrize(
    "editcount, days",
    [(99, 400), (4200, 29), (0, 4000)],
    ids=["too-few-edits", "too-young", "no-edits"],
)
def test_a_wiki_account_without_standing_starts_at_level_0(client, wiki, settings, editcount, days):
    settings.AGORA_WIKIMEDIA_TL1_EDITS = 100
    settings.AGORA_WIKIMEDIA_TL1_DAYS = 30
    wiki_login(client, wiki, wiki_profile(sub=52, editcount=editcount, registered=registered_days_ago(days)))

    user = signed_in_user(client)
    assert user.trust_level == TrustLevel.NEW
    assert not TrustLevelChange.objects.filter(user=user).exists()


def test_standing_is_shown_in_the_trust_log_to_staff(client, wiki, staff, client_for):
    wiki_login(client, wiki, wiki_profile(sub=53, editcount=4200, registered=registered_days_ago(400)))
    user = signed_in_user(client)

    page = client_for(staff).get(f"/u/{user.url_name}/trust")

    assert page.status_code == 200
    assert "Wikimedia account with 4200 edits" in page.content.decode()


# --- Connecting from a signed-in account ----------------------------------------------------------


def test_a_member_connects_their_wiki_account_explicitly(client, wiki, member):
    client.force_login(member)
    page = client.get("/accounts/3rdparty/")
    assert page.status_code == 200
    assert "Connect your Wikimedia account" in page.content.decode()
    assert 'aria-current="page">Connected accounts' in page.content.decode()  # a tab of the settings pages

    response = wiki_login(client, wiki, wiki_profile(sub=61, username="Member on the wiki"), process="connect")

    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get(uid="61").user == member
    client.logout()
    wiki_login(client, wiki, wiki_profile(sub=61, username="Member on the wiki"))
    assert signed_in_user(client) == member


def test_a_wiki_account_of_another_member_is_not_connected_again(client, wiki, member, other_member):
    client.force_login(other_member)
    wiki_login(client, wiki, wiki_profile(sub=62), process="connect")
    client.force_login(member)

    wiki_login(client, wiki, wiki_profile(sub=62), process="connect")

    assert SocialAccount.objects.get(uid="62").user == other_member


def test_the_connections_page_is_for_signed_in_people_only(client, wiki):
    response = client.get("/accounts/3rdparty/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The button --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_the_button_is_on_the_login_and_signup_pages_as_a_post_form(client, wiki, path):
    html = client.get(path).content.decode()
    assert BUTTON in html
    form = html[html.rindex("<form", 0, html.index(BUTTON)) : html.index(BUTTON)]
    assert 'method="post"' in form and LOGIN_URL in form and "csrfmiddlewaretoken" in form


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_the_button_is_absent_when_no_consumer_is_configured(client, db, path):
    page = client.get(path)
    assert page.status_code == 200
    assert BUTTON not in page.content.decode()


def test_the_settings_pages_offer_no_connections_tab_without_a_consumer(client, member):
    client.force_login(member)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Connected accounts" not in page.content.decode()


def test_the_login_address_answers_404_when_no_consumer_is_configured(client, db):
    assert client.post(LOGIN_URL).status_code == 404
    assert client.get(LOGIN_URL).status_code == 404


def test_the_wikimedia_pages_are_labelled_and_run_no_inline_code(client, wiki, member):
    factories.UserFactory(username="Jane Doe")
    pages = [client.get("/accounts/login/"), client.get("/accounts/signup/")]
    wiki_login(client, wiki, wiki_profile(sub=71, username="Jane Doe"))
    pages.append(client.get("/accounts/3rdparty/signup/"))
    wiki.decision = "deny"
    pages.append(client.get(wiki_login(Client(), wiki, wiki_profile(sub=72))["Location"]))
    connected = Client()
    connected.force_login(member)
    pages.append(connected.get("/accounts/3rdparty/"))

    for response in pages:
        assert response.status_code == 200
        page = audit(response)
        assert page.csp_violations == [] and page.unlabelled() == []
        assert 'class="page account-page"' in response.content.decode()  # the site's frame and style
