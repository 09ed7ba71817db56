"""Moderator tools on people in a real browser, with JavaScript and without.

A moderator opens a member's profile, follows "Moderate", silences them for three days with a reason;
the member, signed in elsewhere, is told why and until when on the composer. The moderator suspends
them: the member's open session ends at once, and signing in again says why. The moderator finds both
in the staff action log, filtered by the member.
"""

from __future__ import annotations

import pytest

from agora.accounts.models import User
from tests import factories
from tests.e2e.helpers import PASSWORD, log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_silencing_and_suspending_a_member(js, site, open_context):
    moderator = verified_user(username="Mia Moderator", email="mia@example.org", is_moderator=True, trust_level=3)
    member = verified_user(username="Rude Rudi", email="rudi@example.org", trust_level=1)
    factories.make_category("Lounge", slug="lounge")

    them_context = open_context(javascript=js)
    them = them_context.new_page()
    log_in(them, site, member.username)

    mod_context = open_context(javascript=js)
    mod = mod_context.new_page()
    log_in(mod, site, moderator.username)
    mod.goto(f"{site}/u/Rude_Rudi")
    _submit(mod, "a[href='/u/Rude_Rudi/moderate']")
    mod.select_option("select[name=silence-period]", "3")
    mod.fill("textarea[name=silence-reason]", "Insults in the lounge")
    _submit(mod, "form:has(input[value=silence]) button[type=submit]")
    assert "Rude Rudi is silenced." in mod.inner_text("body")
    assert "Insults in the lounge" in mod.inner_text("#silence-state")

    # The member is told why and until when, on the composer (a 403 page, which the browser reports).
    them_context.probe.allow("/new-topic: Failed to load resource: the server responded with a status of 403")
    response = them.goto(f"{site}/new-topic")
    assert response.status == 403
    assert "You are silenced until" in them.inner_text("main") and "Insults in the lounge" in them.inner_text("main")

    # Suspended: their open session ends at once, and signing in again says why.
    mod.select_option("select[name=suspend-period]", "7")
    mod.fill("textarea[name=suspend-reason]", "Threats by message")
    _submit(mod, "form:has(input[value=suspend]) button[type=submit]")
    assert User.objects.get(pk=member.pk).is_suspended
    them.goto(f"{site}/notifications")
    assert "/accounts/login/" in them.url
    them.fill("input[name=login]", member.username)
    them.fill("input[name=password]", PASSWORD)
    _submit(them, "main form button[type=submit]")
    text = them.inner_text("main")
    assert "Your account is suspended until" in text and "Threats by message" in text

    # Both are in the staff action log, filtered by the member.
    mod.goto(f"{site}/review/log")
    mod.fill("input[name=subject]", "rude rudi")
    _submit(mod, "form.log-filters button[type=submit]")
    rows = mod.locator("tr.log-entry")
    assert rows.count() == 2
    assert "suspended a person" in rows.nth(0).inner_text() and "silenced a person" in rows.nth(1).inner_text()
    them_context.probe.assert_clean()
    mod_context.probe.assert_clean()
