"""Topic lists (/latest, /top, /unanswered, /c/<slug>, /tag/<name>, /categories, /tags): order, pins, pages, unread."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from agora.discuss import services
from agora.discuss.models import Topic
from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return [t.title for t in response.context["topics"]]


def _aged(topic, days, **fields):
    when = timezone.now() - timedelta(days=days)
    Topic.objects.filter(pk=topic.pk).update(created_at=when, bumped_at=when, **fields)


@pytest.fixture
def three(member, public_category):
    a = factories.make_topic(member, public_category, title="Oldest topic")
    b = factories.make_topic(member, public_category, title="Middle topic")
    c = factories.make_topic(member, public_category, title="Newest topic")
    _aged(a, 3)
    _aged(b, 2)
    _aged(c, 1)
    return a, b, c


def test_latest_lists_topics_by_last_activity(client, three, other_member):
    a, _b, _c = three
    assert titles(client.get("/latest")) == ["Newest topic", "Middle topic", "Oldest topic"]
    factories.make_reply(other_member, a)
    assert titles(client.get("/latest")) == ["Oldest topic", "Newest topic", "Middle topic"]
    assert titles(client.get("/")) == titles(client.get("/latest"))


def test_latest_puts_globally_pinned_topics_first(client, three, staff):
    a, _b, _c = three
    services.topic_set_status(user=staff, topic=a, status="pinned_globally", enabled=True)
    page = client.get("/latest")
    assert titles(page)[0] == "Oldest topic"
    assert '<span class="badge pinned"' in page.content.decode()


def test_a_category_puts_its_pinned_topics_first(client, three, staff, public_category):
    _a, b, _c = three
    services.topic_set_status(user=staff, topic=b, status="pinned", enabled=True)
    assert titles(client.get(f"/c/{public_category.slug}"))[0] == "Middle topic"
    assert titles(client.get("/latest"))[0] == "Newest topic"  # pinned in its category only


def test_lists_leave_out_unlisted_closed_from_unanswered_and_deleted_topics(client, three, staff, member):
    a, b, c = three
    services.topic_set_status(user=staff, topic=a, status="unlisted", enabled=True)
    services.post_delete(user=member, post=b.posts.get(number=1))
    assert titles(client.get("/latest")) == ["Newest topic"]
    services.topic_set_status(user=staff, topic=c, status="closed", enabled=True)
    assert titles(client.get("/unanswered")) == []
    assert client.get(a.get_absolute_url()).status_code == 200  # unlisted: still there by link


def test_unanswered_lists_topics_without_replies(client, three, other_member):
    a, _b, _c = three
    factories.make_reply(other_member, a)
    assert titles(client.get("/unanswered")) == ["Newest topic", "Middle topic"]


def test_top_ranks_by_likes_within_the_period(client, member, other_member, moderator, public_category):
    recent = factories.make_topic(member, public_category, title="Recent and liked")
    old = factories.make_topic(member, public_category, title="Old and loved")
    quiet = factories.make_topic(member, public_category, title="Quiet one")
    for user in (other_member, moderator):
        services.post_like_toggle(user=user, post=old.posts.get(number=1))
    services.post_like_toggle(user=other_member, post=recent.posts.get(number=1))
    _aged(old, 40)
    _aged(quiet, 200)
    expected = {
        "day": ["Recent and liked"],
        "week": ["Recent and liked"],
        "month": ["Recent and liked"],
        "year": ["Old and loved", "Recent and liked", "Quiet one"],
        "all": ["Old and loved", "Recent and liked", "Quiet one"],
    }
    for period, names in expected.items():
        page = client.get(f"/top?period={period}")
        assert titles(page) == names, period
        assert page.context["period"] == period
    assert client.get("/top?period=decade").context["period"] == "month"
    assert client.get("/top").context["period"] == "month"


def test_top_keeps_the_period_in_its_page_links(client, member, public_category):
    with override_settings(AGORA_TOPICS_PER_PAGE=1):
        factories.make_topic(member, public_category, title="First of two")
        factories.make_topic(member, public_category, title="Second of two")
        assert b'href="?period=week&amp;page=2"' in client.get("/top?period=week").content


def test_a_category_lists_its_topics_and_those_of_its_visible_subcategories(client, member, public_category, staff):
    sub = factories.make_category("Sub", parent=public_category)
    hidden = factories.make_category("Hidden sub", parent=public_category, grants={"staff": 3})
    other = factories.make_category("Elsewhere")
    factories.make_topic(member, public_category, title="In the parent")
    factories.make_topic(member, sub, title="In the subcategory")
    factories.make_topic(staff, hidden, title="In the hidden subcategory")
    factories.make_topic(member, other, title="In another category")
    assert sorted(titles(client.get(f"/c/{public_category.slug}"))) == ["In the parent", "In the subcategory"]
    assert titles(client.get(f"/c/{sub.slug}")) == ["In the subcategory"]
    assert client.get(f"/c/{hidden.slug}").status_code == 404
    assert client.get("/c/no-such-category").status_code == 404


def test_a_category_page_offers_a_new_topic_only_to_those_who_may_create(client_for, member, public_category):
    assert b"New topic here" not in client_for(None).get(f"/c/{public_category.slug}").content
    assert b"New topic here" in client_for(member).get(f"/c/{public_category.slug}").content


def test_a_tag_lists_its_topics(client, member, public_category):
    factories.make_tag("commons")
    factories.make_topic(member, public_category, title="Tagged commons", tags=["commons"])
    factories.make_topic(member, public_category, title="Not tagged")
    assert titles(client.get("/tag/commons")) == ["Tagged commons"]
    assert titles(client.get("/tag/COMMONS")) == ["Tagged commons"]
    assert client.get("/tag/no-such-tag").status_code == 404
    factories.make_tag("unused")
    assert client.get("/tag/unused").status_code == 200


def test_the_tags_page_counts_the_topics_the_viewer_may_see(client_for, member, staff, public_category, staff_category):
    factories.make_tag("shared")
    factories.make_tag("staff-only")
    factories.make_tag("fresh")
    factories.make_topic(member, public_category, title="Public and shared", tags=["shared"])
    factories.make_topic(staff, staff_category, title="Private and shared", tags=["shared", "staff-only"])
    public = {t.name: t.topic_count for t in client_for(None).get("/tags").context["tags"]}
    assert public == {"shared": 1, "fresh": 0}
    private = {t.name: t.topic_count for t in client_for(staff).get("/tags").context["tags"]}
    assert private == {"shared": 2, "staff-only": 1, "fresh": 0}
    assert client_for(member).get("/tag/staff-only").status_code == 404
    assert client_for(staff).get("/tag/staff-only").status_code == 200


def test_the_categories_page_shows_visible_categories_with_their_counts(client_for, member, staff, public_category):
    factories.make_category("Sub of ask", parent=public_category)
    factories.make_category("Secret", grants={"staff": 3})
    factories.make_topic(member, public_category)
    factories.make_topic(member, public_category, title="A second topic")
    page = client_for(None).get("/categories")
    cats = {c.name: c for c in page.context["categories"]}
    assert set(cats) == {"General", "Blog", "Ask here"}  # Blog: made by a migration
    assert cats["Ask here"].topic_count == 2
    assert [s.name for s in cats["Ask here"].visible_subcategories] == ["Sub of ask"]
    assert "Secret" in {c.name for c in client_for(staff).get("/categories").context["categories"]}


@override_settings(AGORA_TOPICS_PER_PAGE=2)
def test_lists_are_paginated(client, member, public_category):
    for n in range(5):
        _aged(factories.make_topic(member, public_category, title=f"Topic number {n}"), 10 - n)
    assert titles(client.get("/latest")) == ["Topic number 4", "Topic number 3"]
    assert titles(client.get("/latest?page=3")) == ["Topic number 0"]
    assert client.get("/latest?page=abc").status_code == 404
    assert client.get("/latest?page=4").status_code == 404
    page = client.get("/latest?page=2")
    assert b'rel="prev" href="?page=1"' in page.content and b'rel="next" href="?page=3"' in page.content
    rows = client.get("/latest?page=2", headers={"HX-Request": "true"})
    assert b"<html" not in rows.content and b"Topic number 2" in rows.content


def test_lists_mark_topics_with_unread_replies(client_for, topic, member, other_member):
    reader = client_for(member)
    factories.make_reply(other_member, topic, raw="New one")
    factories.make_reply(other_member, topic, raw="Another new one")
    row = reader.get("/latest")
    listed = row.context["topics"][0]
    assert (listed.unread, listed.first_unread) == (2, 2)
    html = row.content.decode()
    assert f'href="/t/{topic.slug}/{topic.pk}/2"' in html
    assert '<span class="badge new"' in html and '2<span class="visually-hidden"> unread</span>' in html
    reader.get(topic.get_absolute_url())
    assert reader.get("/latest").context["topics"][0].unread == 0
    assert '<span class="badge new"' not in client_for(None).get("/latest").content.decode()


def test_unread_counts_only_topics_the_reader_has_opened(client_for, topic, other_member, outsider):
    factories.make_reply(other_member, topic)
    listed = client_for(outsider).get("/latest").context["topics"][0]
    assert listed.unread == 0 and not listed.seen
