"""The Discourse-compatible reads: shapes field by field (ANCHORS.md, Discourse's serializers), what each
viewer may see (private topics 404, private posts out of the stream, counts), pagination, query budgets."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from agora import permissions
from agora.discuss import services
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from agora.search.services import index_rebuild
from tests import factories

pytestmark = pytest.mark.django_db

JSON = "application/json; charset=utf-8"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"] == JSON
    return json.loads(response.content)


@pytest.fixture
def club(member):
    """A group-only category: the member is in the club, the outsider is not."""
    club = Group.objects.create(name="club", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=club, user=member)
    permissions.forget_access(member)
    return factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE})


@pytest.fixture
def secret_topic(member, club):
    return factories.make_topic(member, club, title="Secret plans of the club", raw="Only for the club.")


TOPIC_LIST_ITEM_FIELDS = {
    "id", "title", "fancy_title", "slug", "posts_count", "reply_count", "highest_post_number", "created_at",
    "last_posted_at", "bumped_at", "pinned", "visible", "closed", "archived", "views", "like_count",
    "category_id", "posters",
}  # fmt: skip


def test_latest_json_has_discourses_topic_list_shape(client, topic, other_member):
    factories.make_reply(other_member, topic, raw="Use the upload button.")
    data = get_json(client, "/latest.json")
    assert set(data) >= {"users", "topic_list"}
    assert {u["username"] for u in data["users"]} == {"Member", "Другой участник"}
    for user in data["users"]:
        assert set(user) >= {"id", "username", "avatar_template"}
        assert "{size}" in user["avatar_template"]
    topic_list = data["topic_list"]
    assert topic_list["can_create_topic"] is False  # a visitor
    assert topic_list["per_page"] == 30
    assert "more_topics_url" not in topic_list
    [item] = topic_list["topics"]
    assert set(item) >= TOPIC_LIST_ITEM_FIELDS
    assert item["id"] == topic.pk
    assert item["title"] == "How do I upload a file?"
    assert item["slug"] == topic.slug
    assert (item["posts_count"], item["reply_count"], item["highest_post_number"]) == (2, 1, 2)
    assert item["category_id"] == topic.category_id
    assert item["visible"] is True and item["closed"] is False and item["archived"] is False
    assert item["created_at"].endswith("Z") and "T" in item["created_at"]
    posters = item["posters"]
    assert [p["user_id"] for p in posters] == [topic.user_id, other_member.pk]
    assert set(posters[0]) >= {"user_id", "description", "extras"}
    assert posters[1]["extras"] == "latest"


def test_private_topics_are_left_out_of_lists_for_visitors_and_outsiders(client, client_for, topic, secret_topic,
                                                                         outsider, member):  # fmt: skip
    for viewer in (client, client_for(outsider)):
        ids = [t["id"] for t in get_json(viewer, "/latest.json")["topic_list"]["topics"]]
        assert ids == [topic.pk]
    ids = [t["id"] for t in get_json(client_for(member), "/latest.json")["topic_list"]["topics"]]
    assert set(ids) == {topic.pk, secret_topic.pk}


def test_latest_json_pages_from_zero_with_more_topics_url(client, member, public_category, settings):
    settings.AGORA_TOPICS_PER_PAGE = 2
    made = [factories.make_topic(member, public_category, title=f"Topic number {i}") for i in range(5)]
    first = get_json(client, "/latest.json")["topic_list"]
    assert first["more_topics_url"] == "/latest?page=1"
    second = get_json(client, "/latest.json?page=1")["topic_list"]
    third = get_json(client, "/latest.json?page=2")["topic_list"]
    assert "more_topics_url" not in third
    seen = [t["id"] for page in (first, second, third) for t in page["topics"]]
    assert seen == [t.pk for t in reversed(made)]
    assert get_json(client, "/latest.json?page=9")["topic_list"]["topics"] == []


@pytest.mark.parametrize("page", ["abc", "-1", "1.5", "99999999999999"])
def test_a_bad_page_is_a_400_with_discourses_error_shape(client, page):
    data = get_json(client, f"/latest.json?page={page}", status=400)
    assert data["error_type"] == "invalid_parameters"
    assert isinstance(data["errors"], list) and data["errors"]


def test_latest_json_query_budget(client_for, django_assert_max_num_queries, member, public_category):
    for i in range(12):
        topic = factories.make_topic(member, public_category, title=f"Budget topic {i}", tags=())
        factories.make_reply(factories.UserFactory(), topic)
    viewer = client_for(member)
    with django_assert_max_num_queries(9):  # session, user, access, topics, tags, read state, can create
        data = get_json(viewer, "/latest.json")
    assert len(data["topic_list"]["topics"]) == 12


def test_top_json_takes_discourses_periods_and_refuses_others(client, topic):
    data = get_json(client, "/top.json?period=weekly")
    assert data["topic_list"]["for_period"] == "weekly"
    assert [t["id"] for t in data["topic_list"]["topics"]] == [topic.pk]
    assert get_json(client, "/top.json?period=week")["topic_list"]["for_period"] == "weekly"
    assert get_json(client, "/top.json?period=fortnightly", status=400)["error_type"] == "invalid_parameters"


def test_new_json_lists_recent_topics_the_member_has_not_opened(client, client_for, member, other_member, topic):
    assert get_json(client, "/new.json", status=403)["error_type"] == "not_logged_in"
    mine = get_json(client_for(member), "/new.json")["topic_list"]["topics"]
    assert mine == []  # they wrote it, so they have read it
    theirs = get_json(client_for(other_member), "/new.json")["topic_list"]["topics"]
    assert [t["id"] for t in theirs] == [topic.pk]
    assert theirs[0]["unseen"] is True


def test_categories_json_lists_what_the_viewer_may_see(client, client_for, member, outsider, public_category, club):
    sub = factories.make_category("Sub of ask", parent=public_category)
    data = get_json(client, "/categories.json")["category_list"]
    assert set(data) >= {"can_create_category", "can_create_topic", "categories"}
    cat = next(c for c in data["categories"] if c["id"] == public_category.pk)
    assert sub.pk not in [c["id"] for c in data["categories"]]  # listed under its parent
    assert set(cat) >= {"id", "name", "color", "text_color", "slug", "topic_count", "post_count", "position",
                        "description", "read_restricted", "permission", "subcategory_ids", "has_children"}  # fmt: skip
    assert cat["subcategory_ids"] == [sub.pk]
    assert cat["read_restricted"] is False
    assert len(cat["color"]) == 6
    public_ids = [c["id"] for c in data["categories"]]
    assert club.pk not in public_ids
    assert [c["id"] for c in get_json(client_for(outsider), "/categories.json")["category_list"]["categories"]] == (
        public_ids
    )
    member_cats = get_json(client_for(member), "/categories.json")["category_list"]["categories"]
    room = next(c for c in member_cats if c["id"] == club.pk)
    assert room["read_restricted"] is True
    assert room["permission"] == 1
    with_children = get_json(client, "/categories.json?include_subcategories=true")["category_list"]
    listed = next(c for c in with_children["categories"] if c["id"] == public_category.pk)
    assert listed["subcategory_list"][0]["id"] == sub.pk


def test_category_topic_lists_by_id_and_by_slug_and_id(client, client_for, member, topic, public_category, club,
                                                       secret_topic):  # fmt: skip
    for url in (f"/c/{public_category.pk}.json", f"/c/{public_category.slug}/{public_category.pk}.json"):
        assert [t["id"] for t in get_json(client, url)["topic_list"]["topics"]] == [topic.pk]
    for url in (f"/c/{club.pk}.json", f"/c/{club.slug}/{club.pk}.json", "/c/987654.json"):
        assert get_json(client, url, status=404) == {
            "errors": ["The requested URL or resource could not be found."],
            "error_type": "not_found",
        }
    assert [t["id"] for t in get_json(client_for(member), f"/c/{club.pk}.json")["topic_list"]["topics"]] == [
        secret_topic.pk
    ]
    assert get_json(client_for(member), f"/c/{club.pk}.json")["topic_list"]["can_create_topic"] is True


TOPIC_FIELDS = {
    "post_stream", "id", "title", "fancy_title", "posts_count", "created_at", "views", "reply_count", "like_count",
    "last_posted_at", "visible", "closed", "archived", "archetype", "slug", "category_id", "highest_post_number",
    "chunk_size", "details", "tags", "pinned", "pinned_globally",
}  # fmt: skip
POST_FIELDS = {
    "id", "name", "username", "avatar_template", "created_at", "cooked", "post_number", "post_type", "updated_at",
    "reply_count", "reply_to_post_number", "topic_id", "topic_slug", "version", "can_edit", "can_delete", "yours",
    "actions_summary", "user_id", "moderator", "admin", "staff", "hidden", "trust_level", "deleted_at", "wiki",
    "read", "bookmarked", "display_username",
}  # fmt: skip


def test_topic_json_has_the_post_stream_details_and_chunk_size(client, topic, other_member, member):
    reply = factories.make_reply(other_member, topic, raw="Use the **upload** button.", reply_to_number=1)
    services.post_like_toggle(user=other_member, post=topic.posts.get(number=1))
    for url in (f"/t/{topic.pk}.json", f"/t/{topic.slug}/{topic.pk}.json"):
        data = get_json(client, url)
        assert set(data) >= TOPIC_FIELDS
        assert data["chunk_size"] == 20
        assert data["archetype"] == "regular"
        stream = data["post_stream"]
        assert stream["stream"] == [topic.posts.get(number=1).pk, reply.pk]
        first, second = stream["posts"]
        assert set(first) >= POST_FIELDS
        assert first["post_number"] == 1 and first["username"] == "Member"
        assert first["reply_count"] == 1
        assert first["actions_summary"] == [{"id": 2, "count": 1}]
        assert second["reply_to_post_number"] == 1
        assert "<strong>upload</strong>" in second["cooked"]
        assert "raw" not in second
        details = data["details"]
        assert details["created_by"]["username"] == "Member"
        assert details["last_poster"]["username"] == "Другой участник"
        assert {p["username"]: p["post_count"] for p in details["participants"]} == {
            "Member": 1,
            "Другой участник": 1,
        }
        assert details["notification_level"] == 1
        assert details["can_create_post"] is False  # a visitor


def test_topic_json_streams_every_post_and_sends_the_first_twenty(client, topic, other_member):
    for i in range(24):
        factories.make_reply(other_member, topic, raw=f"Reply number {i}")
    data = get_json(client, f"/t/{topic.pk}.json")
    assert len(data["post_stream"]["stream"]) == 25
    assert [p["post_number"] for p in data["post_stream"]["posts"]] == list(range(1, 21))
    rest = data["post_stream"]["stream"][20:]
    query = "&".join(f"post_ids[]={pk}" for pk in rest)
    more = get_json(client, f"/t/{topic.pk}/posts.json?{query}")
    assert more["id"] == topic.pk
    assert [p["id"] for p in more["post_stream"]["posts"]] == rest
    assert [p["post_number"] for p in get_json(client, f"/t/{topic.pk}/posts.json")["post_stream"]["posts"]] == list(
        range(1, 21)
    )
    by_number = get_json(client, f"/t/{topic.pk}/posts.json?post_number=22")["post_stream"]["posts"]
    assert [p["post_number"] for p in by_number] == [22, 23, 24, 25]


def test_posts_of_another_topic_are_not_fetched_through_this_one(client, member, topic, secret_topic):
    secret_post = secret_topic.posts.get(number=1)
    data = get_json(client, f"/t/{topic.pk}/posts.json?post_ids[]={secret_post.pk}")
    assert data["post_stream"]["posts"] == []


@pytest.mark.parametrize("query", ["post_ids[]=x", "post_ids[]=-3", "post_number=zero"])
def test_bad_post_ids_are_a_400(client, topic, query):
    assert get_json(client, f"/t/{topic.pk}/posts.json?{query}", status=400)["error_type"] == "invalid_parameters"


def test_a_private_topic_is_a_404_to_visitors_and_outsiders(client, client_for, outsider, member, secret_topic):
    post = secret_topic.posts.get(number=1)
    for viewer in (client, client_for(outsider)):
        for url in (f"/t/{secret_topic.pk}.json", f"/t/x/{secret_topic.pk}.json", f"/t/{secret_topic.pk}/posts.json",
                    f"/posts/{post.pk}.json"):  # fmt: skip
            assert get_json(viewer, url, status=404)["error_type"] == "not_found"
    assert get_json(client_for(member), f"/t/{secret_topic.pk}.json")["title"] == "Secret plans of the club"


def test_deleted_and_held_posts_are_absent_from_the_stream(client, client_for, member, other_member, moderator, topic):
    kept = factories.make_reply(other_member, topic, raw="This one stays.")
    gone = factories.make_reply(other_member, topic, raw="This one goes.")
    services.post_delete(user=moderator, post=gone)
    held = factories.make_reply(other_member, topic, raw="Held for approval.")
    services.post_hold(post=held, is_topic=False)
    opening = topic.posts.get(number=1).pk
    assert get_json(client, f"/t/{topic.pk}.json")["post_stream"]["stream"] == [opening, kept.pk]
    assert get_json(client_for(member), f"/t/{topic.pk}.json")["post_stream"]["stream"] == [opening, kept.pk]
    # The held post's author sees it; nobody sees the deleted one here.
    assert get_json(client_for(other_member), f"/t/{topic.pk}.json")["post_stream"]["stream"] == [
        opening,
        kept.pk,
        held.pk,
    ]
    assert get_json(client, f"/posts/{gone.pk}.json", status=404)["error_type"] == "not_found"
    assert get_json(client, f"/posts/{held.pk}.json", status=404)["error_type"] == "not_found"


def test_topic_json_query_budget(client_for, django_assert_max_num_queries, member, topic):
    for i in range(30):
        factories.make_reply(factories.UserFactory(), topic, raw=f"Reply {i} to the topic")
    viewer = client_for(member)
    # session, user, access, topic, stream, participants, posts, likes, bookmarks, tags, can create, and
    # what the middleware writes on a member's first request; the same for 31 posts as for 3.
    with django_assert_max_num_queries(12):
        data = get_json(viewer, f"/t/{topic.pk}.json")
    assert len(data["post_stream"]["posts"]) == 20
    assert len(data["post_stream"]["stream"]) == 31


def test_an_anonymous_message_never_names_its_sender(client_for, member, moderator, other_member):
    message = factories.make_message(other_member, groups=["moderators"], anonymous=True, raw="Someone is harassing me")
    data = get_json(client_for(moderator), f"/t/{message.pk}.json")
    assert data["archetype"] == "private_message"
    text = json.dumps(data, ensure_ascii=False)
    assert "Другой участник" not in text
    assert str(other_member.pk) not in [str(p["user_id"]) for p in data["post_stream"]["posts"]]
    assert data["details"]["created_by"]["username"] == ""
    own = get_json(client_for(other_member), f"/t/{message.pk}.json")
    assert own["post_stream"]["posts"][0]["username"] == "Другой участник"
    assert get_json(client_for(member), f"/t/{message.pk}.json", status=404)["error_type"] == "not_found"


def test_posts_json_shows_one_post_with_its_raw(client, topic):
    post = topic.posts.get(number=1)
    data = get_json(client, f"/posts/{post.pk}.json")
    assert set(data) >= POST_FIELDS | {"raw"}
    assert data["raw"] == "Where is the button?"
    assert data["topic_id"] == topic.pk
    assert get_json(client, "/posts/987654.json", status=404)["error_type"] == "not_found"


def test_users_json_counts_only_what_the_viewer_may_see(client, client_for, member, topic, secret_topic):
    data = get_json(client, "/users/Member.json")
    assert data["user_badges"] == []
    user = data["user"]
    assert set(user) >= {"id", "username", "name", "avatar_template", "trust_level", "created_at", "post_count",
                         "topic_count", "moderator", "admin"}  # fmt: skip
    assert (user["topic_count"], user["post_count"]) == (1, 1)  # the club's topic is not counted
    assert user["last_seen_at"] is None
    assert "email" not in user
    assert get_json(client_for(member), "/users/member.json")["user"]["topic_count"] == 2
    assert get_json(client, "/users/nobody-here.json", status=404)["error_type"] == "not_found"


def test_session_current_json_is_a_404_for_visitors_and_the_user_when_signed_in(client, client_for, member):
    assert get_json(client, "/session/current.json", status=404)["error_type"] == "not_found"
    current = get_json(client_for(member), "/session/current.json")["current_user"]
    assert current["username"] == "Member" and current["id"] == member.pk
    assert set(current) >= {"avatar_template", "unread_notifications", "admin", "moderator", "trust_level"}


def test_notifications_json_lists_the_members_visible_notifications(client, client_for, member, other_member, club,
                                                                   secret_topic):  # fmt: skip
    assert get_json(client, "/notifications.json", status=403)["error_type"] == "not_logged_in"
    permissions.forget_access(member)
    elsewhere = factories.make_topic(member, factories.make_category())
    reply = factories.make_reply(other_member, elsewhere, raw="Hi @Member")
    Notification.objects.create(
        user=member, kind=Notification.Kind.MENTIONED, actor=other_member, topic=reply.topic, post=reply
    )
    # A notification about a topic the member can no longer see is left out.
    Notification.objects.create(user=member, kind=Notification.Kind.MENTIONED, actor=other_member, topic=secret_topic)
    Membership.objects.filter(user=member).delete()
    data = get_json(client_for(member), "/notifications.json")
    assert data["total_rows_notifications"] == 1
    [note] = data["notifications"]
    assert set(note) >= {"id", "notification_type", "read", "created_at", "post_number", "topic_id", "slug", "data"}
    assert note["notification_type"] == 1  # mentioned
    assert note["data"]["display_username"] == "Другой участник"
    assert (note["topic_id"], note["post_number"]) == (reply.topic_id, 2)
    assert note["read"] is False
    assert get_json(client_for(member), "/notifications.json?offset=x", status=400)["error_type"] == (
        "invalid_parameters"
    )


def test_avatar_template_answers_with_a_letter_avatar(client, member):
    template = get_json(client, "/users/Member.json")["user"]["avatar_template"]
    response = client.get(template.replace("{size}", "45"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b">M</text>" in response.content


def test_a_wrong_method_is_a_405_in_discourses_shape(client):
    response = client.delete("/latest.json")
    assert response.status_code == 405
    assert json.loads(response.content)["error_type"] == "invalid_parameters"


def test_times_are_utc_with_milliseconds(client, topic):
    data = get_json(client, f"/t/{topic.pk}.json")
    created = topic.created_at.astimezone(UTC)
    assert data["created_at"].startswith(created.strftime("%Y-%m-%dT%H:%M:%S"))
    assert len(data["created_at"]) == len("2026-01-01T00:00:00.000Z")


def test_search_json_maps_hits_to_discourses_posts_topics_and_grouped_result(client, client_for, member, topic,
                                                                            secret_topic):  # fmt: skip
    index_rebuild()  # the topics were written inside the test's transaction: their indexing tasks never ran
    data = get_json(client, "/search.json?q=upload")
    assert set(data) >= {"posts", "topics", "users", "categories", "tags", "groups", "grouped_search_result"}
    assert [t["id"] for t in data["topics"]] == [topic.pk]
    [post] = data["posts"]
    assert set(post) >= {"id", "username", "avatar_template", "created_at", "like_count", "blurb", "post_number",
                         "topic_id"}  # fmt: skip
    assert (post["topic_id"], post["post_number"]) == (topic.pk, 1)
    grouped = data["grouped_search_result"]
    assert grouped["term"] == "upload"
    assert grouped["post_ids"] == [post["id"]]
    assert set(grouped) >= {"more_posts", "more_users", "more_categories", "search_log_id", "user_ids",
                            "category_ids", "tag_ids", "group_ids"}  # fmt: skip
    # The club's topic: found by its member, never by a visitor.
    assert get_json(client, "/search.json?q=plans")["topics"] == []
    assert [t["id"] for t in get_json(client_for(member), "/search.json?q=plans")["topics"]] == [secret_topic.pk]


@pytest.mark.parametrize("query", ["", "q=", "q=%20%20", "q=" + "x" * 1001, "q=upload&page=abc", "q=upload&page=0"])
def test_search_json_refuses_bad_queries_with_a_400(client, query):
    assert get_json(client, f"/search.json?{query}", status=400)["error_type"] == "invalid_parameters"


def test_posts_json_lists_the_newest_posts_without_private_ones(
    client, client_for, member, other_member, topic, secret_topic, django_assert_max_num_queries
):
    replies = [factories.make_reply(other_member, topic, raw=f"Reply {i} here") for i in range(3)]
    with django_assert_max_num_queries(8):
        data = get_json(client, "/posts.json")
    ids = [p["id"] for p in data["latest_posts"]]
    assert ids == [r.pk for r in reversed(replies)] + [topic.posts.get(number=1).pk]
    assert data["latest_posts"][0]["raw"] == "Reply 2 here"
    assert data["latest_posts"][0]["category_id"] == topic.category_id
    older = get_json(client, f"/posts.json?before={replies[1].pk}")["latest_posts"]
    assert [p["id"] for p in older] == [replies[0].pk, topic.posts.get(number=1).pk]
    assert secret_topic.posts.get(number=1).pk in [
        p["id"] for p in get_json(client_for(member), "/posts.json")["latest_posts"]
    ]


TOO_LARGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/t/{TOO_LARGE}.json",
        "/t/3000000000.json",
        "/posts/3000000000.json",
        f"/posts/{TOO_LARGE}.json",
        f"/c/{TOO_LARGE}.json",
        f"/t/x/{TOO_LARGE}.json",
        f"/t/{TOO_LARGE}/posts.json",
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(client, url):
    assert get_json(client, url, status=404)["error_type"] == "not_found"


@pytest.mark.parametrize("query", ["before=99999999999999999999", "before=abc"])
def test_a_bad_before_is_a_400(client, query):
    assert get_json(client, f"/posts.json?{query}", status=400)["error_type"] == "invalid_parameters"


def test_site_json_and_category_show_json_list_only_visible_categories(client, client_for, member, public_category,
                                                                       club):  # fmt: skip
    site = get_json(client, "/site.json")
    assert public_category.pk in [c["id"] for c in site["categories"]]
    assert club.pk not in [c["id"] for c in site["categories"]]
    assert club.pk in [c["id"] for c in get_json(client_for(member), "/site.json")["categories"]]
    shown = get_json(client, f"/c/{public_category.pk}/show.json")["category"]
    assert (shown["id"], shown["slug"]) == (public_category.pk, public_category.slug)
    assert get_json(client, f"/c/{club.pk}/show.json", status=404)["error_type"] == "not_found"


def test_posts_by_number_finds_a_visible_post(client, topic, other_member, secret_topic):
    reply = factories.make_reply(other_member, topic, raw="The second post.")
    assert get_json(client, f"/posts/by_number/{topic.pk}/2.json")["id"] == reply.pk
    assert get_json(client, f"/posts/by_number/{topic.pk}/2")["raw"] == "The second post."
    for url in (f"/posts/by_number/{topic.pk}/9.json", f"/posts/by_number/{secret_topic.pk}/1.json"):
        assert get_json(client, url, status=404)["error_type"] == "not_found"


def test_an_anonymous_messages_sender_is_not_among_a_list_rows_posters(member, other_member):
    from agora.api.discourse import shapes

    message = factories.make_message(other_member, groups=["moderators"], anonymous=True)
    message.seen, message.unread, message.first_unread = True, 0, 1
    row = shapes.topic_list_item(message, member)
    assert row["posters"] == [] and row["last_poster_username"] is None
