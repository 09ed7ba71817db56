"""The topic page: paging, jumping to post n, slug redirects, the unread divider, forged ids, and who may see it."""

import pytest
from django.test import override_settings

from agora.discuss import services
from agora.discuss.models import Topic, TopicUser
from tests import factories

pytestmark = pytest.mark.django_db


def numbers(response):
    return [p.number for p in response.context["posts"]]


@pytest.fixture
def long_topic(topic, other_member):
    for n in range(2, 8):
        factories.make_reply(other_member, topic, raw=f"Reply number {n}")
    return topic


def test_it_shows_a_topic_with_its_posts(client, topic):
    page = client.get(topic.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "How do I upload a file?" in html and "Where is the button?" in html
    assert f'<link rel="canonical" href="/t/{topic.slug}/{topic.pk}">' in html
    assert 'lang="en" dir="auto"' in html


def test_it_counts_a_view_once_per_visitor(client, topic, member):
    client.get(topic.get_absolute_url())
    client.get(topic.get_absolute_url())  # a reload is not a second view
    assert Topic.objects.get(pk=topic.pk).views == 1
    client.force_login(member)
    client.get(topic.get_absolute_url())
    assert Topic.objects.get(pk=topic.pk).views == 2


@override_settings(AGORA_POSTS_PER_PAGE=3)
def test_it_pages_posts(client, long_topic):
    url = long_topic.get_absolute_url()
    assert numbers(client.get(url)) == [1, 2, 3]
    assert numbers(client.get(url + "?page=3")) == [7]
    assert client.get(url + "?page=4").status_code == 404
    assert f'<link rel="canonical" href="{url}?page=2">'.encode() in client.get(url + "?page=2").content


@override_settings(AGORA_POSTS_PER_PAGE=3)
def test_post_n_urls_jump_to_the_right_page_and_anchor(client, long_topic):
    url = long_topic.get_absolute_url()
    assert client.get(url + "/2")["Location"] == url + "#post-2"
    assert client.get(url + "/5")["Location"] == url + "?page=2#post-5"
    assert client.get(url + "/7")["Location"] == url + "?page=3#post-7"
    assert client.get(f"/t/wrong-slug/{long_topic.pk}/7")["Location"] == url + "?page=3#post-7"
    assert client.get(f"/t/{long_topic.pk}")["Location"] == url
    assert client.get(f"/t/-/{long_topic.pk}/4")["Location"] == url + "?page=2#post-4"
    page = client.get(url + "?page=2")
    assert b'id="post-5"' in page.content


def test_a_wrong_slug_redirects_permanently_to_the_canonical_one(client, topic):
    response = client.get(f"/t/old-title/{topic.pk}?page=1")
    assert response.status_code == 301
    assert response["Location"] == f"/t/{topic.slug}/{topic.pk}?page=1"


def test_the_unread_divider_marks_the_first_new_post(client_for, topic, member, other_member):
    reader = client_for(member)
    reader.get(topic.get_absolute_url())
    factories.make_reply(other_member, topic, raw="News since your last visit")
    html = reader.get(topic.get_absolute_url()).content.decode()
    assert html.index('id="unread"') < html.index('id="post-2"')
    assert html.index('id="post-1"') < html.index('id="unread"')
    assert TopicUser.objects.get(topic=topic, user=member).last_read_number == 2
    assert 'id="unread"' not in reader.get(topic.get_absolute_url()).content.decode()
    assert 'id="unread"' not in client_for(None).get(topic.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/t/some-slug/987654",
        "/t/987654",
        "/t/-/987654/1",
        "/t/987654/reply",
        "/p/987654/edit",
        "/p/987654/delete",
        "/p/987654/bookmark",
        "/p/987654/revisions",
    ],
)
def test_forged_ids_are_404(client_for, member, url):
    assert client_for(member).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/p/987654/like", "/p/987654/restore", "/p/987654/solve", "/t/987654/status"])
def test_forged_ids_are_404_for_posts_too(client_for, member, url):
    assert client_for(member).post(url).status_code == 404


def test_a_forged_page_number_is_404_never_500(client, topic):
    for page in ("99", "-3", "x", "0", "1e9", "9" * 30):
        assert client.get(topic.get_absolute_url() + f"?page={page}").status_code == 404, page
    assert client.get(topic.get_absolute_url() + "?page=1").status_code == 200


def test_moderators_close_pin_archive_and_unlist_topics(client_for, topic, moderator, member):
    mod = client_for(moderator)
    for status in ("closed", "archived", "unlisted", "pinned_globally"):
        assert mod.post(f"/t/{topic.pk}/status", {"status": status, "enabled": "1"}).status_code == 302
    topic.refresh_from_db()
    assert topic.closed and topic.archived and topic.unlisted and topic.pinned_globally and topic.pinned_at
    mod.post(f"/t/{topic.pk}/status", {"status": "pinned", "enabled": "0"})
    topic.refresh_from_db()
    assert not topic.pinned_globally and topic.pinned_at is None
    response = mod.post(f"/t/{topic.pk}/status", {"status": "deleted_at", "enabled": "1"}, follow=True)
    assert b"Unknown status." in response.content
    assert client_for(member).post(f"/t/{topic.pk}/status", {"status": "closed", "enabled": "0"}).status_code == 403
    assert Topic.objects.get(pk=topic.pk).closed
    assert b"Moderate" in mod.get(topic.get_absolute_url()).content
    assert b'class="mod-tools"' not in client_for(member).get(topic.get_absolute_url()).content


# --- every view: an outsider gets 404 on private content, the right person gets the page ---


@pytest.fixture
def private_topic(staff, staff_category):
    topic = factories.make_topic(staff, staff_category, title="Staff plans", raw="Secret plans")
    factories.make_reply(staff, topic, raw="More secret plans")
    return topic


def _private_urls(topic):
    _first, second = topic.posts.order_by("number")
    return {
        "get": [
            topic.get_absolute_url(),
            topic.get_absolute_url() + "/2",
            f"/t/{topic.pk}",
            f"/t/-/{topic.pk}/2",
            f"/t/{topic.pk}/reply",
            f"/t/{topic.pk}/reply?quote=2",
            f"/p/{second.pk}/edit",
            f"/p/{second.pk}/delete",
            f"/p/{second.pk}/bookmark",
            f"/p/{second.pk}/revisions",
            f"/c/{topic.category.slug}",
        ],
        "post": [
            (f"/t/{topic.pk}/reply", {"raw": "Let me in"}),
            (f"/t/{topic.pk}/status", {"status": "closed", "enabled": "1"}),
            (f"/p/{second.pk}/like", {}),
            (f"/p/{second.pk}/bookmark", {"note": "x"}),
            (f"/p/{second.pk}/edit", {"raw": "Defaced"}),
            (f"/p/{second.pk}/delete", {}),
            (f"/p/{second.pk}/restore", {}),
            (f"/p/{second.pk}/solve", {}),
        ],
    }


def test_every_view_answers_404_to_outsiders_on_private_content(client_for, outsider, private_topic):
    client = client_for(outsider)
    urls = _private_urls(private_topic)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    private_topic.refresh_from_db()
    assert (private_topic.posts_count, private_topic.like_count, private_topic.closed) == (2, 0, False)
    assert all(p.raw.startswith(("Secret", "More")) and not p.deleted_at for p in private_topic.posts.all())


def test_every_view_works_for_staff_on_private_content(client_for, staff, private_topic):
    client = client_for(staff)
    for url in _private_urls(private_topic)["get"]:
        assert client.get(url).status_code in {200, 301, 302}, url
    second = private_topic.posts.get(number=2)
    assert client.post(f"/p/{second.pk}/bookmark", {"note": "mine"}).status_code == 302
    assert client.post(f"/t/{private_topic.pk}/reply", {"raw": "Staff reply"}).status_code == 302
    assert client.post(f"/p/{second.pk}/edit", {"raw": "Edited by staff"}).status_code == 302
    assert client.post(f"/p/{second.pk}/delete").status_code == 302
    assert client.post(f"/p/{second.pk}/restore").status_code == 302
    assert client.post(f"/t/{private_topic.pk}/status", {"status": "closed", "enabled": "1"}).status_code == 302
    assert Topic.objects.get(pk=private_topic.pk).closed


def test_group_members_get_what_their_group_was_granted(client_for, member, outsider, staff):
    from agora.groups.models import Group, Membership

    group = Group.objects.create(name="editors")
    Membership.objects.create(group=group, user=member)
    room = factories.make_category("Editors room", grants={"editors": 3})
    topic = factories.make_topic(member, room, title="Editors plan")
    assert client_for(member).get(topic.get_absolute_url()).status_code == 200
    assert client_for(member).post(f"/t/{topic.pk}/reply", {"raw": "Agreed"}).status_code == 302
    assert client_for(outsider).get(topic.get_absolute_url()).status_code == 404
    services.post_delete(user=staff, post=topic.posts.get(number=1))
    assert client_for(member).get(topic.get_absolute_url()).status_code == 404
