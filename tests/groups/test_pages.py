"""The group pages: who sees which, and what each shows."""

import re

import pytest

from agora.discuss.models import CategoryGrant
from agora.groups.models import Group
from tests import factories
from tests.groups.conftest import make_group

pytestmark = pytest.mark.django_db

OWNER_PAGES = ["/g/{}/requests", "/g/{}/invitations", "/g/{}/edit"]


# --- /g ---------------------------------------------------------------------------------------


def test_the_list_shows_visible_groups_with_badges_and_counts(client_for, member, club, circle, cell):
    page = client_for(member).get("/g")
    assert page.status_code == 200
    rows = {row.group.name: row for row in page.context["rows"]}
    assert {"club", "circle", "cell"} <= set(rows)
    assert rows["club"].is_member and not rows["club"].is_owner
    assert rows["club"].member_count == 2
    # The circle shows its members to its members only: no count for the member, who is not in it.
    assert rows["circle"].member_count is None
    assert b"The Club" in page.content and b"badge member" in page.content


def test_the_list_leaves_out_hidden_groups_for_outsiders_and_visitors(client_for, outsider, club, cell):
    for client in (client_for(outsider), client_for(None)):
        page = client.get("/g")
        names = {row.group.name for row in page.context["rows"]}
        assert "club" in names and "cell" not in names
        assert b"cell" not in page.content


def test_the_list_shows_signed_in_only_groups_to_signed_in_people_only(client_for, outsider, owner):
    make_group("insiders-only", owners=[owner], visibility=Group.Visibility.MEMBERS)
    assert b"insiders-only" in client_for(outsider).get("/g").content
    assert b"insiders-only" not in client_for(None).get("/g").content


def test_the_owner_sees_an_owner_badge(owner_client, club):
    page = owner_client.get("/g")
    assert b"badge owner" in page.content


def test_staff_see_a_new_group_button_and_others_do_not(client_for, staff, member):
    assert b'href="/g/new"' in client_for(staff).get("/g").content
    assert b'href="/g/new"' not in client_for(member).get("/g").content


# --- /g/<name> --------------------------------------------------------------------------------


def _without_tokens(content: bytes) -> bytes:
    """The page with its CSRF tokens (masked anew on every page) taken out, and the address asked for
    (the language switcher's links come back to it) made one."""
    content = re.sub(rb'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb"next=[^\"&]*", b"next=", content)


def test_it_answers_404_for_a_hidden_group_to_outsiders(client_for, outsider, cell):
    client = client_for(outsider)
    hidden = client.get("/g/cell")
    missing = client.get("/g/no-such-group")
    assert hidden.status_code == missing.status_code == 404
    # The language switcher's links lead back to the address asked for, which the asker knows already.
    assert _without_tokens(hidden.content).replace(b"?next=/g/cell", b"?next=PATH") == _without_tokens(
        missing.content
    ).replace(b"?next=/g/no-such-group", b"?next=PATH")


def test_it_answers_404_for_a_hidden_group_to_visitors(client_for, cell):
    assert client_for(None).get("/g/cell").status_code == 404


def test_members_of_a_hidden_group_see_its_page(client_for, member, cell):
    page = client_for(member).get("/g/cell")
    assert page.status_code == 200
    assert b"Leave this group" in page.content


def test_the_group_page_shows_owners_members_and_a_join_button(client_for, outsider, owner, club):
    page = client_for(outsider).get("/g/club")
    assert page.status_code == 200
    assert [m.user for m in page.context["owners"]] == [owner]
    assert len(page.context["members"]) == 2
    assert b'action="/g/club/join"' in page.content


def test_visitors_get_a_log_in_link_instead_of_a_button(client_for, club):
    page = client_for(None).get("/g/club")
    assert b"/accounts/login/?next=/g/club" in page.content
    assert b"csrfmiddlewaretoken" not in page.content


def test_members_are_not_previewed_to_who_may_not_see_them(client_for, outsider, owner, circle):
    page = client_for(outsider).get("/g/circle")
    assert page.status_code == 200
    assert page.context["members"] == []
    assert [m.user for m in page.context["owners"]] == [owner]
    assert b'action="/g/circle/request"' in page.content


def test_the_page_shows_the_groups_categories_and_topics_the_viewer_may_see(client_for, owner, member, outsider, cell):
    public = factories.make_category("Cell square", group=cell)
    private = factories.make_category("Cell room", grants={"cell": CategoryGrant.Level.CREATE}, group=cell)
    factories.make_topic(owner, public, title="Open meeting notes")
    factories.make_topic(owner, private, title="Secret plans for Tuesday")
    # The hidden cell is seen by members only; make a public club own the public category too.
    club = make_group("club2", owners=[owner], joining=Group.Joining.OPEN)
    factories.make_category("Club lounge", group=club)
    inside = client_for(member).get("/g/cell")
    assert {c.name for c in inside.context["categories"]} == {"Cell square", "Cell room"}
    assert b"Secret plans for Tuesday" in inside.content and b"Open meeting notes" in inside.content
    make_group_public = Group.objects.filter(pk=cell.pk)
    make_group_public.update(visibility=Group.Visibility.PUBLIC)
    outside = client_for(outsider).get("/g/cell")
    assert {c.name for c in outside.context["categories"]} == {"Cell square"}
    assert b"Secret plans" not in outside.content and b"Cell room" not in outside.content


def test_the_welcome_topic_is_pinned_for_who_may_see_it(client_for, owner, member, outsider, club):
    room = factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE}, group=club)
    topic = factories.make_topic(owner, room, title="Read me first, newcomers")
    Group.objects.filter(pk=club.pk).update(welcome_topic=topic)
    assert client_for(member).get("/g/club").context["welcome"] == topic
    outside = client_for(outsider).get("/g/club")
    assert outside.context["welcome"] is None
    assert b"Read me first" not in outside.content


def test_owners_see_links_to_manage(owner_client, client_for, member, club):
    page = owner_client.get("/g/club")
    for link in (b'href="/g/club/requests"', b'href="/g/club/invitations"', b'href="/g/club/edit"'):
        assert link in page.content
    assert b'href="/g/club/edit"' not in client_for(member).get("/g/club").content


def test_staff_see_automatic_groups_and_others_do_not(client_for, staff, member):
    assert client_for(staff).get("/g/trust_level_1").status_code == 200
    assert client_for(member).get("/g/trust_level_1").status_code == 404


# --- /g/<name>/members ------------------------------------------------------------------------


def test_the_members_page_answers_404_for_a_hidden_group_to_outsiders(client_for, outsider, cell):
    assert client_for(outsider).get("/g/cell/members").status_code == 404
    assert client_for(None).get("/g/cell/members").status_code == 404


def test_the_members_page_answers_403_with_a_reason_to_who_sees_the_group_only(client_for, outsider, circle):
    page = client_for(outsider).get("/g/circle/members")
    assert page.status_code == 403
    assert b"members of this group are shown only to some people" in page.content


def test_the_members_page_lists_members_with_badges(client_for, outsider, owner, member, club):
    page = client_for(outsider).get("/g/club/members")
    assert page.status_code == 200
    assert [m.user for m in page.context["page"].object_list] == [owner, member]
    assert b"badge owner" in page.content
    assert b"/remove" not in page.content  # no owner tools for outsiders


def test_owners_get_forms_on_the_members_page(owner_client, club):
    page = owner_client.get("/g/club/members")
    assert b'action="/g/club/members/add"' in page.content
    assert b"/remove" in page.content and b"/role" in page.content


def test_the_members_page_is_paginated(client_for, outsider, owner, settings):
    people = [factories.UserFactory(username=f"person{i:03}") for i in range(55)]
    make_group("crowd", owners=[owner], members=people)
    client = client_for(outsider)
    first = client.get("/g/crowd/members")
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next
    second = client.get("/g/crowd/members?page=2")
    assert len(second.context["page"].object_list) == 6
    assert client.get("/g/crowd/members?page=9").status_code == 404


# --- owner pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", OWNER_PAGES)
def test_owner_pages_answer_404_for_a_hidden_group_to_outsiders(client_for, outsider, cell, url):
    assert client_for(outsider).get(url.format("cell")).status_code == 404


@pytest.mark.parametrize("url", OWNER_PAGES)
def test_owner_pages_answer_403_to_members_who_are_not_owners(client_for, member, club, url):
    page = client_for(member).get(url.format("club"))
    assert page.status_code == 403
    assert b"Only the group&#x27;s owners may do that." in page.content


@pytest.mark.parametrize("url", OWNER_PAGES)
def test_owner_pages_work_for_owners_and_staff(client_for, owner, staff, cell, url):
    for user in (owner, staff):
        assert client_for(user).get(url.format("cell")).status_code == 200


def test_the_requests_page_lists_pending_requests_with_their_message(owner_client, outsider, circle):
    from agora.groups import services

    services.join_request_create(user=outsider, group=circle, message="I run the bakery stall.")
    page = owner_client.get("/g/circle/requests")
    assert b"I run the bakery stall." in page.content
    assert b"/accept" in page.content and b"/decline" in page.content


# --- /g/new and /g/<name>/edit ----------------------------------------------------------------


def test_only_staff_may_open_the_new_group_page(client_for, staff, member):
    assert client_for(member).get("/g/new").status_code == 404
    assert client_for(None).get("/g/new").status_code == 302
    assert client_for(staff).get("/g/new").status_code == 200


def test_staff_make_a_group_and_become_its_owner(client_for, staff):
    response = client_for(staff).post(
        "/g/new",
        {
            "name": "gardeners",
            "full_name": "Community gardeners",
            "owner": "",
            "description": "We grow *tomatoes*.",
            "visibility": "public",
            "members_visibility": "public",
            "joining": "ask",
            "mentionable": "group",
            "messageable": "members",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/g/gardeners"
    group = Group.objects.get(name="gardeners")
    assert group.member_count == 1
    assert group.memberships.get().user == staff and group.memberships.get().is_owner
    assert "<em>tomatoes</em>" in group.description_html


def test_a_new_group_can_name_another_first_owner(client_for, staff, member):
    data = {
        "name": "readers",
        "owner": "member",
        "visibility": "public",
        "members_visibility": "public",
        "joining": "open",
        "mentionable": "group",
        "messageable": "group",
    }
    assert client_for(staff).post("/g/new", data).status_code == 302
    assert Group.objects.get(name="readers").memberships.get().user == member


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("club", b"There is already a group called"),
        ("CLUB", b"There is already a group called"),
        ("new", b"is the address of a page"),
        ("two words", b"A group name is one word"),
        ("Member", b"Someone already uses the name"),
    ],
)
def test_a_new_group_needs_a_free_name(client_for, staff, member, club, name, message):
    data = {
        "name": name,
        "visibility": "public",
        "members_visibility": "public",
        "joining": "open",
        "mentionable": "group",
        "messageable": "group",
    }
    before = Group.objects.count()
    response = client_for(staff).post("/g/new", data)
    assert response.status_code == 400
    assert message in response.content
    assert Group.objects.count() == before


def test_a_new_group_with_an_unknown_owner_is_refused(client_for, staff):
    data = {
        "name": "lost",
        "owner": "Nobody at all",
        "visibility": "public",
        "members_visibility": "public",
        "joining": "open",
        "mentionable": "group",
        "messageable": "group",
    }
    response = client_for(staff).post("/g/new", data)
    assert response.status_code == 400 and "Nobody here is called" in response.content.decode()
    assert not Group.objects.filter(name="lost").exists()


def _settings(**changes):
    data = {
        "full_name": "The Club",
        "description": "",
        "visibility": "public",
        "members_visibility": "public",
        "joining": "open",
        "mentionable": "group",
        "messageable": "group",
        "welcome_topic_ref": "",
    }
    data.update(changes)
    return data


def test_owners_edit_the_settings_and_the_description_is_rendered(owner_client, club):
    response = owner_client.post("/g/club/edit", _settings(full_name="Club of clubs", description="**Bold** words"))
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.full_name == "Club of clubs"
    assert "<strong>Bold</strong>" in club.description_html


def test_owners_pin_a_welcome_topic_by_its_address(owner_client, owner, club):
    room = factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE}, group=club)
    topic = factories.make_topic(owner, room, title="Welcome, new members")
    response = owner_client.post("/g/club/edit", _settings(welcome_topic_ref=f"https://example.org/t/x/{topic.pk}/3"))
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.welcome_topic == topic


def test_a_welcome_topic_outside_the_groups_categories_is_refused_and_nothing_changes(
    owner_client, owner, club, public_category
):
    topic = factories.make_topic(owner, public_category, title="Somewhere else entirely")
    response = owner_client.post("/g/club/edit", _settings(full_name="Changed", welcome_topic_ref=str(topic.pk)))
    assert response.status_code == 400
    assert b"one of the group&#x27;s categories" in response.content
    club.refresh_from_db()
    assert club.full_name == "The Club" and club.welcome_topic is None


def test_a_welcome_topic_the_owner_cannot_see_is_refused(owner_client, club, staff, staff_category):
    topic = factories.make_topic(staff, staff_category, title="Staff only business")
    response = owner_client.post("/g/club/edit", _settings(welcome_topic_ref=str(topic.pk)))
    assert response.status_code == 400
    assert b"no topic with that number" in response.content


def test_an_avatar_upload_is_processed(owner_client, club):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.accounts.images import photo_with_metadata

    upload = SimpleUploadedFile("me.jpg", photo_with_metadata(), content_type="image/jpeg")
    response = owner_client.post("/g/club/edit", {**_settings(), "avatar": upload})
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.avatar.name.startswith("groups/") and club.avatar.name.endswith(".webp")
    assert owner_client.get(club.avatar.url).status_code == 200


def test_a_file_that_is_not_an_image_is_refused(owner_client, club):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("me.jpg", b"not an image at all", content_type="image/jpeg")
    response = owner_client.post("/g/club/edit", {**_settings(), "avatar": upload})
    assert response.status_code == 400
    assert b"not an image we can read" in response.content


def test_staff_may_edit_any_group_but_not_an_automatic_one(client_for, staff, cell):
    assert client_for(staff).post("/g/cell/edit", _settings(full_name="Renamed by staff")).status_code == 302
    assert client_for(staff).get("/g/members/edit").status_code == 403


# --- the stories that speak for the group -----------------------------------------------------------------


def _story_for(group, author, staff, title, *, publish=True):
    from agora.blog import services as blog

    story = blog.story_create(user=author, data={"title": title, "lead": "L.", "body": "B.", "group": group})
    if publish:
        story = blog.story_publish(user=staff, story=blog.story_submit(user=author, story=story))
    return story


def test_a_group_page_lists_its_published_stories_only(client_for, club, owner, staff):
    _story_for(club, owner, staff, "The club's spring report")
    _story_for(club, owner, staff, "A draft about the club", publish=False)
    page = client_for(None).get("/g/club").content.decode()
    assert "The club&#x27;s spring report" in page or "The club's spring report" in page
    assert "A draft about the club" not in page


def test_a_hidden_groups_stories_are_listed_on_its_page_for_its_members_only(client_for, cell, owner, member, staff):
    _story_for(cell, owner, staff, "News from the cell")
    assert "News from the cell" in client_for(member).get("/g/cell").content.decode()
    assert client_for(None).get("/g/cell").status_code == 404
