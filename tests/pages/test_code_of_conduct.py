"""The code of conduct: accepted at sign-up with its version; a version staff raise asks every member
again, once, at their next page view; a typo fix asks nobody; the check costs one query at most."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import User
from agora.pages import services
from agora.pages.models import CodeAcceptance, SitePage
from agora.pages.queries import VERSION_CACHE_KEY
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}


def signup(client, **extra):
    data = {"username": "Wanjiru Kamau", "email": "wanjiru@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **extra})


def raise_version(staff, text="A new rule: be patient.", note="A rule on patience"):
    code = SitePage.objects.get(slug="code-of-conduct")
    return services.page_save(
        page=code, user=staff, title=code.title, raw=code.raw + "\n\n" + text, raise_version=True, note=note
    )


def test_the_signup_form_shows_the_box_and_links_the_code(client):
    text = client.get("/accounts/signup/").content.decode()
    assert 'name="accept_code_of_conduct"' in text and 'href="/code-of-conduct"' in text


def test_signup_without_the_box_is_refused_and_keeps_what_was_typed(client):
    response = signup(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "please read the code of conduct and tick this box" in text
    assert 'value="Wanjiru Kamau"' in text and 'value="wanjiru@example.org"' in text
    assert not User.objects.filter(username="Wanjiru Kamau").exists()


def test_signup_records_the_version_accepted(client, staff):
    raise_version(staff)  # version 2 now
    response = signup(client, accept_code_of_conduct="on")
    assert response.status_code == 302
    [acceptance] = CodeAcceptance.objects.filter(user__username="Wanjiru Kamau")
    assert acceptance.version == 2 and acceptance.accepted_at is not None


def test_a_member_is_not_asked_while_the_code_is_unchanged(client_for, member):
    assert not CodeAcceptance.objects.filter(user=member).exists()  # joined before: the first version holds
    assert client_for(member).get("/latest", **HTML).status_code == 200


def test_a_typo_fix_asks_nobody_again(client_for, member, staff):
    code = SitePage.objects.get(slug="code-of-conduct")
    services.page_save(page=code, user=staff, title=code.title, raw=code.raw.replace("often", "often."))
    assert SitePage.objects.get(slug="code-of-conduct").version == 1
    assert client_for(member).get("/latest", **HTML).status_code == 200


def test_a_raised_version_asks_once_then_lets_the_member_through(client_for, member, staff):
    client = client_for(member)
    client.get("/latest", **HTML)  # accepted version 1 is remembered in the session
    raise_version(staff)

    response = client.get("/t/some-topic/1?x=1", **HTML)
    assert response.status_code == 302
    assert response["Location"] == "/code-of-conduct/accept?next=%2Ft%2Fsome-topic%2F1%3Fx%3D1"
    page = client.get(response["Location"]).content.decode()
    assert "A rule on patience" in page  # what changed, in a line
    assert '<span class="diff-added">+ A new rule: be patient.</span>' in page  # and line by line
    assert client.get("/healthz").status_code in {200, 503}  # never asked: health, files, accounts
    assert client.get("/code-of-conduct").status_code == 200
    assert client.get("/notifications", HTTP_HX_REQUEST="true").status_code == 200  # htmx fragments pass
    assert client.get("/messages/moderators", **HTML).status_code == 200  # the moderators stay reachable
    assert client.post("/accounts/logout/").status_code == 302  # signing out is always possible

    client = client_for(member)
    response = client.post("/code-of-conduct/accept", {"version": 2, "next": "/latest"})
    assert response.status_code == 302 and response["Location"] == "/latest"
    assert CodeAcceptance.objects.get(user=member).version == 2
    assert client.get("/latest", **HTML).status_code == 200
    assert client.get("/code-of-conduct/accept?next=/top").headers["Location"] == "/top"  # nothing left to accept


def test_machine_answers_are_never_redirected_to_the_code(client_for, member, staff):
    client = client_for(member)
    client.get("/latest", **HTML)
    raise_version(staff)
    assert client.get("/latest", **HTML).status_code == 302  # pages ask
    # The API, the Discourse JSON's avatars and the widget answer as they would: a client reading JSON or an
    # img tag cannot follow a redirect to a form.
    assert client.get("/api/v1/categories").status_code == 200
    assert client.get(f"/user_avatar/{member.username}/48").status_code == 200
    assert client.get("/embed/topics", **HTML).status_code == 200
    assert client.get("/latest.rss").status_code == 200


def test_accepting_an_old_version_changes_nothing(client_for, member, staff):
    raise_version(staff)
    client = client_for(member)
    response = client.post("/code-of-conduct/accept", {"version": 1, "next": "/latest"})
    assert response.status_code == 302 and response["Location"].startswith("/code-of-conduct/accept")
    assert not CodeAcceptance.objects.filter(user=member).exists()
    assert client.get("/latest", **HTML).status_code == 302


def test_the_accept_page_never_sends_a_member_elsewhere(client_for, member, staff):
    raise_version(staff)
    response = client_for(member).post("/code-of-conduct/accept", {"version": 2, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_visitors_are_never_asked(client, staff):
    raise_version(staff)
    assert client.get("/latest", **HTML).status_code == 200
    assert client.get("/code-of-conduct/accept").status_code == 302  # to the login page


def test_raising_the_version_needs_a_line_saying_what_changed(client_for, staff):
    code = SitePage.objects.get(slug="code-of-conduct")
    client = client_for(staff)
    assert 'name="raise_version"' in client.get("/code-of-conduct/edit").content.decode()
    response = client.post(
        "/code-of-conduct/edit", {"title": code.title, "raw": code.raw + "\n\nMore.", "raise_version": "on"}
    )
    assert response.status_code == 200 and "Say in a line what changed" in response.content.decode()
    assert SitePage.objects.get(slug="code-of-conduct").version == 1
    response = client.post(
        "/code-of-conduct/edit",
        {"title": code.title, "raw": code.raw + "\n\nMore.", "raise_version": "on", "note": "More"},
    )
    assert response.status_code == 302
    assert SitePage.objects.get(slug="code-of-conduct").version == 2
    assert client.get("/latest", **HTML).status_code == 302  # staff accept too


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **HTML)
    return response.status_code, len(captured)


def test_the_check_costs_no_query_once_warm_and_one_when_cold(client_for, member, staff, settings):
    factories.make_topic(member, factories.make_category("Ask here"))
    client = client_for(member)
    client.get("/latest", **HTML)  # warm the session: it now remembers the member accepted version 1
    status, with_check = _queries(client, "/latest")
    assert status == 200
    # Cold: one query for the version and the member's acceptance together. Only the code's key is
    # forgotten: the rest of the cache (a day's visit counted) is not this check's cost.
    cache.delete(VERSION_CACHE_KEY)
    status, cold = _queries(client, "/latest")
    assert status == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "agora.pages.middleware.CodeOfConductMiddleware"]
    _queries(client, "/latest")
    status, without_check = _queries(client, "/latest")
    assert status == 200
    assert with_check == without_check
    assert cold <= without_check + 1


def test_a_member_asked_to_accept_costs_one_query_per_page(client_for, member, staff, django_assert_max_num_queries):
    client = client_for(member)
    raise_version(staff)
    client.get("/latest", **HTML)
    # The session, the user, and the one query of the check; nothing else runs before the redirect.
    with django_assert_max_num_queries(3):
        assert client.get("/latest", **HTML).status_code == 302


def test_a_member_who_signs_up_is_not_asked_again(client, mailoutbox):
    from tests.accounts.mail import link_in

    signup(client, accept_code_of_conduct="on")
    client.post(link_in(mailoutbox[0].body, "/accounts/confirm-email/"))
    client.post("/accounts/login/", {"login": "Wanjiru Kamau", "password": PASSWORD})
    assert client.session.get(SESSION_KEY)
    assert client.get("/latest", **HTML).status_code == 200
