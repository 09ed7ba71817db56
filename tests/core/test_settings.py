"""Settings come from the environment only: documented, safe when embedded, loud when production lacks a value.

Each case starts the real settings (agora.settings) in a subprocess with an environment of its own.
"""

import json
import re
import secrets
import stat

import pytest

from tests.processes import ROOT, documented_variables, manage, python, real_env

# The production minimum, as the top of .env.example lists it.
PRODUCTION = {
    "AGORA_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "agora.example.org",
    "SITE_URL": "https://agora.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://agora.example.org",
    "EMAIL_URL": "smtp+tls://agora:secret@mail.example.org:587",
    "DEFAULT_FROM_EMAIL": "Agora <noreply@agora.example.org>",
}

PRINT_SETTINGS = "from django.conf import settings as s; import json; print(json.dumps({names}))"


def read_settings(env, *names: str) -> dict:
    code = PRINT_SETTINGS.format(names="{" + ", ".join(f"{n!r}: str(s.{n})" for n in names) + "}")
    result = python(code, env=env, setup=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_variable_the_settings_read_is_documented():
    source = (ROOT / "agora" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:os\.environ\.get|os\.environ\[|envbool|envint|envlist)\(?\s*["']([A-Z0-9_]+)["']""", source)
    )
    assert "DATABASE_URL" in read  # the pattern finds them
    assert read - documented_variables() == set()


def test_the_production_example_passes_the_deployment_checks(tmp_path):
    assert set(PRODUCTION) <= documented_variables()
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=real_env(tmp_path, **PRODUCTION), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_on_the_safe_defaults(tmp_path):
    values = read_settings(
        real_env(tmp_path, **PRODUCTION),
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
    )
    assert values == {
        "DEBUG": "False",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "True",
    }


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_without_a_required_value_fails_loudly(tmp_path, missing):
    env = real_env(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != missing})

    result = manage("check", env=env, check=False)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set when AGORA_ENV=production" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_secret_key_is_generated_into_var_on_first_run_and_reused(tmp_path):
    env = real_env(tmp_path)
    assert not (tmp_path / "secret_key").exists()

    first = read_settings(env, "SECRET_KEY")["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    assert read_settings(env, "SECRET_KEY")["SECRET_KEY"] == first
    assert read_settings(real_env(tmp_path / "other"), "SECRET_KEY")["SECRET_KEY"] != first


def test_a_secret_key_from_the_environment_wins_and_writes_nothing(tmp_path):
    env = real_env(tmp_path, SECRET_KEY="from-the-environment")
    assert read_settings(env, "SECRET_KEY")["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_the_embedded_default_needs_no_service(tmp_path):
    values = read_settings(real_env(tmp_path), "DEBUG", "DATABASES", "CACHES", "TASKS", "EMAIL_BACKEND")
    assert values["DEBUG"] == "True"
    assert f"'NAME': '{tmp_path / 'agora.sqlite3'}'" in values["DATABASES"]
    assert "journal_mode=WAL" in values["DATABASES"]
    assert "LocMemCache" in values["CACHES"]
    assert "django_tasks_db.DatabaseBackend" in values["TASKS"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_the_at_scale_variables_switch_the_backends(tmp_path):
    env = real_env(tmp_path, DATABASE_URL="postgres://agora@db.internal:5432/agora", REDIS_URL="redis://cache:6379/0")
    values = read_settings(env, "DATABASES", "CACHES")
    assert "'ENGINE': 'django.db.backends.postgresql'" in values["DATABASES"]
    assert "'HOST': 'db.internal'" in values["DATABASES"]
    assert "'BACKEND': 'django.core.cache.backends.redis.RedisCache'" in values["CACHES"]
    assert "'LOCATION': 'redis://cache:6379/0'" in values["CACHES"]


@pytest.mark.django_db
def test_postgresql_connections_run_without_the_jit_compiler():
    """JIT compiled a 0.3 ms permission query for 170 ms once its estimate crossed jit_above_cost."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the suite runs on it with `make test-services`")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
