"""Edges of the permission model found in review: deep category trees, private tag names, mentions."""

import pytest
from django.core.exceptions import ValidationError

from agora import permissions
from agora.discuss.models import Category, CategoryGrant
from tests import factories

pytestmark = pytest.mark.django_db

SEE, CREATE = CategoryGrant.Level.SEE, CategoryGrant.Level.CREATE


def test_a_grandchild_of_a_hidden_category_is_hidden_whatever_its_grants(client, staff_category):
    middle = factories.make_category("Middle", grants={"everyone": SEE})
    leaf = factories.make_category("Leaf", parent=middle, grants={"everyone": SEE})
    # A tree deeper than the admin allows, written straight to the database.
    Category.objects.filter(pk=middle.pk).update(parent=staff_category)
    visible = permissions.access_for(None).levels
    assert middle.pk not in visible and leaf.pk not in visible
    assert client.get("/c/leaf").status_code == 404


def test_a_category_with_subcategories_cannot_become_a_subcategory(public_category):
    middle = factories.make_category("Middle")
    factories.make_category("Leaf", parent=middle)
    middle.parent = public_category
    with pytest.raises(ValidationError):
        middle.full_clean()


def test_the_composer_does_not_confirm_that_a_private_tag_exists(member_client, staff, staff_category, public_category):
    factories.make_tag("secret-merger")
    factories.make_topic(staff, staff_category, title="Merger talks", tags=["secret-merger"])
    factories.make_tag("open-tag")
    answers = {}
    for tag in ("secret-merger", "no-such-tag"):
        response = member_client.post(
            "/new-topic",
            {"title": "A question here", "category": public_category.pk, "tags": tag, "raw": "Body", "preview": "1"},
        )
        answers[tag] = "Unknown tag" in response.content.decode()
    assert answers == {"secret-merger": True, "no-such-tag": True}
    response = member_client.post(
        "/new-topic", {"title": "A question here", "category": public_category.pk, "tags": "open-tag", "raw": "Body"}
    )
    assert response.status_code == 302


def test_mentions_of_deactivated_people_are_not_linked(member_client):
    ghost = factories.UserFactory(username="Ghost", is_active=False)
    html = member_client.post("/preview", {"raw": f"Hello @{ghost.username}"}).content.decode()
    assert "/u/Ghost" not in html


def test_visitors_cannot_use_the_preview(client):
    response = client.post("/preview", {"raw": "hello"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
