"""/my/api-keys: a member lists, makes and revokes their keys; the secret shows once; nobody else's keys."""

import re

from agora.api.models import ApiKey
from agora.api.queries import api_key_for
from agora.api.services import api_key_create


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/my/api-keys")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_making_a_key_shows_its_secret_once(client_for, member):
    client = client_for(member)
    response = client.post("/my/api-keys", {"name": "My wiki gadget", "scope": "write"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="api-key" dir="ltr">([^<]+)</code>', response.content.decode()).group(1)
    key = api_key_for(secret)
    assert key is not None and key.user == member and key.scope == "write" and key.name == "My wiki gadget"
    again = client.get("/my/api-keys").content.decode()
    assert secret not in again and key.prefix in again and "My wiki gadget" in again


def test_the_list_shows_prefix_scope_created_and_last_used(client_for, member):
    key, secret = api_key_create(user=member, name="reader", scope="read")
    client_for(None).get("/api/v1/topics", HTTP_AUTHORIZATION=f"Bearer {secret}")
    html = client_for(member).get("/my/api-keys").content.decode()
    row = re.search(r'<tr class="api-key-row">.*?</tr>', html, re.S).group(0)
    assert key.prefix in row and "Read" in row and "never" not in row


def test_an_invalid_form_changes_nothing(client_for, member):
    response = client_for(member).post("/my/api-keys", {"name": "", "scope": "admin"})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_revoking_a_key_stops_it(client_for, member):
    key, secret = api_key_create(user=member, name="old", scope="write")
    client = client_for(member)
    response = client.post(f"/my/api-keys/{key.pk}/revoke")
    assert response.status_code == 302
    assert api_key_for(secret) is None
    assert client_for(None).get("/api/v1/topics", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert "Revoked" in client.get("/my/api-keys").content.decode()


def test_an_outsider_cannot_revoke_or_see_anothers_key(client_for, member, outsider):
    key, secret = api_key_create(user=member, name="mine", scope="write")
    client = client_for(outsider)
    assert client.post(f"/my/api-keys/{key.pk}/revoke").status_code == 404
    assert api_key_for(secret) is not None
    assert "mine" not in client.get("/my/api-keys").content.decode()


def test_revoking_needs_a_post(client_for, member):
    key, _secret = api_key_create(user=member, name="mine")
    assert client_for(member).get(f"/my/api-keys/{key.pk}/revoke").status_code == 405


def test_the_preferences_link_to_the_keys(client_for, member):
    assert 'href="/my/api-keys"' in client_for(member).get("/my/preferences").content.decode()
