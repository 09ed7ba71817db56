"""What a post tells, and to whom: replies, quotes, grouped likes, accepted solutions, once per person."""

import pytest

from agora.discuss import services
from agora.notifications import services as notification_services
from agora.notifications.models import Notification, Watch, WatchLevel
from tests import factories

from .helpers import kinds_for

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def third(db):
    return factories.UserFactory(username="Third", trust_level=1)


@pytest.fixture
def reply(django_capture_on_commit_callbacks):
    """Write a reply and run what waits for its commit (the notification task)."""

    def write(user, topic, raw="A reply.", **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.make_reply(user, topic, raw=raw, **kw)

    return write


def test_a_reply_to_a_post_tells_that_posts_author(reply, topic, member, other_member, third):
    answer = reply(other_member, topic)
    response = reply(third, topic, reply_to_number=answer.number)
    row = Notification.objects.get(user=other_member, post=response)
    assert (row.kind, row.actor, row.topic) == (Kind.REPLIED, third, topic)
    assert kinds_for(member, response) == [Kind.WATCHED_POST]  # the starter watches the topic, by default


def test_a_reply_to_nobody_tells_the_topics_author(reply, topic, member, other_member):
    response = reply(other_member, topic)
    assert kinds_for(member, response) == [Kind.REPLIED]
    assert kinds_for(other_member) == []  # never oneself


def test_a_quote_tells_the_quoted_person(reply, topic, member, other_member, third):
    answer = reply(other_member, topic)
    quote = f'[quote="{other_member.username}, post:{answer.number}, topic:{topic.pk}"]\nYes\n[/quote]'
    quoting = reply(third, topic, raw=f"{quote}\n\nIndeed.")
    assert kinds_for(other_member, quoting) == [Kind.QUOTED]


def test_one_post_tells_a_person_once_by_the_most_direct_kind(reply, topic, member, other_member):
    """A reply to my post that quotes and mentions me: one notification, a mention."""
    raw = f'[quote="Member, post:1, topic:{topic.pk}"]\nWhere?\n[/quote]\n\nHere, @Member.'
    response = reply(other_member, topic, raw=raw, reply_to_number=1)
    assert kinds_for(member, response) == [Kind.MENTIONED]


def test_a_reply_in_a_topic_i_reply_to_tells_me_as_a_watcher_not_twice(reply, topic, member, other_member, third):
    reply(other_member, topic)  # other_member now watches the topic (replying watches it)
    response = reply(third, topic, reply_to_number=2)
    assert kinds_for(other_member, response) == [Kind.REPLIED]
    assert kinds_for(member, response) == [Kind.WATCHED_POST]  # the starter watches the topic


def test_running_the_task_again_tells_nobody_twice(reply, topic, member, other_member):
    response = reply(other_member, topic, raw="Hi @Member")
    notification_services.post_notify(post_id=response.pk)
    assert kinds_for(member, response) == [Kind.MENTIONED]


def test_a_muted_topic_tells_nothing_but_mentions(reply, topic, member, other_member):
    notification_services.watch_set(user=member, topic=topic, level=WatchLevel.MUTED)
    plain = reply(other_member, topic, reply_to_number=1)
    assert kinds_for(member, plain) == []
    mention = reply(other_member, topic, raw="But @Member, look")
    assert kinds_for(member, mention) == [Kind.MENTIONED]


def test_a_reply_in_a_private_message_tells_by_the_messages_own_kind(
    django_capture_on_commit_callbacks, member, other_member
):
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.make_message(member, to=[other_member])
    with django_capture_on_commit_callbacks(execute=True):
        answer = factories.make_reply(other_member, message, raw="Answer")
    assert Kind.REPLIED not in kinds_for(member, answer)
    assert not Watch.objects.filter(topic=message).exclude(user=member).exists()


# --- likes -------------------------------------------------------------------------------------


def like(user, post):
    return services.post_like_toggle(user=user, post=post)


def test_likes_fold_into_one_unread_notification_per_post(topic, member, other_member, third):
    post = topic.posts.get(number=1)
    like(other_member, post)
    like(third, post)
    row = Notification.objects.get(user=member, kind=Kind.LIKED)
    assert (row.actor, row.data) == (third, {"count": 2, "actor_ids": [third.pk, other_member.pk]})


def test_an_unlike_and_a_like_again_do_not_count_twice(topic, member, other_member):
    post = topic.posts.get(number=1)
    like(other_member, post)
    like(other_member, post)  # unlike
    like(other_member, post)  # like again
    row = Notification.objects.get(user=member, kind=Kind.LIKED)
    assert row.data["count"] == 1


def test_a_like_after_the_grouped_one_was_read_starts_a_new_one(topic, member, other_member, third):
    post = topic.posts.get(number=1)
    like(other_member, post)
    Notification.objects.filter(user=member).update(read_at="2026-01-01T00:00:00Z")
    like(third, post)
    rows = list(Notification.objects.filter(user=member, kind=Kind.LIKED).order_by("pk"))
    assert [(r.is_unread, r.data["count"]) for r in rows] == [(False, 1), (True, 1)]


def test_the_list_says_who_and_how_many_others_liked(client_for, topic, member, other_member, third):
    post = topic.posts.get(number=1)
    like(other_member, post)
    like(third, post)
    page = client_for(member).get("/notifications").content.decode()
    assert "Third" in page and "and 1 other liked your post" in page


# --- solutions and reading ---------------------------------------------------------------------


def test_an_accepted_solution_tells_the_answers_author(reply, topic, member, other_member):
    answer = reply(other_member, topic)
    Notification.objects.all().delete()
    services.topic_mark_solution(user=member, topic=topic, post=answer)
    assert kinds_for(other_member, answer) == [Kind.SOLUTION_ACCEPTED]
    services.topic_mark_solution(user=member, topic=topic, post=answer)  # the same again: no second one
    assert kinds_for(other_member, answer) == [Kind.SOLUTION_ACCEPTED]


def test_opening_one_notification_marks_only_it_read(client_for, reply, topic, member, other_member, third):
    first = reply(other_member, topic)
    second = reply(third, topic)
    one, other = (Notification.objects.get(user=member, post=p) for p in (first, second))
    response = client_for(member).post(f"/notifications/{one.pk}/open")
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.is_unread, other.is_unread) == (False, True)
    assert client_for(other_member).post(f"/notifications/{other.pk}/open").status_code == 404


def test_a_published_story_tells_the_blog_categorys_watchers(django_capture_on_commit_callbacks, member, other_member):
    from django.conf import settings

    from agora.blog import services as blog
    from agora.blog.services._common import BLOG_CATEGORY_SLUG
    from agora.discuss.models import Category
    from agora.groups.models import Group, Membership

    editor = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=editor)
    blog_category = Category.objects.get(slug=BLOG_CATEGORY_SLUG)
    notification_services.watch_set(user=other_member, category=blog_category, level=WatchLevel.WATCHING_FIRST_POST)
    story = blog.story_create(user=member, data={"title": "Trees", "lead": "We planted some.", "body": "Many."})
    story = blog.story_claim(user=editor, story=blog.story_submit(user=member, story=story))
    assert kinds_for(other_member) == []  # a story in review is nobody's news
    with django_capture_on_commit_callbacks(execute=True):
        story = blog.story_publish(user=editor, story=story)
    assert kinds_for(other_member) == [Kind.WATCHED_TOPIC]
    assert Notification.objects.get(user=other_member).topic_id == story.topic_id
