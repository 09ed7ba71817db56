"""Profile pages /u/<username>: addresses in any script, one canonical URL, activity the viewer may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.discuss import services
from agora.discuss.models import CategoryGrant, Post
from tests import factories


@pytest.fixture
def mod_room(db):
    """Private: moderators (and so staff) see it; members and outsiders do not."""
    return factories.make_category("Moderators room", grants={"moderators": CategoryGrant.Level.CREATE})


@pytest.fixture
def active_moderator(moderator, member, public_category, mod_room, staff):
    """A moderator with public and private activity: topics, replies and likes given."""
    public = factories.make_topic(moderator, public_category, title="Public topic by the moderator")
    member_topic = factories.make_topic(member, public_category, title="A member asks in public")
    factories.make_reply(moderator, member_topic, raw="PUBLIC-REPLY from the moderator")
    services.post_like_toggle(user=moderator, post=member_topic.posts.get(number=1))

    secret = factories.make_topic(moderator, mod_room, title="SECRET-TOPIC about a flag", raw="SECRET-OPENING")
    staff_topic = factories.make_topic(staff, mod_room, title="SECRET-STAFF-TOPIC", raw="SECRET-LIKED post")
    factories.make_reply(moderator, staff_topic, raw="SECRET-REPLY in the mod room")
    services.post_like_toggle(user=moderator, post=staff_topic.posts.get(number=1))
    assert public and secret
    return moderator


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "member"])
def test_private_activity_does_not_show_to_those_who_may_not_see_it(client, active_moderator, request, viewer):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    topics = page(client, "/u/Moderator")
    replies = page(client, "/u/Moderator/replies")
    likes = page(client, "/u/Moderator/likes")
    everything = topics + replies + likes
    assert "Public topic by the moderator" in topics
    assert "PUBLIC-REPLY" in replies
    assert "A member asks in public" in likes
    assert "SECRET" not in everything
    assert "Moderators room" not in everything
    assert 'Topics <span class="count">1</span>' in topics
    assert 'Replies <span class="count">1</span>' in topics


def test_private_activity_shows_to_staff(client, active_moderator, staff):
    client.force_login(staff)
    topics = page(client, "/u/Moderator")
    replies = page(client, "/u/Moderator/replies")
    likes = page(client, "/u/Moderator/likes")
    assert "SECRET-TOPIC about a flag" in topics and "Public topic by the moderator" in topics
    assert "SECRET-REPLY" in replies and "PUBLIC-REPLY" in replies
    assert "SECRET-STAFF-TOPIC" in likes and "A member asks in public" in likes
    assert 'Topics <span class="count">2</span>' in topics
    assert 'Replies <span class="count">2</span>' in topics


def test_private_activity_shows_to_those_granted_the_category(client, active_moderator):
    client.force_login(active_moderator)
    assert "SECRET-TOPIC about a flag" in page(client, "/u/Moderator")


def test_deleted_posts_leave_the_activity(client, active_moderator, member):
    reply = Post.objects.get(raw="PUBLIC-REPLY from the moderator")
    services.post_delete(user=active_moderator, post=reply)
    assert "PUBLIC-REPLY" not in page(client, "/u/Moderator/replies")


def test_the_profile_shows_the_person(client, db):
    person = factories.UserFactory(
        username="Amara Nwosu", display_name="Amara N.", location="Lagos", languages="yo, en", timezone="Africa/Lagos"
    )
    person.bio = "I edit **Yoruba** Wikipedia."
    person.render_bio()
    person.save()
    html = page(client, person.get_absolute_url())
    assert '<h1 dir="auto">Amara N.</h1>' in html
    assert "<bdi>@Amara Nwosu</bdi>" in html  # the handle reads in its own direction, @ first, in any page
    assert "Lagos" in html and "Africa/Lagos" in html and "yo, en" in html
    assert "<strong>Yoruba</strong>" in html
    assert 'class="avatar letter large' in html and ">A</span>" in html  # the generated letter avatar


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("Jane Doe", "/u/Jane_Doe"),
        ("Дмитрий Иванов", "/u/%D0%94%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9_%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2"),
        ("Anna (WMDE)", "/u/Anna_%28WMDE%29"),
        ("王伟", "/u/%E7%8E%8B%E4%BC%9F"),
        ("O. Henry", "/u/O._Henry"),
        ("محمد علي", "/u/%D9%85%D8%AD%D9%85%D8%AF_%D8%B9%D9%84%D9%8A"),
    ],
)
def test_profile_urls_encode_the_name(client, db, username, url):
    person = factories.UserFactory(username=username)
    assert person.get_absolute_url() == url
    assert page(client, url)
    assert f'href="{url}/replies"' in page(client, url)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("/u/Jane%20Doe", "/u/Jane_Doe"),
        ("/u/jane_doe", "/u/Jane_Doe"),
        ("/u/JANE_DOE", "/u/Jane_Doe"),
        ("/u/%EF%BC%AAane_Doe", "/u/Jane_Doe"),  # fullwidth J
        ("/u/Jane__Doe", "/u/Jane_Doe"),
        ("/u/jane_doe/replies", "/u/Jane_Doe/replies"),
        ("/u/jane_doe/likes?page=1", "/u/Jane_Doe/likes?page=1"),
        ("/u/Jose%CC%81", "/u/Jos%C3%A9"),  # decomposed é
    ],
)
def test_every_spelling_redirects_to_the_canonical_url(client, db, variant, canonical):
    factories.UserFactory(username="Jane Doe")
    factories.UserFactory(username="José")
    response = client.get(variant)
    assert response.status_code == 301
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/u/Nobody",
        "/u/Retired",
        "/u/Retired/replies",
        "/u/Member/nonsense",
        "/u/Member?page=999",
        "/u/Member/likes?page=0",
    ],
)
def test_unknown_and_inactive_users_and_bad_tabs_are_404(client, member, url):
    factories.UserFactory(username="Retired", is_active=False)
    assert client.get(url).status_code == 404


def test_a_lookalike_address_is_not_the_person(client, member):
    assert client.get("/u/M\u0435mber").status_code == 404  # Cyrillic e: a different name


def test_the_profile_runs_a_fixed_number_of_queries(client, member, public_category, other_member):
    def queries_for(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = factories.make_topic(member, public_category, title="The first topic of many")
    factories.make_reply(member, first)
    services.post_like_toggle(user=member, post=factories.make_reply(other_member, first))
    small = {tab: queries_for(f"/u/Member{tab}") for tab in ["", "/replies", "/likes"]}
    for n in range(12):
        topic = factories.make_topic(
            member, public_category, title=f"Another topic number {n}", tags=[factories.make_tag(f"tag{n}").name]
        )
        factories.make_reply(member, topic)
        services.post_like_toggle(user=member, post=factories.make_reply(other_member, topic))
    large = {tab: queries_for(f"/u/Member{tab}") for tab in ["", "/replies", "/likes"]}
    assert large == small
    assert max(large.values()) <= 8, large
