"""Security headers and CSRF, from day one."""

import re

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_strict_content_security_policy(client, topic):
    for url in ["/", "/latest", topic.get_absolute_url(), "/accounts/login/", "/u/Member"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_pages_hold_no_inline_script_or_style(member_client, topic, other_member):
    factories.make_reply(other_member, topic, raw="Look **here**")
    for url in ["/", topic.get_absolute_url(), "/new-topic", f"/t/{topic.pk}/reply?quote=1", "/my/preferences"]:
        html = member_client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_htmx_requests_carry_the_csrf_token_in_a_header(member_client, topic):
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]+\"\}'", html)


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(member, topic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    before = topic.posts.count()
    response = client.post(f"/t/{topic.pk}/reply", {"raw": "A forged reply"})
    assert response.status_code == 403
    response = client.post(f"/t/{topic.pk}/reply", {"raw": "A forged reply"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert topic.posts.count() == before


def test_a_post_with_the_token_from_the_page_header_works(member, topic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.get(topic.get_absolute_url()).content.decode()
    token = re.search(r"\"X-CSRFToken\": \"([A-Za-z0-9]+)\"", html)[1]
    response = client.post(
        f"/t/{topic.pk}/reply", {"raw": "A reply through htmx"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert topic.posts.filter(raw="A reply through htmx").exists()
