"""Mail through a real SMTP server: the sign-up verification and the password reset, end to end, and
EMAIL_URL read by the settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from agora.accounts.models import User
from tests import factories

from .mail import link_in

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long and unusual passphrase"


def smtp_settings(port: int):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
    )


def test_signup_verification_goes_through_smtp(client, db, smtp_server):
    inbox, port = smtp_server
    with smtp_settings(port):
        response = client.post(
            "/accounts/signup/",
            {
                "username": "Ngozi Okafor",
                "email": "ngozi@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_code_of_conduct": "on",
            },
        )
        assert response.status_code == 302
        [message] = inbox.wait(1)
        assert message["X-Envelope-To"] == "ngozi@example.org"
        assert message["To"] == "ngozi@example.org"
        assert message["Subject"].startswith("[Agora] ")
        assert "Agora" in message["From"]

        path = link_in(inbox.body(message), "/accounts/confirm-email/")
        assert client.post(path).status_code == 302

        response = client.post("/accounts/login/", {"login": "Ngozi Okafor", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="Ngozi Okafor")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.emailaddress_set.get().verified


def test_password_reset_goes_through_smtp(client, member, smtp_server):
    inbox, port = smtp_server
    factories.verify_email(member)
    with smtp_settings(port):
        response = client.post("/accounts/password/reset/", {"email": "MEMBER@example.org"})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/done/"
        [message] = inbox.wait(1)
        assert message["To"] == "member@example.org"
        body = inbox.body(message)
        assert "Member" in body  # the mail reminds people of their username

        path = link_in(body, "/accounts/password/reset/key/")
        form_page = client.get(path, follow=True)  # the key moves into the session, out of the address
        assert form_page.status_code == 200
        set_password_path = form_page.redirect_chain[-1][0]
        response = client.post(set_password_path, {"password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/key/done/"

        # The link works once.
        assert "Bad Token" in client.get(path, follow=True).content.decode()

    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    response = client.post("/accounts/login/", {"login": "member@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def _settings_with_env(tmp_path, **env) -> dict:
    """Import agora.settings in a fresh interpreter with these environment variables; return the mail settings."""
    script = (
        "import json, agora.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
        "'EMAIL_USE_TLS', 'EMAIL_USE_SSL']}))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE"}}
    environ.update(AGORA_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    result = subprocess.run(
        [sys.executable, "-c", script], env=environ, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    if result.returncode:
        return {"error": result.stderr}
    return json.loads(result.stdout)


def test_mail_goes_to_the_console_by_default(tmp_path):
    assert _settings_with_env(tmp_path)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mail.example.org",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False},
        ),
        (
            "smtp+tls://agora%40example.org:p%40ss%3Aword@mail.example.org",
            {
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "agora@example.org",
                "EMAIL_HOST_PASSWORD": "p@ss:word",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True}),
        ("smtp://127.0.0.1:2525", {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 2525}),
    ],
)
def test_email_url_selects_smtp(tmp_path, url, expected):
    mail = _settings_with_env(tmp_path, EMAIL_URL=url)
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {k: mail[k] for k in expected} == expected


def test_an_email_url_of_an_unknown_kind_stops_the_start(tmp_path):
    assert "EMAIL_URL must start with" in _settings_with_env(tmp_path, EMAIL_URL="http://mail.example.org")["error"]


def test_email_url_delivers_to_a_real_server(tmp_path, smtp_server):
    """The whole path: EMAIL_URL in the environment, Django's sendtestemail, our SMTP server receives."""
    inbox, port = smtp_server
    environ = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE"}}
    environ.update(AGORA_VAR_DIR=str(tmp_path), EMAIL_URL=f"smtp://127.0.0.1:{port}")
    result = subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "operator@example.org"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [message] = inbox.wait(1)
    assert message["To"] == "operator@example.org"
