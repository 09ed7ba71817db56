"""Sign up with a verified email, log in by username or email, log out, change password and email."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY

from agora.accounts.models import User
from tests import factories

from .mail import link_in

PASSWORD = "a long and unusual passphrase"


def signup(client, username="Aiyana Tsosie", email="aiyana@example.org", **extra):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    data.setdefault("accept_code_of_conduct", "on")  # the code of conduct, accepted (tests/pages/)
    return client.post("/accounts/signup/", data)


def confirm_from_mail(client, message):
    path = link_in(message.body, "/accounts/confirm-email/")
    assert client.get(path).status_code == 200  # a page with a button: a mail scanner's GET confirms nothing
    return client.post(path)


def log_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get(SESSION_KEY)).first()


def test_it_signs_up_verifies_the_email_and_logs_in(client, db, mailoutbox):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="Aiyana Tsosie")
    assert signed_in_user(client) is None  # verification is mandatory
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mailoutbox
    assert message.to == ["aiyana@example.org"]
    assert message.subject.startswith("[Agora] ")
    assert "Agora" in message.body and "testserver" not in message.body.split("\n")[0]

    # Logging in before verifying sends another mail and lets nobody in.
    log_in(client, "Aiyana Tsosie")
    assert signed_in_user(client) is None

    response = confirm_from_mail(client, mailoutbox[0])
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = log_in(client, "Aiyana Tsosie")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == user


@pytest.mark.parametrize("login", ["Aiyana Tsosie", "aiyana_tsosie", "AIYANA TSOSIE", "aiyana@example.org"])
def test_it_logs_in_by_username_in_any_spelling_or_by_email(client, db, login):
    user = factories.UserFactory(username="Aiyana Tsosie", email="aiyana@example.org", password=PASSWORD)
    factories.verify_email(user)
    response = log_in(client, login)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert signed_in_user(client) == user


def test_it_refuses_a_wrong_password_with_a_message(client, member):
    factories.verify_email(member)
    response = log_in(client, "Member", "not the password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert signed_in_user(client) is None


def test_an_inactive_user_cannot_log_in(client, member):
    factories.verify_email(member)
    member.is_active = False
    member.save()
    response = log_in(client, "Member", "correct horse battery")
    assert signed_in_user(client) is None
    assert response.status_code == 302 and response["Location"] == "/accounts/inactive/"


def test_it_logs_out_on_post_only(client, member):
    factories.verify_email(member)
    client.force_login(member)
    assert client.get("/accounts/logout/").status_code == 200
    assert signed_in_user(client) == member  # a GET (a link, a prefetch) does not log out
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("a", "A username has 2 to 60 characters."),
        ("x" * 61, "60 characters"),
        ("alice@example", "not: @"),
        ("<script>", "not: &lt; &gt;"),
        ("bob/admin", "not: /"),
        ("1234", "needs at least one letter"),
        ("Member", "A user with that username already exists."),
        ("MEMBER", "A user with that username already exists."),
        ("M\u0435mber", "looks too much like the name of someone already here"),  # Cyrillic e
        ("Memb\u0435r", "looks too much like"),
    ],
)
def test_signup_refuses_bad_names_clearly_and_keeps_what_was_typed(client, member, mailoutbox, username, message):
    response = signup(client, username=username, email="typed@example.org")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="typed@example.org"' in html
    assert User.objects.count() == 1
    assert mailoutbox == []


def test_signup_keeps_the_username_typed_when_another_field_fails(client, db):
    response = signup(client, username="Zhāng Wěi", email="not an address")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Zhāng Wěi"' in html
    assert not User.objects.exists()


def test_signup_stores_the_wiki_form_of_the_name(client, db):
    signup(client, username="  Jane__Doe ")
    assert User.objects.get().username == "Jane Doe"


def test_signup_makes_no_second_account_for_an_address_in_use(client, db, mailoutbox):
    """allauth does not reveal that an address has an account: it mails its owner instead."""
    owner = factories.UserFactory(username="Owner", email="Owner@Example.org")
    assert owner.email == "owner@example.org"  # stored in lower case, as allauth looks it up
    response = signup(client, username="Someone Else", email="OWNER@example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.filter(username="Someone Else").exists()
    [message] = mailoutbox
    assert message.to == ["owner@example.org"]
    assert "already" in message.body


def test_it_changes_the_password(client, member):
    factories.verify_email(member)
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "correct horse battery", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_it_refuses_a_password_change_without_the_current_password(client, member):
    factories.verify_email(member)
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/", {"oldpassword": "wrong", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password("correct horse battery")


def test_it_changes_the_email_after_the_new_address_is_verified(client, member, mailoutbox):
    factories.verify_email(member)
    client.force_login(member)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "member@example.org"  # not before the new address is confirmed
    message = next(m for m in mailoutbox if m.to == ["new.address@example.org"])
    confirm_from_mail(client, message)
    member.refresh_from_db()
    assert member.email == "new.address@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified", "primary")) == [
        ("new.address@example.org", True, True)
    ]
    client.post("/accounts/logout/")
    assert log_in(client, "new.address@example.org", "correct horse battery").status_code == 302
    assert signed_in_user(client) == member


def test_the_account_pages_need_a_signed_in_user(client, db):
    for url in ["/accounts/email/", "/accounts/password/change/", "/my/preferences"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
