"""Flags: who may flag, what a flag weighs, when flags hide a post or silence a spammer, and what a
hidden post shows to whom."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.discuss import services as discuss_services
from agora.discuss.models import HiddenReason, Post, Topic
from agora.moderation import flags
from agora.moderation.models import Flag, ModeratorAction, ReviewItem
from agora.moderation.queries import flags_agreed_against
from agora.notifications.models import Notification
from tests.factories import UserFactory, make_category, make_reply, make_topic

pytestmark = pytest.mark.django_db

SECRET = "Buy cheap watches at spam.example"


@pytest.fixture
def category():
    return make_category("Lounge")


@pytest.fixture
def author():
    return UserFactory(username="Author", trust_level=1)


@pytest.fixture
def post(author, category):
    topic = make_topic(UserFactory(trust_level=1), category, title="A calm topic", raw="Hello everyone.")
    return make_reply(author, topic, raw=SECRET)


def level(n, **kw):
    return UserFactory(trust_level=n, **kw)


def test_a_flag_weighs_one_plus_the_flaggers_trust_level_and_staff_five():
    assert flags.flag_score(level(0)) == 1
    assert flags.flag_score(level(2)) == 3
    assert flags.flag_score(level(4)) == 5
    assert flags.flag_score(UserFactory(is_moderator=True, trust_level=1)) == 5
    assert flags.flag_score(UserFactory(is_staff=True, trust_level=0)) == 5


def test_the_accuracy_bonus_follows_discourse():
    assert flags.accuracy_bonus(5, 0) == 0  # too few resolved flags to say
    assert flags.accuracy_bonus(7, 3) == 0  # exactly on the 70% axis
    assert flags.accuracy_bonus(10, 0) == pytest.approx(8.3, abs=0.01)  # 5 * log4(10)
    assert flags.accuracy_bonus(0, 10) == pytest.approx(-8.3, abs=0.01)
    assert 0 < flags.accuracy_bonus(9, 1) < flags.accuracy_bonus(10, 0)


def test_a_flaggers_record_changes_the_weight_of_their_next_flag(category):
    good, poor = level(1), level(1)
    author = level(1)
    for _ in range(8):
        target = make_topic(author, category).posts.get()
        Flag.objects.create(flagger=good, post=target, kind=Flag.Kind.SPAM, status=Flag.Status.AGREED)
        Flag.objects.create(flagger=poor, post=target, kind=Flag.Kind.SPAM, status=Flag.Status.DISAGREED)
    assert flags.flag_score(good) > 2 > flags.flag_score(poor)
    assert flags.flag_score(poor) >= 0.5  # a poor record never makes a flag count against


def test_three_level_two_flags_hide_the_post_and_tell_its_author_why(post, author, client_for):
    flags.flag_post(user=level(2), post=post, kind=Flag.Kind.INAPPROPRIATE)
    flags.flag_post(user=level(2), post=post, kind=Flag.Kind.INAPPROPRIATE)
    post.refresh_from_db()
    assert post.hidden_at is None  # 6 points: not yet
    flags.flag_post(user=level(2), post=post, kind=Flag.Kind.OFF_TOPIC)
    post.refresh_from_db()
    assert post.hidden_at is not None and post.hidden_reason == HiddenReason.FLAGS
    item = ReviewItem.objects.get(post=post)
    assert item.score == 9 and item.status == ReviewItem.Status.PENDING and item.flags.count() == 3
    assert Notification.objects.filter(user=author, kind=Notification.Kind.POST_HIDDEN, post=post).exists()
    log = ModeratorAction.objects.get(action="post_hide")
    assert log.actor is None and log.subject_user == author

    url = post.topic.get_absolute_url()
    for viewer in (None, level(1)):
        body = client_for(viewer).get(url).content.decode()
        assert SECRET not in body
        assert "This post was hidden by members" in body
    body = client_for(author).get(url).content.decode()
    assert SECRET in body and "Editing it to address their concern sends it back" in body
    assert SECRET in client_for(UserFactory(is_moderator=True)).get(url).content.decode()


def test_four_level_one_flags_do_not_hide_but_five_do(post):
    for _ in range(4):
        flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC)
    post.refresh_from_db()
    assert post.hidden_at is None
    flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC)
    post.refresh_from_db()
    assert post.hidden_at is not None


def test_a_spam_flag_from_level_three_hides_a_new_members_post_at_once(category):
    newcomer = level(0)
    spam = make_topic(newcomer, category, title="Great offer for you", raw=SECRET).posts.get()
    flags.flag_post(user=level(3), post=spam, kind=Flag.Kind.SPAM)
    spam.refresh_from_db()
    assert spam.hidden_at is not None


def test_a_spam_flag_from_level_two_does_not(category):
    spam = make_topic(level(0), category, title="Great offer for you", raw=SECRET).posts.get()
    flags.flag_post(user=level(2), post=spam, kind=Flag.Kind.SPAM)
    spam.refresh_from_db()
    assert spam.hidden_at is None


def test_staff_posts_are_never_hidden_by_members_flags(category):
    moderator = UserFactory(is_moderator=True, trust_level=1)
    mod_post = make_topic(moderator, category, title="House rules here", raw="Be kind.").posts.get()
    for _ in range(5):
        flags.flag_post(user=level(4), post=mod_post, kind=Flag.Kind.INAPPROPRIATE)
    mod_post.refresh_from_db()
    assert mod_post.hidden_at is None
    assert ReviewItem.objects.get(post=mod_post).score == 25  # still queued for another moderator


def test_three_members_spam_flags_silence_a_new_member_pending_review(category):
    spammer = level(0)
    posts = [make_topic(spammer, category, title=f"Offer number {i}", raw=SECRET).posts.get() for i in range(3)]
    flaggers = [level(1) for _ in range(3)]
    flags.flag_post(user=flaggers[0], post=posts[0], kind=Flag.Kind.SPAM)
    flags.flag_post(user=flaggers[1], post=posts[1], kind=Flag.Kind.SPAM)
    spammer.refresh_from_db()
    assert not spammer.is_silenced
    flags.flag_post(user=flaggers[2], post=posts[0], kind=Flag.Kind.SPAM)
    spammer.refresh_from_db()
    assert spammer.is_silenced
    queued = ReviewItem.objects.get(kind=ReviewItem.Kind.QUEUED_USER, user=spammer)
    assert queued.silenced_by_flags and queued.is_pending
    assert ModeratorAction.objects.get(action="user_silence").actor is None
    assert Notification.objects.filter(user=spammer, kind=Notification.Kind.SILENCED).exists()


def test_a_level_one_member_is_never_auto_silenced(category):
    member = level(1)
    target = make_topic(member, category, title="Something I wrote", raw="Words.").posts.get()
    for _ in range(3):
        flags.flag_post(user=level(1), post=target, kind=Flag.Kind.SPAM)
    member.refresh_from_db()
    assert not member.is_silenced


# --- bad input: a clear message, nothing changes ------------------------------------------------


def test_members_below_level_one_cannot_flag(post, client_for):
    newcomer = level(0)
    with pytest.raises(ValidationError, match="trust level 1"):
        flags.flag_post(user=newcomer, post=post, kind=Flag.Kind.SPAM)
    client = client_for(newcomer)
    assert "Flags unlock at trust level 1" in client.get(f"/p/{post.pk}/flag").content.decode()
    response = client.post(f"/p/{post.pk}/flag", {"kind": "spam"})
    assert response.status_code == 400 and "Flags unlock at trust level 1" in response.content.decode()
    assert not Flag.objects.exists() and not ReviewItem.objects.exists()


def test_staff_may_flag_whatever_their_trust_level(post):
    assert flags.flag_post(user=UserFactory(is_moderator=True, trust_level=0), post=post, kind=Flag.Kind.SPAM)


def test_flagging_ones_own_post_is_refused(post, author, client_for):
    with pytest.raises(ValidationError, match="your own post"):
        flags.flag_post(user=author, post=post, kind=Flag.Kind.SPAM)
    response = client_for(author).post(f"/p/{post.pk}/flag", {"kind": "spam"})
    assert response.status_code == 400 and "cannot flag your own post" in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_twice_is_refused(post, client_for):
    flagger = level(1)
    client = client_for(flagger)
    response = client.post(f"/p/{post.pk}/flag", {"kind": "off_topic"})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.number}")
    response = client.post(f"/p/{post.pk}/flag", {"kind": "spam"}, follow=False)
    assert response.status_code == 400 and "flagged this post already" in response.content.decode()
    assert Flag.objects.get().kind == Flag.Kind.OFF_TOPIC
    assert ReviewItem.objects.get().score == 2


def test_flagging_a_post_one_cannot_see_is_404(client_for):
    staff = UserFactory(is_staff=True)
    room = make_category("Staff room", grants={"staff": 3})
    private = make_topic(staff, room, title="Staff only topic", raw="Secret words.").posts.get()
    client = client_for(level(2))
    assert client.get(f"/p/{private.pk}/flag").status_code == 404
    assert client.post(f"/p/{private.pk}/flag", {"kind": "spam"}).status_code == 404
    with pytest.raises(PermissionDenied):
        flags.flag_post(user=level(2), post=private, kind=Flag.Kind.SPAM)
    assert not Flag.objects.exists()


def test_flagging_needs_a_sign_in(post, client):
    response = client.get(f"/p/{post.pk}/flag")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_something_else_needs_a_message_and_keeps_what_was_chosen(post, client_for):
    response = client_for(level(1)).post(f"/p/{post.pk}/flag", {"kind": "other", "message": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say what is wrong" in body and 'value="other" required checked' in body
    assert not Flag.objects.exists()


def test_an_unknown_kind_is_refused(post, client_for):
    response = client_for(level(1)).post(f"/p/{post.pk}/flag", {"kind": "nonsense"})
    assert response.status_code == 400 and not Flag.objects.exists()


def test_the_form_lists_every_kind(post, client_for):
    body = client_for(level(1)).get(f"/p/{post.pk}/flag").content.decode()
    for kind in Flag.Kind.values:
        assert f'value="{kind}"' in body


def test_message_the_author_sends_a_private_message_and_no_flag(post, author, client_for):
    flagger = level(1)
    response = client_for(flagger).post(
        f"/p/{post.pk}/flag", {"kind": "message_author", "message": "Please drop the link."}
    )
    assert response.status_code == 302
    message = Topic.objects.get(is_message=True)
    assert set(message.participants.values_list("user_id", flat=True)) == {flagger.pk, author.pk}
    assert "Please drop the link." in message.posts.get().raw
    assert not Flag.objects.exists() and not ReviewItem.objects.exists()


def test_a_person_can_be_flagged_once_until_handled(author, client_for):
    flagger = level(1)
    client = client_for(flagger)
    assert client.get(f"/u/{author.username}/flag").status_code == 200
    response = client.post(f"/u/{author.username}/flag", {"kind": "harassment", "message": "Threats by mail."})
    assert response.status_code == 302
    item = ReviewItem.objects.get(kind=ReviewItem.Kind.QUEUED_USER, user=author)
    assert item.flags.get().message == "Threats by mail."
    response = client.post(f"/u/{author.username}/flag", {"kind": "spam"})
    assert response.status_code == 400 and Flag.objects.count() == 1
    assert client_for(author).post(f"/u/{author.username}/flag", {"kind": "spam"}).status_code == 400


def test_the_flag_link_shows_only_to_those_who_may_flag(post, author, client_for):
    url = post.topic.get_absolute_url()
    link = f'href="/p/{post.pk}/flag"'
    assert link in client_for(level(1)).get(url).content.decode()
    assert link not in client_for(level(0)).get(url).content.decode()
    assert link not in client_for(None).get(url).content.decode()
    assert link not in client_for(author).get(url).content.decode()  # one's own post
    profile = f"/u/{author.username}"
    assert f'href="{profile}/flag"' in client_for(level(1)).get(profile).content.decode()
    assert f'href="{profile}/flag"' not in client_for(level(0)).get(profile).content.decode()


def test_an_authors_edit_of_a_hidden_post_keeps_it_hidden_and_requeues_it(post, author):
    for _ in range(3):
        flags.flag_post(user=level(2), post=post, kind=Flag.Kind.INAPPROPRIATE)
    item = ReviewItem.objects.get(post=post)
    ReviewItem.objects.filter(pk=item.pk).update(status=ReviewItem.Status.APPROVED)  # agreed, kept hidden
    discuss_services.post_edit(user=author, post=Post.objects.get(pk=post.pk), raw="A calmer version.")
    post.refresh_from_db()
    assert post.hidden_at is not None
    pending = ReviewItem.objects.get(post=post, status=ReviewItem.Status.PENDING)
    assert pending.pk != item.pk
    # A second edit does not queue it twice.
    discuss_services.post_edit(user=author, post=Post.objects.get(pk=post.pk), raw="Calmer still.")
    assert ReviewItem.objects.filter(post=post, status=ReviewItem.Status.PENDING).count() == 1


def test_a_hidden_posts_text_leaks_nowhere_else(post, author, client_for, category):
    reader = level(1)
    discuss_services.bookmark_set(user=reader, post=post, note="")
    for _ in range(3):
        flags.flag_post(user=level(2), post=post, kind=Flag.Kind.SPAM)
    client = client_for(reader)
    pages = [
        f"/u/{author.username}/replies",
        f"/u/{author.username}",
        "/bookmarks",
        f"/t/{post.topic_id}/reply?quote={post.number}",
        "/notifications",
        "/latest",
    ]
    for url in pages:
        assert SECRET not in client.get(url).content.decode(), url
    assert client.get(f"/p/{post.pk}/revisions").status_code == 404
    assert SECRET in client_for(author).get(f"/u/{author.username}/replies").content.decode()
    assert client_for(author).get(f"/p/{post.pk}/revisions").status_code == 200


def test_a_hidden_solution_is_not_shown_in_the_solution_box(category, client_for):
    asker = level(1)
    topic = make_topic(asker, make_category("Help", accepts_solutions=True), title="How do I?", raw="Help.")
    answer = make_reply(level(1), topic, raw=SECRET)
    discuss_services.topic_mark_solution(user=asker, topic=topic, post=answer)
    for _ in range(3):
        flags.flag_post(user=level(2), post=answer, kind=Flag.Kind.SPAM)
    assert SECRET not in client_for(None).get(topic.get_absolute_url()).content.decode()


def test_flags_agreed_against_counts_flags_and_distinct_flaggers(post, author, category):
    other = make_topic(author, category, title="Another one here", raw="Text.").posts.get()
    a, b = level(1), level(1)
    Flag.objects.create(flagger=a, post=post, kind=Flag.Kind.SPAM, status=Flag.Status.AGREED)
    Flag.objects.create(flagger=a, post=other, kind=Flag.Kind.SPAM, status=Flag.Status.AGREED)
    Flag.objects.create(flagger=b, post=post, kind=Flag.Kind.SPAM, status=Flag.Status.DISAGREED)
    Flag.objects.create(flagger=b, target_user=author, kind=Flag.Kind.HARASSMENT, status=Flag.Status.AGREED)
    assert flags_agreed_against(author) == (3, 2)
    assert flags_agreed_against(a) == (0, 0)


def test_flagging_is_rate_limited_with_when_to_retry_and_nothing_recorded(category, client_for, settings):
    settings.AGORA_RATE_LIMITS_ENABLED = True
    settings.AGORA_RATE_LIMITS = {**settings.AGORA_RATE_LIMITS, "flag": "2/d/user"}
    flagger = level(1)
    client = client_for(flagger)
    posts = [make_topic(UserFactory(), category, title=f"Topic number {n}", raw="Words.").posts.get() for n in range(3)]
    for post in posts[:2]:
        assert client.post(f"/p/{post.pk}/flag", {"kind": "off_topic"}).status_code == 302
    response = client.post(f"/p/{posts[2].pk}/flag", {"kind": "other", "message": "Kept words"})
    body = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Please wait" in body and "Kept words" in body
    assert Flag.objects.count() == 2
