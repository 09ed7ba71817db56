"""A person who has just signed up is found by name at once, without waiting for a reindex."""

import pytest

from agora.accounts.models import User

from .conftest import found

pytestmark = pytest.mark.django_db


def test_a_new_member_is_found_by_name_as_soon_as_they_sign_up(client, committed):
    data = {"username": "Wairimu Kiprotich", "email": "wairimu@example.org", "accept_code_of_conduct": "on"}
    data["password1"] = data["password2"] = "a long and unusual passphrase"
    with committed():
        client.post("/accounts/signup/", data)
    user = User.objects.get(email="wairimu@example.org")
    assert ("user", user.pk) in found(None, "Kiprotich")
