"""A real Discourse client (pydiscourse's DiscourseClient) against Agora running in a live server: it reads
lists, topics, posts, categories and search, creates a topic and a reply, and gets Discourse's errors."""

from __future__ import annotations

import pytest
from pydiscourse import DiscourseClient
from pydiscourse.exceptions import DiscourseClientError

from agora.api.models import ApiKey
from agora.api.services import api_key_create
from agora.discuss.models import CategoryGrant, Topic
from agora.groups.models import Group, Membership
from tests import factories

# serialized_rollback: a transactional test empties the database; the automatic groups must come back.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(member, other_member, public_category):
    club = Group.objects.create(name="club", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=club, user=other_member)
    secret_room = factories.make_category("Club room", grants={"club": CategoryGrant.Level.CREATE})
    topic = factories.make_topic(member, public_category, title="Where do uploads go", raw="Where is the button?")
    reply = factories.make_reply(other_member, topic, raw="Under the composer.")
    secret = factories.make_topic(other_member, secret_room, title="Where the club meets", raw="Club only.")
    return {"topic": topic, "reply": reply, "secret": secret, "category": public_category, "room": secret_room}


@pytest.fixture
def discourse(live_server, member):
    key = api_key_create(user=member, name="pydiscourse", scope=ApiKey.Scope.WRITE)[1]
    return DiscourseClient(live_server.url, api_username="member", api_key=key, timeout=30)


def test_pydiscourse_reads_lists_topics_posts_categories_and_search(discourse, world):
    topic, reply, secret = world["topic"], world["reply"], world["secret"]
    latest = discourse.latest_topics()
    ids = [t["id"] for t in latest["topic_list"]["topics"]]
    assert topic.pk in ids and secret.pk not in ids
    assert {u["username"] for u in latest["users"]} >= {"Member", "Другой участник"}

    shown = discourse.topic(topic.slug, topic.pk)
    assert shown["title"] == "Where do uploads go"
    assert len(shown["post_stream"]["stream"]) == 2
    assert shown["post_stream"]["posts"][1]["cooked"].strip() == "<p>Under the composer.</p>"

    posts = discourse.topic_posts(topic.pk)
    assert [p["id"] for p in posts["post_stream"]["posts"]] == shown["post_stream"]["stream"]
    some = discourse.posts(topic.pk, post_ids=[reply.pk])
    assert [p["post_number"] for p in some["post_stream"]["posts"]] == [2]
    assert discourse.post_by_id(reply.pk)["raw"] == "Under the composer."
    assert discourse.post_by_number(topic.pk, 2)["id"] == reply.pk
    newest = [p["id"] for p in discourse.latest_posts()["latest_posts"]]
    assert reply.pk in newest and secret.posts.get(number=1).pk not in newest

    categories = discourse.categories()
    assert world["category"].pk in [c["id"] for c in categories]
    assert world["room"].pk not in [c["id"] for c in categories]
    assert [t["id"] for t in discourse.category_topics(world["category"].pk)["topic_list"]["topics"]] == [topic.pk]

    found = discourse.search("uploads")
    assert topic.pk in [t["id"] for t in found["topics"]]
    assert secret.pk not in [t["id"] for t in found["topics"]]
    assert discourse.search("club")["topics"] == []
    assert discourse.user("Member")["username"] == "Member"


def test_pydiscourse_creates_a_topic_and_a_reply(discourse, world, member):
    created = discourse.create_post(
        "The opening post, from a script.", category_id=world["category"].pk, title="A topic made by pydiscourse"
    )
    topic = Topic.objects.get(pk=created["topic_id"])
    assert (topic.title, topic.user_id, created["post_number"]) == ("A topic made by pydiscourse", member.pk, 1)
    reply = discourse.create_post("And a reply, from a script.", topic_id=topic.pk)
    assert (reply["topic_id"], reply["post_number"]) == (topic.pk, 2)
    assert [p["post_number"] for p in discourse.topic(topic.slug, topic.pk)["post_stream"]["posts"]] == [1, 2]


def test_pydiscourse_gets_discourses_errors(discourse, world, live_server, outsider):
    with pytest.raises(DiscourseClientError) as refused:
        discourse.create_post("No title, no category: refused.")
    assert refused.value.response.status_code == 422
    with pytest.raises(DiscourseClientError) as hidden:
        discourse.topic(world["secret"].slug, world["secret"].pk)
    assert hidden.value.response.status_code == 404
    assert "could not be found" in str(hidden.value)
    with pytest.raises(DiscourseClientError) as private_reply:
        discourse.create_post("Letting myself in.", topic_id=world["secret"].pk)
    assert private_reply.value.response.status_code == 404
    impostor = DiscourseClient(live_server.url, api_username="Outsider", api_key=discourse.api_key)
    with pytest.raises(DiscourseClientError) as wrong_user:
        impostor.latest_topics()
    assert wrong_user.value.response.status_code == 403
