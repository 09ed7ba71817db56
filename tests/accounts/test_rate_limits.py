"""Sign-in and sign-up limits that keep the owner in: per address and per address and account, never
per account alone; at most AGORA_SIGNUPS_PER_IP new accounts per address a day; the addresses kept."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.accounts.models import User
from agora.core import rate_limits
from tests import factories

OWNER_PASSWORD = "correct horse battery"
LIMITS_ON = {
    "AGORA_RATE_LIMITS_ENABLED": True,
    "ACCOUNT_RATE_LIMITS": {"login_failed": "30/15m/ip,5/15m/key"},
    "ACCOUNT_EMAIL_VERIFICATION": "none",
}


def from_ip(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def log_in(client, login, password):
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in(client) -> bool:
    return bool(client.session.get(SESSION_KEY))


@pytest.fixture
def owner(db):
    user = factories.UserFactory(username="Owner", trust_level=2)
    factories.verify_email(user)
    return user


@override_settings(**LIMITS_ON)
def test_an_attacker_is_locked_out_while_the_owner_signs_in_from_elsewhere(owner):
    attacker = from_ip("203.0.113.66")
    for _ in range(5):
        response = log_in(attacker, "Owner", "guess")
        assert not signed_in(attacker)
    # The sixth try from that address is refused even with the right password, and says how long to wait.
    response = log_in(attacker, "Owner", OWNER_PASSWORD)
    assert not signed_in(attacker)
    assert "Too many wrong passwords from your connection" in response.content.decode()
    assert "15 minutes" in response.content.decode()

    home = from_ip("198.51.100.7")
    log_in(home, "Owner", OWNER_PASSWORD)
    assert signed_in(home)


@override_settings(**LIMITS_ON)
def test_an_address_trying_many_accounts_is_stopped_by_the_per_address_limit(db):
    for n in range(4):
        factories.UserFactory(username=f"Person {n}")
    attacker = from_ip("203.0.113.9")
    with override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "6/15m/ip,5/15m/key"}):
        for n in range(6):
            log_in(attacker, f"Person {n % 4}", "guess")
        response = log_in(attacker, "Person 3", OWNER_PASSWORD)
    assert not signed_in(attacker)
    assert "Too many wrong passwords" in response.content.decode()
    # Another address is untouched.
    other = from_ip("203.0.113.10")
    log_in(other, "Person 3", OWNER_PASSWORD)
    assert signed_in(other)


@override_settings(**LIMITS_ON)
def test_a_right_password_does_not_use_up_the_tries(owner):
    client = from_ip("198.51.100.8")
    for _ in range(8):
        log_in(client, "Owner", OWNER_PASSWORD)
        assert signed_in(client)
        client.post("/accounts/logout/")


def signup(client, n):
    password = "a long and unusual passphrase"
    return client.post(
        "/accounts/signup/",
        {
            "username": f"Newcomer {n}",
            "email": f"newcomer{n}@example.org",
            "password1": password,
            "password2": password,
            "accept_code_of_conduct": "on",
        },
    )


@override_settings(**LIMITS_ON, AGORA_SIGNUPS_PER_IP=3)
def test_at_most_three_accounts_a_day_from_one_address(db):
    for n in range(3):
        assert signup(from_ip("192.0.2.44"), n).status_code == 302
    assert set(User.objects.values_list("registration_ip", flat=True)) == {"192.0.2.44"}

    response = signup(from_ip("192.0.2.44"), 3)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 accounts were made from your connection today" in page
    assert "24 hours" in page or "23 hours" in page
    assert 'value="Newcomer 3"' in page  # what was typed stays
    assert not User.objects.filter(username="Newcomer 3").exists()

    assert signup(from_ip("192.0.2.45"), 4).status_code == 302  # another address is free

    # A day later the address may make accounts again.
    User.objects.filter(registration_ip="192.0.2.44").update(date_joined=timezone.now() - timedelta(days=1, minutes=1))
    assert signup(from_ip("192.0.2.44"), 5).status_code == 302


@override_settings(AGORA_RATE_LIMITS_ENABLED=False, ACCOUNT_EMAIL_VERIFICATION="none", AGORA_SIGNUPS_PER_IP=1)
def test_the_sign_up_limit_is_off_with_the_rate_limits(db):
    assert signup(from_ip("192.0.2.50"), 1).status_code == 302
    assert signup(from_ip("192.0.2.50"), 2).status_code == 302


def test_the_last_address_is_kept_and_written_only_when_it_changes(member):
    client = Client(REMOTE_ADDR="198.51.100.20")
    client.force_login(member)
    client.get("/latest")
    member.refresh_from_db()
    assert member.last_ip == "198.51.100.20"

    with CaptureQueriesContext(connection) as queries:
        client.get("/latest")  # same address, seen a moment ago: no write
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "accounts_user" in q["sql"]]

    moved = Client(REMOTE_ADDR="198.51.100.21")
    moved.force_login(member)
    moved.post("/preview", {"raw": "hello"})
    member.refresh_from_db()
    assert member.last_ip == "198.51.100.21"


def test_the_counter_allows_the_limit_then_says_when_to_retry(db):
    now = 1_000_000.0  # a window of 60 s starts here (1_000_000 / 60 is not whole: 40 s into it)
    verdicts = [rate_limits.hit("t:key", limit=3, window=60, now=now) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 60 - (now % 60)
    # The next window starts afresh.
    assert rate_limits.hit("t:key", limit=3, window=60, now=now + 60).allowed


def test_check_action_limits_per_person_and_per_address(member, other_member):
    with override_settings(AGORA_RATE_LIMITS_ENABLED=True, AGORA_RATE_LIMITS={"flag": "2/h/user,3/h/ip"}):
        rate_limits.check_flag(member, "192.0.2.1")
        rate_limits.check_flag(member, "192.0.2.1")
        with pytest.raises(rate_limits.RateLimited) as refused:
            rate_limits.check_flag(member, "192.0.2.2")  # per person, from anywhere
        assert refused.value.retry_after > 0
        assert "Please wait" in refused.value.messages[0]
        rate_limits.check_flag(other_member, "192.0.2.1")  # the address's third
        with pytest.raises(rate_limits.RateLimited):
            rate_limits.check_flag(other_member, "192.0.2.1")  # the address's fourth
        rate_limits.check_flag(other_member, "192.0.2.3")


def test_an_ipv6_address_counts_for_its_whole_64(member, other_member):
    assert rate_limits.address_block("2001:db8:1:2:aaaa::1") == rate_limits.address_block("2001:db8:1:2:bbbb::9")
    assert rate_limits.address_block("192.0.2.1") == "192.0.2.1"
    with override_settings(AGORA_RATE_LIMITS_ENABLED=True, AGORA_RATE_LIMITS={"flag": "1/h/ip"}):
        rate_limits.check_flag(member, "2001:db8:1:2:aaaa::1")
        with pytest.raises(rate_limits.RateLimited):
            rate_limits.check_flag(other_member, "2001:db8:1:2:ffff::2")
        rate_limits.check_flag(other_member, "2001:db8:1:3::2")
