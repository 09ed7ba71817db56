"""Every account page renders in the site's layout, every form control has a label, and nothing is
inline that our Content-Security-Policy would block."""

import re

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

from tests import factories

from .helpers import PageAudit, audit


def assert_site_page(response, *, heading: str | None = None):
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert 'class="site-header"' in html and '<main id="main"' in html, "not in the site layout"
    assert re.search(r"<title>\s*\S.*· Agora</title>", html, re.DOTALL), "the page has no title of its own"
    if heading:
        assert heading in html
    page = audit(response)
    assert page.csp_violations == []
    assert page.unlabelled() == []
    return without_site_menu(page)


# Every page's header holds the phone menu's switch (a labelled checkbox) and the search field (labelled for
# screen readers, its placeholder only a hint): the forms' own are the rest. Both are checked labelled above.
SITE_MENU = "site-menu-toggle"
SITE_CHROME = {SITE_MENU, "header-q"}


def without_site_menu(page):
    page.controls = [c for c in page.controls if c.attrs.get("id") not in SITE_CHROME]
    for control in SITE_CHROME:
        page.label_text.pop(control, None)
    return page


@pytest.fixture
def unverified(db):
    user = factories.UserFactory(username="Newcomer", email="newcomer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Username or email"),
        ("/accounts/signup/", "Letters of any script"),
        ("/accounts/password/reset/", "Password Reset"),
        ("/accounts/password/reset/done/", "We have sent you an email"),
        ("/accounts/confirm-email/", "Verify Your Email Address"),
        ("/accounts/confirm-email/not-a-key/", "expired or is invalid"),
        ("/accounts/password/reset/key/1-bad/", "Bad Token"),
        ("/accounts/password/reset/key/done/", "Your password is now changed"),
        ("/accounts/inactive/", "This account is inactive"),
    ],
)
def test_anonymous_account_pages_render_in_the_site(client, db, url, heading):
    assert_site_page(client.get(url), heading=heading)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/logout/", "Are you sure you want to sign out?"),
        ("/accounts/email/", "Change to"),
        ("/accounts/password/change/", "Current Password"),
        ("/accounts/reauthenticate/", "Confirm Access"),
        ("/my/preferences", "Your profile and preferences"),
    ],
)
def test_signed_in_account_pages_render_in_the_site(client, member, url, heading):
    factories.verify_email(member)
    client.force_login(member)
    assert_site_page(client.get(url), heading=heading)


def test_the_email_page_with_a_pending_change_has_no_inline_style(client, member):
    """allauth hides its resend form with style="display: none"; ours uses the hidden attribute."""
    factories.verify_email(member)
    EmailAddress.objects.create(user=member, email="new@example.org", verified=False, primary=False)
    client.force_login(member)
    page = assert_site_page(client.get("/accounts/email/"), heading="Changing to")
    html = client.get("/accounts/email/").content.decode()
    assert '<form hidden\n              id="pending-email"' in html
    assert page.controls  # the current and the new address are shown, each with its label


def test_the_confirmation_page_renders_for_a_valid_key(client, unverified):
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=unverified)).key
    page = assert_site_page(client.get(f"/accounts/confirm-email/{key}/"), heading="Please confirm that")
    assert page.controls == []  # one button, nothing to type


def test_the_password_reset_from_key_page_renders(client, member):
    factories.verify_email(member)
    key = EmailAwarePasswordResetTokenGenerator().make_token(member)
    response = client.get(f"/accounts/password/reset/key/{user_pk_to_url_str(member)}-{key}/", follow=True)
    page = assert_site_page(response, heading="Change Password")
    assert {c.attrs["name"] for c in page.controls} == {"password1", "password2"}


def test_the_login_form_labels_every_field_visibly(client, db):
    """allauth asks for unlabeled login fields (placeholders only); ours keeps a visible label each."""
    page = without_site_menu(audit(client.get("/accounts/login/")))
    assert page.label_text == {"id_login": "Username or email", "id_password": "Password", "id_remember": "Remember me"}
    assert all("placeholder" not in c.attrs for c in page.controls)


def test_the_signup_form_labels_every_field_visibly(client, db):
    page = without_site_menu(audit(client.get("/accounts/signup/")))
    fields = {"id_email", "id_username", "id_password1", "id_password2", "id_accept_code_of_conduct"}
    assert set(page.label_text) == fields
    assert all(page.label_text.values())


def test_the_audit_catches_what_it_should():
    """The checks above must be able to fail."""
    page = PageAudit(
        '<input name="a" placeholder="A"><label for="b"></label><input id="b" name="b">'
        '<input name="c" aria-label="C"><label>D <input name="d"></label><input type="hidden" name="e">'
        '<p style="color:red" onclick="x()"></p><script>alert(1)</script><script src="/s.js"></script>'
    )
    assert page.unlabelled() == ["a", "b"]
    assert page.csp_violations == ["style attribute on <p>", "onclick handler on <p>", "inline <script>"]
