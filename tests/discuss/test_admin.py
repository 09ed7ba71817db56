"""Staff manage categories (with their group grants) and tags in the Django admin."""

import pytest

from agora.discuss.models import Category, CategoryGrant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_open_every_discuss_admin_page(staff_client, topic):
    post = topic.posts.first()
    for url in [
        "/admin/discuss/category/",
        "/admin/discuss/category/add/",
        f"/admin/discuss/category/{topic.category_id}/change/",
        "/admin/discuss/tag/",
        "/admin/discuss/tag/add/",
        "/admin/discuss/topic/",
        f"/admin/discuss/topic/{topic.pk}/change/",
        "/admin/discuss/post/",
        f"/admin/discuss/post/{post.pk}/change/",
        "/admin/agora_groups/group/",
    ]:
        assert staff_client.get(url).status_code == 200, url


def test_staff_create_a_private_category_with_a_grant(staff_client):
    staff_group = factories.group("staff")
    response = staff_client.post(
        "/admin/discuss/category/add/",
        {
            "name": "Board room",
            "slug": "board-room",
            "description": "",
            "color": "red",
            "position": 3,
            "grants-TOTAL_FORMS": 1,
            "grants-INITIAL_FORMS": 0,
            "grants-0-group": staff_group.pk,
            "grants-0-level": CategoryGrant.Level.CREATE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category = Category.objects.get(slug="board-room")
    assert list(category.grants.values_list("group__name", "level")) == [("staff", 3)]


def test_a_subcategory_of_a_subcategory_is_refused(staff_client, public_category):
    child = factories.make_category("Child", parent=public_category)
    response = staff_client.post(
        "/admin/discuss/category/add/",
        {
            "name": "Grandchild",
            "slug": "grandchild",
            "color": "blue",
            "position": 0,
            "parent": child.pk,
            "grants-TOTAL_FORMS": 0,
            "grants-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Category.objects.filter(slug="grandchild").exists()


def test_members_and_moderators_cannot_open_the_admin(client, member, moderator):
    for user in (member, moderator):
        client.force_login(user)
        response = client.get("/admin/discuss/category/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
