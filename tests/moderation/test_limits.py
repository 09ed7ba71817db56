"""New members' limits (Discourse's defaults) and the pace of posting: refused with a message that says
what to do and when the limit lifts, and the composer keeps every word.

The test settings turn these limits off (AGORA_POSTING_LIMITS=False) so other tests may post quickly
with level-0 people; each test here turns them on after building what it needs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora.core.rate_limits import RateLimited
from agora.discuss import services
from agora.discuss.models import Post, Topic
from agora.moderation import limits
from tests import factories

THREE_LINKS = "See https://a.example/ and https://b.example/ and https://c.example/ please."


@pytest.fixture
def newbie(db):
    return factories.UserFactory(username="Newbie", trust_level=0)


@pytest.fixture
def newbie_client(client_for, newbie):
    return client_for(newbie)


@pytest.fixture
def on(settings):
    settings.AGORA_POSTING_LIMITS = True
    return settings


def age_posts(user, seconds=3600):
    """Move the person's posts and topics back in time, past every pause."""
    past = timezone.now() - timedelta(seconds=seconds)
    Post.objects.filter(user=user).update(created_at=past)
    Topic.objects.filter(user=user).update(created_at=past)


def message_of(exc) -> str:
    return " ".join(exc.value.messages)


# --- what a post holds ----------------------------------------------------------------------


def test_a_new_member_may_put_two_links_but_not_three(on, newbie, topic):
    services.post_create(user=newbie, topic=topic, raw="Two: https://a.example/ and https://b.example/")
    age_posts(newbie)
    with pytest.raises(ValidationError) as exc:
        services.post_create(user=newbie, topic=topic, raw=THREE_LINKS)
    text = message_of(exc)
    assert "New members can put 2 links in a post (yours has 3)" in text
    assert "30 more posts" in text and "10 more minutes of reading" in text and "5 more topics" in text


def test_the_message_counts_what_is_left_to_read_from_the_settings(on, newbie, topic):
    on.AGORA_TL1_POSTS_READ = 12
    on.AGORA_TL1_MINUTES_READING = 3
    on.AGORA_TL1_TOPICS_ENTERED = 1
    with pytest.raises(ValidationError) as exc:
        services.post_create(user=newbie, topic=topic, raw=THREE_LINKS)
    assert "about 12 more posts, in 1 more topic, 3 more minutes of reading" in message_of(exc)


def test_links_to_this_site_and_mentions_are_not_counted_as_links(on, newbie, topic, member, other_member):
    raw = "See /t/x/1 and http://127.0.0.1:8000/latest and https://a.example/ and https://b.example/ @Member"
    services.post_create(user=newbie, topic=topic, raw=raw)


def test_a_new_member_may_mention_two_people_and_show_one_image(on, newbie, topic, member, other_member, moderator):
    with pytest.raises(ValidationError) as exc:
        services.post_create(user=newbie, topic=topic, raw="Hello @Member @Moderator and @Другой_участник")
    assert "New members can mention 2 people in a post (yours mentions 3)" in message_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            user=newbie, topic=topic, raw="![a](https://a.example/a.png) ![b](https://a.example/b.png)"
        )
    assert "New members can put 1 image in a post (yours has 2)" in message_of(exc)


def test_level_one_and_moderators_are_not_held_to_the_new_members_limits(on, member, moderator, topic):
    age_posts(member)
    services.post_create(user=member, topic=topic, raw=THREE_LINKS)
    services.post_create(user=moderator, topic=topic, raw=THREE_LINKS)


def test_an_edit_is_held_to_the_same_content_limits(on, newbie, topic):
    post = services.post_create(user=newbie, topic=topic, raw="No links yet.")
    with pytest.raises(ValidationError):
        services.post_edit(user=newbie, post=post, raw=THREE_LINKS)
    # An edit is not a new post: no pause applies to it.
    services.post_edit(user=newbie, post=post, raw="One link: https://a.example/")


# --- the pace of posting ----------------------------------------------------------------------


def test_a_new_member_waits_thirty_seconds_between_posts_others_five(on, newbie, member, topic):
    services.post_create(user=newbie, topic=topic, raw="First reply.")
    with pytest.raises(RateLimited) as exc:
        services.post_create(user=newbie, topic=topic, raw="Second reply.")
    assert exc.value.retry_after > 25
    assert "You can post again 30 seconds after your last post" in message_of(exc)
    Post.objects.filter(user=newbie).update(created_at=timezone.now() - timedelta(seconds=31))
    services.post_create(user=newbie, topic=topic, raw="Second reply.")

    age_posts(member)
    services.post_create(user=member, topic=topic, raw="A member's reply.")
    with pytest.raises(RateLimited) as exc:
        services.post_create(user=member, topic=topic, raw="And another.")
    assert exc.value.retry_after <= 5


def test_a_new_member_waits_two_minutes_between_topics(on, newbie, public_category):
    factories.make_topic(newbie, public_category, title="My first question here")
    age_posts(newbie, seconds=60)
    with pytest.raises(RateLimited) as exc:
        factories.make_topic(newbie, public_category, title="My second question here")
    assert "You can start a new topic 2 minutes after your last one: please wait 60 seconds." in message_of(exc)
    assert 55 <= exc.value.retry_after <= 60


def test_the_same_post_twice_within_five_minutes_is_refused(on, member, topic):
    age_posts(member)
    services.post_create(user=member, topic=topic, raw="Exactly the same words.")
    age_posts(member, seconds=60)
    with pytest.raises(ValidationError) as exc:
        services.post_create(user=member, topic=topic, raw="Exactly the same words.")
    assert "You posted exactly this a moment ago" in message_of(exc)
    age_posts(member, seconds=301)
    services.post_create(user=member, topic=topic, raw="Exactly the same words.")


def test_a_new_member_replies_three_times_in_a_row_in_one_topic(on, newbie, member, topic):
    for n in range(3):
        services.post_create(user=newbie, topic=topic, raw=f"Reply number {n}.")
        age_posts(newbie)
    with pytest.raises(ValidationError) as exc:
        services.post_create(user=newbie, topic=topic, raw="Reply number 4.")
    assert "New members can write 3 replies in a row in one topic: once someone answers" in message_of(exc)
    age_posts(member)
    services.post_create(user=member, topic=topic, raw="Welcome! Go on.")
    services.post_create(user=newbie, topic=topic, raw="Reply number 4.")


def test_the_first_day_allows_three_topics_and_ten_replies(on, public_category):
    for level in (0, 1):
        person = factories.UserFactory(trust_level=level, date_joined=timezone.now() - timedelta(hours=1))
        for n in range(3):
            factories.make_topic(person, public_category, title=f"Topic {n} of level {level}", raw=f"Body {n}")
            age_posts(person, seconds=200)
        with pytest.raises(RateLimited) as exc:
            factories.make_topic(person, public_category, title="One too many today", raw="Body")
        assert "On your first day you can start 3 topics; you can start more in" in message_of(exc)
        assert exc.value.retry_after > 22 * 3600
    topic = Topic.objects.first()
    replier = factories.UserFactory(trust_level=1, date_joined=timezone.now() - timedelta(hours=1))
    for n in range(10):
        services.post_create(user=replier, topic=topic, raw=f"Reply {n}.")
        age_posts(replier, seconds=60)
    with pytest.raises(RateLimited) as exc:
        services.post_create(user=replier, topic=topic, raw="Reply 11.")
    assert "On your first day you can write 10 replies" in message_of(exc)
    # After the first day, level 1 is free of it.
    type(replier).objects.filter(pk=replier.pk).update(date_joined=timezone.now() - timedelta(days=2))
    replier.refresh_from_db()
    services.post_create(user=replier, topic=topic, raw="Reply 11.")


def test_the_limits_are_off_with_the_setting(newbie, topic):
    services.post_create(user=newbie, topic=topic, raw=THREE_LINKS)
    services.post_create(user=newbie, topic=topic, raw=THREE_LINKS)


# --- private messages -------------------------------------------------------------------------


def test_a_new_member_writes_to_the_moderators_only(on, newbie, member):
    with pytest.raises(ValidationError) as exc:
        factories.make_message(newbie, to=[member])
    assert "New members can write privately to the moderators only" in message_of(exc)
    factories.make_message(newbie, groups=["moderators"])
    factories.make_message(member, to=[newbie])  # level 1 may


# --- the composer keeps every word ------------------------------------------------------------


def test_a_refused_reply_keeps_its_text_in_the_form(on, newbie_client, topic):
    response = newbie_client.post(f"/t/{topic.pk}/reply", {"raw": THREE_LINKS})
    assert response.status_code == 400
    page = response.content.decode()
    assert "New members can put 2 links in a post" in page
    assert "https://c.example/ please." in page
    assert not Post.objects.filter(raw=THREE_LINKS).exists()


def test_a_refused_htmx_reply_swaps_the_form_back_with_the_text(on, newbie_client, topic):
    response = newbie_client.post(f"/t/{topic.pk}/reply", {"raw": THREE_LINKS}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "https://c.example/ please." in response.content.decode()


def test_a_too_fast_htmx_reply_gets_429_with_retry_after(on, newbie, newbie_client, topic):
    services.post_create(user=newbie, topic=topic, raw="First reply.")
    response = newbie_client.post(f"/t/{topic.pk}/reply", {"raw": "My second thought."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert 25 <= int(response["Retry-After"]) <= 30
    page = response.content.decode()
    assert "please wait" in page and "My second thought." in page


def test_a_refused_new_topic_keeps_its_title_and_text(on, newbie_client, public_category):
    data = {"category": public_category.pk, "title": "A question with links", "raw": THREE_LINKS, "language": "en"}
    response = newbie_client.post("/new-topic", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New members can put 2 links in a post" in page
    assert "https://c.example/ please." in page and "A question with links" in page


def test_a_refused_edit_keeps_its_text(on, newbie, newbie_client, topic):
    post = services.post_create(user=newbie, topic=topic, raw="No links yet.")
    response = newbie_client.post(f"/p/{post.pk}/edit", {"raw": THREE_LINKS})
    assert response.status_code == 400
    assert "https://c.example/ please." in response.content.decode()
    post.refresh_from_db()
    assert post.raw == "No links yet."


def test_a_refused_message_keeps_its_text(on, newbie_client, member):
    data = {"to": "Member", "title": "Hello there friend", "raw": "Can we talk about the meetup?", "language": "en"}
    response = newbie_client.post("/messages/new", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New members can write privately to the moderators only" in page
    assert "Can we talk about the meetup?" in page


def test_too_many_posts_a_minute_get_429_with_the_text_kept(on, member, client_for, topic):
    on.AGORA_RATE_LIMITS_ENABLED = True
    on.AGORA_RATE_LIMITS = {**on.AGORA_RATE_LIMITS, "post": "2/m/user"}
    on.AGORA_SECONDS_BETWEEN_POSTS = 0
    client = client_for(member)
    for n in range(2):
        assert client.post(f"/t/{topic.pk}/reply", {"raw": f"Quick reply {n}"}).status_code == 302
    response = client.post(f"/t/{topic.pk}/reply", {"raw": "Quick reply 3"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Quick reply 3" in response.content.decode()


def test_counting_reads_the_rendered_html():
    counts = limits.count_content('<p><a href="https://x.example/">x</a> <a class="mention" href="/u/A">@A</a></p>')
    assert (counts.links, counts.mentions, counts.images) == (1, 1, 0)
