"""Moderator tools on topics (discuss.topic_tools, discuss.moderation_views): status toggles, retitle,
recategorise, retag, merge, split and move posts; their bad inputs, counters, notices, old links, the
staff log, group moderators' reach and the trust-level unlocks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum

from agora import permissions
from agora.discuss import services, topic_tools
from agora.discuss.models import Category, CategoryGrant, Post, PostAction, PostLike, Topic
from agora.groups.models import Group, Membership
from agora.moderation.models import ModeratorAction
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def assert_counters_true():
    """Every topic's and category's counters equal what its rows say."""
    for topic in Topic.objects.all():
        live = Post.objects.filter(topic=topic, deleted_at__isnull=True)
        totals = live.aggregate(n=Count("id"), likes=Sum("like_count"))
        numbers = list(Post.objects.filter(topic=topic).values_list("number", flat=True))
        assert len(numbers) == len(set(numbers)), topic
        if topic.merged_into_id is None:
            assert topic.posts_count == totals["n"], topic
            assert topic.reply_count == max(totals["n"] - 1, 0), topic
            assert topic.like_count == (totals["likes"] or 0), topic
            assert topic.highest_post_number >= max(numbers, default=0), topic
        assert PostLike.objects.filter(post__topic=topic).count() == (
            Post.objects.filter(topic=topic).aggregate(s=Sum("like_count"))["s"] or 0
        )
    for category in Category.objects.all():
        topics = Topic.objects.filter(category=category, deleted_at__isnull=True)
        posts = Post.objects.filter(topic__in=topics, deleted_at__isnull=True)
        assert (category.topic_count, category.post_count) == (topics.count(), posts.count()), category.name


@pytest.fixture
def busy(member, other_member, public_category):
    """A topic with four replies (one liked, one replying to another) by two people."""
    topic = factories.make_topic(member, public_category, title="A busy topic here", raw="The question.")
    replies = [
        factories.make_reply(other_member if i % 2 else member, topic, raw=f"Reply number {i}.") for i in range(4)
    ]
    replies[3] = Post.objects.get(pk=factories.make_reply(member, topic, raw="In reply.", reply_to_number=3).pk)
    services.post_like_toggle(user=member, post=replies[1])
    topic.refresh_from_db()
    return topic


@pytest.fixture
def other_topic(other_member, public_category):
    return factories.make_topic(other_member, public_category, title="Another topic there", raw="Something else.")


def _numbers(topic):
    return list(Post.objects.filter(topic=topic).order_by("number").values_list("number", "raw"))


# --- Status toggles (close/open, pin/unpin, unlist, archive) -----------------------------------


@pytest.mark.parametrize("status,field", [("closed", "closed"), ("archived", "archived"), ("unlisted", "unlisted")])
def test_it_toggles_a_status_and_logs_it(client_for, moderator, topic, status, field):
    client = client_for(moderator)
    client.post(f"/t/{topic.pk}/status", {"status": status, "enabled": "1"})
    topic.refresh_from_db()
    assert getattr(topic, field) is True
    assert ModeratorAction.objects.filter(action=f"topic_{status}", target_id=topic.pk, actor=moderator).exists()
    client.post(f"/t/{topic.pk}/status", {"status": status, "enabled": "0"})
    topic.refresh_from_db()
    assert getattr(topic, field) is False
    assert ModeratorAction.objects.filter(action=f"topic_un{status}", target_id=topic.pk).exists()


def test_it_pins_in_category_and_globally(client_for, moderator, topic):
    client = client_for(moderator)
    client.post(f"/t/{topic.pk}/status", {"status": "pinned", "enabled": "1"})
    topic.refresh_from_db()
    assert topic.pinned_at is not None and not topic.pinned_globally
    client.post(f"/t/{topic.pk}/status", {"status": "pinned_globally", "enabled": "1"})
    topic.refresh_from_db()
    assert topic.pinned_globally
    client.post(f"/t/{topic.pk}/pin", {"enabled": "0"})
    topic.refresh_from_db()
    assert topic.pinned_at is None and not topic.pinned_globally


# --- Retitle, recategorise, retag ------------------------------------------------------------


def test_a_moderator_retitles_recategorises_and_retags(client_for, moderator, topic, public_category):
    other = factories.make_category("Elsewhere")
    factories.make_tag("upload")
    response = client_for(moderator).post(
        f"/t/{topic.pk}/edit-meta",
        {"title": "Uploading files, explained", "category": other.pk, "tags": "upload", "reason": "tidy"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Uploading files, explained" and topic.slug == "uploading-files-explained"
    assert topic.category == other and [t.name for t in topic.tags.all()] == ["upload"]
    assert set(ModeratorAction.objects.filter(target_id=topic.pk).values_list("action", flat=True)) >= {
        "topic_retitle",
        "topic_recategorize",
        "topic_retag",
    }
    assert_counters_true()


def test_a_title_too_short_is_refused_and_nothing_changes(client_for, moderator, topic):
    response = client_for(moderator).post(
        f"/t/{topic.pk}/edit-meta", {"title": "Hi", "category": topic.category_id, "tags": ""}
    )
    assert response.status_code == 400
    assert "at least" in response.content.decode()
    topic.refresh_from_db()
    assert topic.title == "How do I upload a file?"
    with pytest.raises(ValidationError):
        topic_tools.topic_retitle(actor=moderator, topic=topic, title="x")


def test_moving_into_a_category_one_cannot_see_is_refused(client_for, moderator, topic, staff_category):
    response = client_for(moderator).post(
        f"/t/{topic.pk}/edit-meta", {"title": topic.title, "category": staff_category.pk, "tags": ""}
    )
    assert response.status_code == 400
    assert "Choose a category you may see" in response.content.decode()
    topic.refresh_from_db()
    assert topic.category_id != staff_category.pk
    with pytest.raises(PermissionDenied):
        topic_tools.topic_recategorize(actor=moderator, topic=topic, category=staff_category)
    assert_counters_true()


def test_the_old_slug_redirects_after_a_retitle(client, moderator, topic):
    old = topic.get_absolute_url()
    topic_tools.topic_retitle(actor=moderator, topic=topic, title="A brand new title")
    response = client.get(old)
    assert response.status_code == 301 and response["Location"].endswith(f"/a-brand-new-title/{topic.pk}")


# --- Merge -----------------------------------------------------------------------------------


def test_a_merge_appends_every_post_in_order_and_keeps_counters_true(busy, other_topic, moderator, other_member):
    before = _numbers(busy)
    base = other_topic.highest_post_number
    target = topic_tools.topic_merge(actor=moderator, topic=busy, target=other_topic, reason="duplicate")
    moved = _numbers(target)
    assert moved[:base] == [(1, "Something else.")]
    assert [raw for _, raw in moved[base : base + len(before)]] == [raw for _, raw in before]
    assert [n for n, _ in moved] == list(range(1, len(moved) + 1))
    notice = Post.objects.get(topic=target, action=PostAction.MERGED)
    assert notice.number == target.highest_post_number and "merged 6 posts from" in notice.raw
    assert "A busy topic here" in notice.html  # the same category: its title is no secret
    busy.refresh_from_db()
    assert busy.deleted_at is not None and busy.merged_into_id == target.pk
    # The reply to #3 still points at the same post, renumbered.
    in_reply = Post.objects.get(topic=target, raw="In reply.")
    assert Post.objects.get(topic=target, number=in_reply.reply_to_number).raw == "Reply number 1."
    assert target.like_count == 1
    assert ModeratorAction.objects.filter(action="topic_merge", target_id=busy.pk, reason="duplicate").exists()
    assert_counters_true()


def test_a_merged_topic_and_its_posts_redirect(client, busy, other_topic, moderator):
    old_topic_url, old_post_url = busy.get_absolute_url(), f"{busy.get_absolute_url()}/3"
    topic_tools.topic_merge(actor=moderator, topic=busy, target=other_topic)
    response = client.get(old_topic_url)
    assert response.status_code == 302 and response["Location"] == other_topic.get_absolute_url()
    assert client.get(f"/t/{busy.pk}")["Location"] == other_topic.get_absolute_url()
    response = client.get(old_post_url)
    assert response.status_code == 302 and response["Location"].endswith(f"{other_topic.get_absolute_url()}#post-4")
    # A moderator, who sees deleted topics, is sent on too.
    from django.test import Client

    mod = Client()
    mod.force_login(moderator)
    assert mod.get(old_topic_url)["Location"] == other_topic.get_absolute_url()


def test_merging_a_topic_into_itself_is_refused(client_for, moderator, busy):
    before = _numbers(busy)
    response = client_for(moderator).post(f"/t/{busy.pk}/merge", {"target": busy.get_absolute_url()})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    assert _numbers(busy) == before
    assert not Topic.objects.filter(merged_into__isnull=False).exists()


def test_merging_into_a_topic_one_cannot_see_says_so(client_for, moderator, busy, staff, staff_category):
    hidden = factories.make_topic(staff, staff_category, title="Staff eyes only", raw="Secret words.")
    response = client_for(moderator).post(f"/t/{busy.pk}/merge", {"target": str(hidden.pk)})
    assert response.status_code == 400
    assert "no topic you may see" in response.content.decode()
    assert Post.objects.filter(topic=busy).count() == 6


def test_merge_takes_an_address_and_redirects_to_the_target(client_for, moderator, busy, other_topic):
    response = client_for(moderator).post(
        f"/t/{busy.pk}/merge", {"target": f"https://example.org{other_topic.get_absolute_url()}/1"}
    )
    assert response.status_code == 302 and response["Location"] == other_topic.get_absolute_url()


def test_a_bad_topic_address_is_refused(client_for, moderator, busy):
    response = client_for(moderator).post(f"/t/{busy.pk}/merge", {"target": "not a topic"})
    assert response.status_code == 400 and "Paste a topic" in response.content.decode()


# --- Split and move posts --------------------------------------------------------------------


def test_a_split_makes_a_new_topic_from_the_chosen_replies(client_for, busy, moderator, member, other_member):
    chosen = list(Post.objects.filter(topic=busy, number__in=[3, 6]).order_by("number"))
    elsewhere = factories.make_category("Side room")
    response = client_for(moderator).post(
        f"/t/{busy.pk}/move-posts",
        {
            "posts": [p.pk for p in chosen],
            "destination": "new",
            "title": "A side discussion",
            "category": elsewhere.pk,
        },
    )
    assert response.status_code == 302
    new = Topic.objects.get(title="A side discussion")
    assert response["Location"] == new.get_absolute_url()
    assert new.category == elsewhere and new.user == chosen[0].user
    assert _numbers(new) == [(1, chosen[0].raw), (2, chosen[1].raw)]
    # #6 replied to #3, which moved along: it still does.
    assert Post.objects.get(topic=new, number=2).reply_to_number == 1
    notice = Post.objects.get(topic=busy, action=PostAction.MOVED)
    assert notice.number == 7 and "moved 2 posts to a new topic" in notice.raw
    assert "A side discussion" in notice.html  # a public category
    assert Notification.objects.filter(kind=Notification.Kind.POST_MOVED, user=chosen[0].user).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.POST_MOVED, user=chosen[1].user).exists()
    assert ModeratorAction.objects.filter(action="topic_split", target_id=busy.pk).exists()
    assert_counters_true()


def test_moving_posts_appends_them_to_an_existing_topic_in_order(busy, other_topic, moderator):
    chosen = list(Post.objects.filter(topic=busy, number__in=[2, 3, 4]).order_by("number"))
    other_category = factories.make_category("Other place")
    topic_tools.topic_recategorize(actor=moderator, topic=other_topic, category=other_category)
    services.post_like_toggle(user=moderator, post=chosen[0])
    topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[p.pk for p in chosen], target=other_topic)
    assert _numbers(other_topic) == [
        (1, "Something else."),
        (2, "Reply number 0."),
        (3, "Reply number 1."),
        (4, "Reply number 2."),
    ]
    busy.refresh_from_db()
    other_topic.refresh_from_db()
    assert busy.posts_count == 4 and busy.like_count == 0  # #1, #5, #6 and the notice
    assert other_topic.posts_count == 4 and other_topic.like_count == 2 and other_topic.highest_post_number == 4
    # #6 replied to #3, which left: the link goes.
    assert Post.objects.get(topic=busy, number=6).reply_to_number is None
    assert_counters_true()


def test_a_moved_posts_old_address_redirects(client, busy, other_topic, moderator):
    post = Post.objects.get(topic=busy, number=3)
    topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[post.pk], target=other_topic)
    response = client.get(f"{busy.get_absolute_url()}/3")
    assert response.status_code == 302 and response["Location"] == f"{other_topic.get_absolute_url()}#post-2"
    assert client.get(f"/t/-/{busy.pk}/3")["Location"] == f"{other_topic.get_absolute_url()}#post-2"
    # Posts that did not move stay where they were.
    assert client.get(f"{busy.get_absolute_url()}/2")["Location"] == f"{busy.get_absolute_url()}#post-2"


def test_an_old_address_never_leads_into_a_topic_one_cannot_see(client, busy, staff, staff_category):
    hidden = factories.make_topic(staff, staff_category, title="Staff eyes only", raw="Secret words.")
    post = Post.objects.get(topic=busy, number=3)
    topic_tools.posts_move(actor=staff, topic=busy, post_ids=[post.pk], target=hidden)
    response = client.get(f"{busy.get_absolute_url()}/3")
    assert str(hidden.pk) not in response.get("Location", "")
    notice = Post.objects.get(topic=busy, action=PostAction.MOVED)
    assert "Staff eyes only" not in notice.html and "another topic" in notice.raw
    assert hidden.slug not in notice.html and f'href="/t/{hidden.pk}"' in notice.html
    page = client.get(busy.get_absolute_url())
    assert b"Staff eyes only" not in page.content and b"moved 1 post to" in page.content


def test_splitting_zero_posts_is_refused(client_for, busy, moderator):
    response = client_for(moderator).post(
        f"/t/{busy.pk}/move-posts", {"destination": "new", "title": "Nothing at all", "category": busy.category_id}
    )
    assert response.status_code == 400 and "Choose at least one post" in response.content.decode()
    with pytest.raises(ValidationError):
        topic_tools.posts_split(
            actor=moderator, topic=busy, post_ids=[], title="Nothing at all", category=busy.category
        )
    assert Topic.objects.count() == 1


def test_moving_the_opening_post_says_what_to_do_instead(client_for, busy, other_topic, moderator):
    first = Post.objects.get(topic=busy, number=1)
    response = client_for(moderator).post(
        f"/t/{busy.pk}/move-posts", {"posts": [first.pk], "destination": "existing", "target": str(other_topic.pk)}
    )
    assert response.status_code == 400
    assert "merge it into the other one" in response.content.decode()
    assert Post.objects.filter(topic=busy).count() == 6 and other_topic.posts.count() == 1


def test_moving_posts_into_their_own_topic_is_refused(busy, moderator):
    post = Post.objects.get(topic=busy, number=2)
    with pytest.raises(ValidationError, match="in this one already"):
        topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[post.pk], target=busy)


def test_a_split_with_a_short_title_changes_nothing(client_for, busy, moderator):
    post = Post.objects.get(topic=busy, number=2)
    response = client_for(moderator).post(
        f"/t/{busy.pk}/move-posts",
        {"posts": [post.pk], "destination": "new", "title": "Hm", "category": busy.category_id},
    )
    assert response.status_code == 400 and "at least" in response.content.decode()
    assert Post.objects.get(pk=post.pk).topic_id == busy.pk


def test_the_move_page_lists_the_replies_with_checkboxes(client_for, busy, moderator):
    response = client_for(moderator).get(f"/t/{busy.pk}/move-posts")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('type="checkbox" name="posts"') == 5  # every reply, not the opening post


# --- Who may: outsiders, members, group moderators, trust levels -----------------------------

PAGES = ["edit-meta", "merge", "move-posts"]


@pytest.mark.parametrize("page", PAGES)
def test_visitors_are_sent_to_sign_in(client, topic, page):
    response = client.get(f"/t/{topic.pk}/{page}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_a_member_is_refused_and_an_outsider_finds_nothing(client_for, member, outsider, staff, staff_category, page):
    public_topic = factories.make_topic(member, factories.make_category("Open"), title="Open topic here")
    assert client_for(member).get(f"/t/{public_topic.pk}/{page}").status_code == 403
    assert client_for(member).post(f"/t/{public_topic.pk}/{page}", {"title": "Changed title"}).status_code == 403
    hidden = factories.make_topic(staff, staff_category, title="Staff eyes only")
    assert client_for(outsider).get(f"/t/{hidden.pk}/{page}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_a_moderator_opens_each_page(client_for, moderator, topic, page):
    assert client_for(moderator).get(f"/t/{topic.pk}/{page}").status_code == 200


def test_a_member_cannot_pin(client_for, member, topic):
    assert client_for(member).post(f"/t/{topic.pk}/pin", {"enabled": "1"}).status_code == 403
    topic.refresh_from_db()
    assert topic.pinned_at is None


@pytest.fixture
def clubs(db):
    """Two groups each owning a category; a moderator of the first."""
    mod = factories.UserFactory(username="ClubMod", trust_level=2)
    first = Group.objects.create(name="club-one")
    second = Group.objects.create(name="club-two")
    Membership.objects.create(group=first, user=mod, is_moderator=True)
    one = factories.make_category("Club one", group=first)
    two = factories.make_category("Club two", group=second)
    secret = factories.make_category("Club two inside", group=second, grants={"club-two": CategoryGrant.Level.CREATE})
    author = factories.UserFactory(username="Writer", trust_level=1)
    insider = factories.UserFactory(username="Insider2", trust_level=1)
    Membership.objects.create(group=second, user=insider)
    return {
        "mod": mod,
        "one": one,
        "two": two,
        "secret": secret,
        "own": factories.make_topic(author, one, title="A topic in club one", raw="One."),
        "theirs": factories.make_topic(author, two, title="A topic in club two", raw="Two."),
        "hidden": factories.make_topic(insider, secret, title="Inside club two", raw="Shh."),
        "author": author,
    }


def test_a_group_moderator_uses_the_tools_in_their_groups_categories(client_for, clubs):
    client = client_for(clubs["mod"])
    assert client.get(f"/t/{clubs['own'].pk}/merge").status_code == 200
    response = client.post(f"/t/{clubs['own'].pk}/status", {"status": "closed", "enabled": "1"})
    assert response.status_code == 302
    clubs["own"].refresh_from_db()
    assert clubs["own"].closed


def test_a_group_moderator_cannot_reach_another_groups_topic(client_for, clubs):
    client = client_for(clubs["mod"])
    assert client.get(f"/t/{clubs['hidden'].pk}/merge").status_code == 404
    assert client.get(f"/t/{clubs['hidden'].pk}/move-posts").status_code == 404
    # A topic of another group they can read, but not moderate.
    assert client.get(f"/t/{clubs['theirs'].pk}/merge").status_code == 403
    with pytest.raises(PermissionDenied):
        topic_tools.topic_merge(actor=clubs["mod"], topic=clubs["theirs"], target=clubs["own"])


def test_a_group_moderator_cannot_move_into_a_category_they_cannot_see(client_for, clubs):
    reply = factories.make_reply(clubs["author"], clubs["own"], raw="A reply to move.")
    response = client_for(clubs["mod"]).post(
        f"/t/{clubs['own'].pk}/move-posts",
        {"posts": [reply.pk], "destination": "new", "title": "Moved somewhere", "category": clubs["secret"].pk},
    )
    assert response.status_code == 400 and "Choose a category you may see" in response.content.decode()
    with pytest.raises(PermissionDenied):
        topic_tools.posts_split(
            actor=clubs["mod"],
            topic=clubs["own"],
            post_ids=[reply.pk],
            title="Moved somewhere",
            category=clubs["secret"],
        )
    # Nor into another group's topic.
    response = client_for(clubs["mod"]).post(
        f"/t/{clubs['own'].pk}/move-posts",
        {"posts": [reply.pk], "destination": "existing", "target": str(clubs["hidden"].pk)},
    )
    assert response.status_code == 400 and "no topic you may see" in response.content.decode()
    response = client_for(clubs["mod"]).post(
        f"/t/{clubs['own'].pk}/move-posts",
        {"posts": [reply.pk], "destination": "existing", "target": str(clubs["theirs"].pk)},
    )
    assert response.status_code == 400
    assert Post.objects.get(pk=reply.pk).topic_id == clubs["own"].pk
    assert_counters_true()


@pytest.mark.parametrize("level,may", [(0, False), (1, False), (2, False), (3, True), (4, True)])
def test_retitle_and_recategorise_unlock_at_trust_level_3(client_for, topic, level, may):
    person = factories.UserFactory(username=f"level{level}", trust_level=level)
    client = client_for(person)
    response = client.get(f"/t/{topic.pk}/edit-meta")
    assert response.status_code == (200 if may else 403)
    client.post(f"/t/{topic.pk}/edit-meta", {"title": "Renamed by the community", "category": topic.category_id})
    topic.refresh_from_db()
    assert (topic.title == "Renamed by the community") is may
    # Merging and splitting stay with moderators.
    assert client.get(f"/t/{topic.pk}/merge").status_code == 403


@pytest.mark.parametrize("level,may", [(3, False), (4, True)])
def test_pinning_unlocks_at_trust_level_4(client_for, topic, level, may):
    person = factories.UserFactory(username=f"level{level}", trust_level=level)
    response = client_for(person).post(f"/t/{topic.pk}/pin", {"enabled": "1"})
    assert response.status_code == (302 if may else 403)
    topic.refresh_from_db()
    assert (topic.pinned_at is not None) is may
    assert not topic.pinned_globally


def test_the_trust_levels_are_settings(client_for, topic, settings):
    settings.AGORA_TL_RECATEGORIZE = 1
    person = factories.UserFactory(username="Early", trust_level=1)
    assert client_for(person).get(f"/t/{topic.pk}/edit-meta").status_code == 200


# --- The topic page ---------------------------------------------------------------------------


def test_the_topic_page_shows_the_menu_and_the_notice(client_for, busy, other_topic, moderator, member):
    post = Post.objects.get(topic=busy, number=2)
    topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[post.pk], target=other_topic)
    body = client_for(moderator).get(busy.get_absolute_url()).content.decode()
    assert f'action="/t/{busy.pk}/status"' in body
    assert f'href="/t/{busy.pk}/merge"' in body and f'href="/t/{busy.pk}/move-posts"' in body
    assert 'class="small-action"' in body and "moved 1 post to" in body
    member_body = client_for(member).get(busy.get_absolute_url()).content.decode()
    assert f'href="/t/{busy.pk}/merge"' not in member_body and 'class="small-action"' in member_body


def test_the_topic_page_costs_the_same_queries_for_a_moderator_whatever_the_posts(
    client_for, moderator, member, public_category, django_assert_max_num_queries
):
    topic = factories.make_topic(member, public_category, title="A long thread", raw="Start.")
    client = client_for(moderator)
    counts = []
    for size in (2, 12):
        while Topic.objects.get(pk=topic.pk).highest_post_number < size:
            factories.make_reply(member, topic, raw="More words here.")
        client.get(topic.get_absolute_url())
        with django_assert_max_num_queries(15) as queries:
            assert client.get(topic.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    other = factories.make_topic(member, public_category, title="Another long thread", raw="Start.")
    topic_tools.topic_merge(actor=moderator, topic=other, target=topic)
    client.get(topic.get_absolute_url())
    with django_assert_max_num_queries(counts[0]):
        client.get(topic.get_absolute_url())


def test_notice_posts_cannot_be_liked_or_edited(busy, other_topic, moderator, member):
    post = Post.objects.get(topic=busy, number=2)
    topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[post.pk], target=other_topic)
    notice = Post.objects.get(topic=busy, action=PostAction.MOVED)
    assert not permissions.can(member, "like", notice)
    assert not permissions.can(member, "edit", notice) and not permissions.can(moderator, "edit", notice)
    with pytest.raises(ValidationError, match="Notices"):
        topic_tools.posts_move(actor=moderator, topic=busy, post_ids=[notice.pk], target=other_topic)


def test_a_message_cannot_be_merged(moderator, member, topic):
    message = factories.make_message(member, to=[moderator])
    with pytest.raises((ValidationError, PermissionDenied)):
        topic_tools.topic_merge(actor=moderator, topic=message, target=topic)


def test_category_counts_follow_a_merge_across_categories(busy, moderator, other_member):
    elsewhere = factories.make_category("Far away")
    permissions.forget_access(other_member)  # their access was read before the category existed
    target = factories.make_topic(other_member, elsewhere, title="Far away topic", raw="Far.")
    topic_tools.topic_merge(actor=moderator, topic=busy, target=target)
    elsewhere.refresh_from_db()
    assert elsewhere.topic_count == 1 and elsewhere.post_count == 1 + 6 + 1
    assert Category.objects.get(pk=busy.category_id).topic_count == 0
    assert_counters_true()
    assert not Topic.objects.filter(Q(pk=busy.pk) & Q(deleted_at__isnull=True)).exists()


def test_a_change_refused_in_part_changes_nothing(moderator, topic, staff_category):
    with pytest.raises(PermissionDenied):
        topic_tools.topic_change(actor=moderator, topic=topic, title="A perfectly good title", category=staff_category)
    topic.refresh_from_db()
    assert topic.title == "How do I upload a file?" and not ModeratorAction.objects.exists()


def test_pin_is_post_only_and_hidden_topics_are_not_found(client_for, outsider, staff, staff_category, moderator):
    hidden = factories.make_topic(staff, staff_category, title="Staff eyes only")
    assert client_for(outsider).post(f"/t/{hidden.pk}/pin", {"enabled": "1"}).status_code == 404
    assert client_for(moderator).post(f"/t/{hidden.pk}/pin", {"enabled": "1"}).status_code == 404
    assert client_for(staff).get(f"/t/{hidden.pk}/pin").status_code == 405
    hidden.refresh_from_db()
    assert hidden.pinned_at is None
