"""The Django admin for people: staff use it to set roles and trust levels, under the sign-up username rules;
nobody else gets in."""

import pytest

from agora.accounts.models import User
from tests import factories


def change_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "languages": user.languages,
        "timezone": user.timezone,
        "location": user.location,
        "is_active": "on",
        "trust_level": str(user.trust_level),
        "_save": "Save",
    }
    for flag in ("is_staff", "is_moderator", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_open_the_admin_and_the_user_pages(staff_client, member):
    assert staff_client.get("/admin/").status_code == 200
    listing = staff_client.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert "Member" in listing.content.decode()
    assert staff_client.get(f"/admin/accounts/user/{member.pk}/change/").status_code == 200
    assert staff_client.get("/admin/accounts/user/add/").status_code == 200
    assert staff_client.get(f"/admin/accounts/user/{member.pk}/password/").status_code == 200


def test_staff_search_and_filter_people(staff_client, member, moderator, other_member):
    found = staff_client.get("/admin/accounts/user/", {"q": "Друг"}).content.decode()
    assert "Другой участник" in found and ">Member<" not in found
    moderators = staff_client.get("/admin/accounts/user/", {"is_moderator__exact": "1"}).content.decode()
    assert ">Moderator<" in moderators and ">Member<" not in moderators


def test_staff_set_roles_and_trust_level(staff_client, member):
    response = staff_client.post(
        f"/admin/accounts/user/{member.pk}/change/", change_data(member, is_moderator="on", trust_level="3")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.is_moderator and member.trust_level == 3 and not member.is_staff


def test_the_trust_level_stays_within_discourse_levels(staff_client, member):
    response = staff_client.post(f"/admin/accounts/user/{member.pk}/change/", change_data(member, trust_level="9"))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.trust_level == 1


def test_an_edited_bio_is_rendered_and_sanitised(staff_client, member):
    bio = "Moderated: **calm** <script>alert(1)</script>"
    staff_client.post(f"/admin/accounts/user/{member.pk}/change/", change_data(member, bio=bio))
    member.refresh_from_db()
    assert "<strong>calm</strong>" in member.bio_html and "<script>" not in member.bio_html


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("Другой участник", "A user with that username already exists."),
        ("другой_участник", "A user with that username already exists."),
        ("Staff", "A user with that username already exists."),
        ("\u0405taff", "looks too much like"),  # Cyrillic capital DZE for S
        ("St4ff@", "not: @"),
    ],
)
def test_renaming_follows_the_signup_rules(staff_client, member, other_member, username, message):
    response = staff_client.post(f"/admin/accounts/user/{member.pk}/change/", change_data(member, username=username))
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.username == "Member"


def test_a_user_may_be_renamed_to_another_case_of_their_own_name(staff_client, member):
    response = staff_client.post(f"/admin/accounts/user/{member.pk}/change/", change_data(member, username="MEMBER"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.username == "MEMBER"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("member", "A user with that username already exists."),
        ("M\u0435mber", "looks too much like"),
        ("Memb3r)", None),  # allowed: not a look-alike of Member (3 is not e)
    ],
)
def test_adding_a_user_follows_the_signup_rules(staff_client, member, username, message):
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "username": username,
            "email": "added@example.org",
            "usable_password": "false",
            "password1": "",
            "password2": "",
            "_save": "Save",
        },
    )
    if message:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not User.objects.filter(email="added@example.org").exists()
    else:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert User.objects.get(email="added@example.org").username == username


def test_adding_a_user_stores_the_wiki_form_of_the_name(staff_client, db):
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {"username": "Jane__Doe", "email": "", "usable_password": "false", "_save": "Save"},
    )
    assert response.status_code == 302
    assert User.objects.filter(username="Jane Doe").exists()


@pytest.mark.parametrize("who", ["member", "moderator", "outsider"])
def test_nobody_but_staff_gets_in(client, request, member, who):
    client.force_login(request.getfixturevalue(who))
    for url in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{member.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    response = client.post(f"/admin/accounts/user/{member.pk}/change/", change_data(member, is_staff="on"))
    member.refresh_from_db()
    assert not member.is_staff


def test_anonymous_visitors_are_sent_to_the_admin_login(client, member):
    response = client.get(f"/admin/accounts/user/{member.pk}/change/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_without_superuser_status_need_permissions(client, member):
    """Staff status opens the admin; changing people needs the permission as well (Django's model)."""
    clerk = factories.UserFactory(username="Clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/accounts/user/{member.pk}/change/").status_code == 403
