"""The review queue: who sees it, what each action does, a spam wave cleared in one pass, and two
moderators acting at once."""

import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from agora.discuss.models import CategoryGrant, HiddenReason, Post, Topic
from agora.groups.models import Group, Membership
from agora.moderation import flags, review
from agora.moderation.models import Flag, ModeratorAction, ReviewItem
from agora.notifications.models import Notification
from tests.factories import UserFactory, make_category, make_reply, make_topic

pytestmark = pytest.mark.django_db

SPAM = "Cheap pills at pills.example"


def level(n, **kw):
    return UserFactory(trust_level=n, **kw)


@pytest.fixture
def category():
    return make_category("Lounge")


@pytest.fixture
def mod():
    return UserFactory(username="Mod One", is_moderator=True, trust_level=3)


@pytest.fixture
def flagged(category):
    """A member's reply hidden by three level-2 flags."""
    author = level(1, username="Writer")
    topic = make_topic(level(1), category, title="A calm topic", raw="Hello.")
    post = make_reply(author, topic, raw="Something rude here.")
    for _ in range(3):
        flags.flag_post(user=level(2), post=post, kind=Flag.Kind.INAPPROPRIATE, message="Rude")
    return ReviewItem.objects.get(post=post)


def version_in(body: str, item: ReviewItem) -> int:
    match = re.search(rf'action="/review/{item.pk}".*?name="version" value="(\d+)"', body, re.S)
    assert match, "no form for this item"
    return int(match.group(1))


# --- who may see it ------------------------------------------------------------------------------


def test_members_and_visitors_get_404(client_for, flagged):
    assert client_for(level(4)).get("/review").status_code == 404
    assert client_for(None).get("/review").status_code == 302  # to log in
    assert client_for(level(4)).post(f"/review/{flagged.pk}", {"action": "agree", "version": 1}).status_code == 404
    flagged.refresh_from_db()
    assert flagged.is_pending


def test_a_moderator_sees_the_post_its_flags_and_its_authors_history(client_for, mod, flagged):
    body = client_for(mod).get("/review").content.decode()
    assert "Something rude here." in body
    assert body.count("<strong>Inappropriate</strong>") == 3 and "Rude" in body
    assert "Writer" in body and "trust level 1" in body and "1 post" in body
    assert "Agree: keep hidden" in body and "Disagree: restore" in body and "Ignore" in body


def test_the_header_shows_moderators_the_pending_count(client_for, mod, flagged):
    assert re.search(
        r'href="/review">Review <span class="badge new review-count">1', client_for(mod).get("/latest").content.decode()
    )
    assert 'href="/review"' not in client_for(level(4)).get("/latest").content.decode()


def test_pending_items_come_first_by_score(client_for, mod, category, flagged):
    lighter = make_topic(level(1), category, title="Another topic here", raw="Mild.").posts.get()
    flags.flag_post(user=level(1), post=lighter, kind=Flag.Kind.OFF_TOPIC)
    body = client_for(mod).get("/review").content.decode()
    assert body.index("Something rude here.") < body.index("Mild.")


# --- the actions ---------------------------------------------------------------------------------


def test_agree_keeps_the_post_hidden_and_tells_the_flaggers(client_for, mod, flagged):
    client = client_for(mod)
    version = version_in(client.get("/review").content.decode(), flagged)
    response = client.post(f"/review/{flagged.pk}", {"action": "agree", "version": version, "post_action": "keep"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == ReviewItem.Status.APPROVED and flagged.handled_by == mod
    assert set(flagged.flags.values_list("status", flat=True)) == {Flag.Status.AGREED}
    assert Notification.objects.filter(kind=Notification.Kind.FLAG_RESOLVED).count() == 3
    assert flagged.post.hidden_at is not None
    assert ModeratorAction.objects.filter(action="review_agree", actor=mod).count() == 1


def test_agree_and_delete_and_suspend_the_author(mod, flagged):
    review.review_agree(
        actor=mod,
        item=flagged,
        version=flagged.version,
        post_action="delete",
        penalty="suspend",
        days=7,
        reason="Abuse",
    )
    post = Post.objects.get(pk=flagged.post_id)
    assert post.deleted_at is not None
    post.user.refresh_from_db()
    assert post.user.is_suspended and post.user.suspend_reason == "Abuse"
    assert {"post_delete", "user_suspend", "review_agree"} <= set(
        ModeratorAction.objects.values_list("action", flat=True)
    )


def test_agree_hides_a_post_not_hidden_yet(mod, category):
    post = make_topic(level(1), category, title="Borderline topic", raw="Hmm.").posts.get()
    flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC)
    item = ReviewItem.objects.get(post=post)
    review.review_agree(actor=mod, item=item, version=item.version, post_action="hide")
    post.refresh_from_db()
    assert post.hidden_reason == HiddenReason.MODERATOR
    assert Notification.objects.filter(user=post.user, kind=Notification.Kind.POST_HIDDEN, actor=mod).exists()


def test_disagree_restores_the_post_and_lowers_the_flaggers_accuracy(mod, flagged):
    flagger = flagged.flags.first().flagger
    before = flags.flag_score(flagger)
    review.review_disagree(actor=mod, item=flagged, version=flagged.version)
    post = Post.objects.get(pk=flagged.post_id)
    assert post.hidden_at is None
    assert Notification.objects.filter(user=post.user, kind=Notification.Kind.POST_SHOWN).exists()
    assert set(Flag.objects.filter(review_item=flagged).values_list("status", flat=True)) == {Flag.Status.DISAGREED}
    # Five more disagreed flags and this flagger's next flag weighs less.
    for i in range(5):
        other = make_topic(level(1), post.topic.category, title=f"Topic number {i}", raw="Fine.").posts.get()
        flags.flag_post(user=flagger, post=other, kind=Flag.Kind.SPAM)
        item = ReviewItem.objects.get(post=other)
        review.review_disagree(actor=mod, item=item, version=item.version)
    assert flags.flag_score(flagger) < before


def test_ignore_leaves_the_post_as_it_is(mod, flagged):
    review.review_ignore(actor=mod, item=flagged, version=flagged.version)
    flagged.refresh_from_db()
    assert flagged.status == ReviewItem.Status.IGNORED and flagged.post.hidden_at is not None
    assert set(flagged.flags.values_list("status", flat=True)) == {Flag.Status.IGNORED}


def test_acting_on_a_handled_item_says_who_handled_it_and_changes_nothing(client_for, mod, flagged):
    review.review_ignore(actor=mod, item=flagged, version=flagged.version)
    other = UserFactory(username="Mod Two", is_moderator=True)
    response = client_for(other).post(
        f"/review/{flagged.pk}", {"action": "disagree", "version": flagged.version}, follow=True
    )
    assert "Already handled by Mod One" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == ReviewItem.Status.IGNORED and flagged.post.hidden_at is not None
    assert not ModeratorAction.objects.filter(actor=other).exists()


def test_a_group_moderator_cannot_silence(client_for, category):
    group = Group.objects.create(name="gardeners")
    room = make_category("Garden", grants={"everyone": CategoryGrant.Level.SEE, "members": CategoryGrant.Level.CREATE})
    room.group = group
    room.save()
    keeper = level(1)
    Membership.objects.create(group=group, user=keeper, is_moderator=True)
    post = make_topic(level(1), room, title="Weeds everywhere now", raw="Ugh.").posts.get()
    flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC)
    item = ReviewItem.objects.get(post=post)
    with pytest.raises(PermissionDenied):
        review.review_agree(actor=keeper, item=item, version=item.version, penalty="silence", days=3, reason="x")
    item.refresh_from_db()
    assert item.is_pending and not ModeratorAction.objects.exists()
    body = client_for(keeper).get("/review").content.decode()
    assert "Weeds everywhere now" in body and 'name="penalty"' not in body


def test_a_bad_action_or_period_changes_nothing(client_for, mod, flagged):
    client = client_for(mod)
    response = client.post(f"/review/{flagged.pk}", {"action": "explode", "version": 1}, follow=True)
    assert "not understood" in response.content.decode()
    with pytest.raises(ValidationError):
        review.review_agree(actor=mod, item=flagged, version=flagged.version, penalty="silence", days=0, reason="x")
    flagged.refresh_from_db()
    assert flagged.is_pending and not ModeratorAction.objects.filter(actor=mod).exists()


# --- held first posts ----------------------------------------------------------------------------


def hold(post: Post) -> ReviewItem:
    """As the new members' limits do: the post (and its topic, for an opening post) waits for approval."""
    Post.objects.filter(pk=post.pk).update(pending_approval=True)
    if post.number == 1:
        Topic.objects.filter(pk=post.topic_id).update(pending_approval=True)
    post.refresh_from_db()
    item = review.held_post_queue(post=post)
    assert item is not None
    assert review.held_post_queue(post=post) == item  # once
    return item


def test_approving_a_held_post_shows_it_and_tells_the_author(client_for, mod, category):
    newcomer = level(0)
    post = make_topic(newcomer, category, title="My first topic here", raw="Hi all.").posts.get()
    item = hold(post)
    client = client_for(mod)
    body = client.get("/review").content.decode()
    assert "Hi all." in body and "Approve" in body
    client.post(f"/review/{item.pk}", {"action": "approve", "version": version_in(body, item)})
    post.refresh_from_db()
    assert not post.pending_approval and not post.topic.pending_approval
    assert Notification.objects.filter(user=newcomer, kind=Notification.Kind.POST_APPROVED).exists()
    assert ModeratorAction.objects.filter(action="post_approve").exists()


def test_rejecting_a_held_post_deletes_it_and_tells_the_author(mod, category):
    newcomer = level(0)
    topic = make_topic(level(1), category, title="Welcome thread", raw="Say hi.")
    post = make_reply(newcomer, topic, raw=SPAM)
    item = hold(post)
    review.post_reject(actor=mod, item=item, version=item.version)
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert Notification.objects.filter(user=newcomer, kind=Notification.Kind.POST_REJECTED).exists()


def test_a_held_post_joins_the_queue_when_it_is_written(mod, category, settings):
    settings.AGORA_HOLD_FIRST_POSTS = 1  # the new members' limits hold it; the queue takes it
    post = make_topic(level(0), category, title="Held by the limits", raw="Hello.").posts.get()
    assert post.pending_approval
    assert ReviewItem.objects.get(kind=ReviewItem.Kind.HELD_POST).post == post


# --- a spam wave -------------------------------------------------------------------------------


def test_a_spam_wave_is_hidden_by_flags_and_cleared_in_the_queue_in_one_pass(client_for, mod, category):
    spammers = [level(0, username=f"Spammer {i}") for i in range(2)]
    regulars = [level(3) for _ in range(3)]
    spam = [
        make_topic(s, category, title=f"Offer {i} from {s.pk}", raw=f"{SPAM} {i}").posts.get()
        for s in spammers
        for i in range(2)
    ]
    for post in spam:
        for regular in regulars:
            flags.flag_post(user=regular, post=post, kind=Flag.Kind.SPAM)
    # Every spam post hidden at once (a level-3 spam flag on a level-0 author), both spammers silenced.
    assert Post.objects.filter(pk__in=[p.pk for p in spam], hidden_at__isnull=False).count() == 4
    for spammer in spammers:
        spammer.refresh_from_db()
        assert spammer.is_silenced
    for viewer in (None, level(1)):
        assert SPAM not in client_for(viewer).get(f"/c/{category.slug}").content.decode()
        assert SPAM not in client_for(viewer).get(spam[0].topic.get_absolute_url()).content.decode()

    # One pass through the queue: agree on each queued spammer, deleting their flagged posts.
    client = client_for(mod)
    body = client.get("/review").content.decode()
    queued = list(ReviewItem.objects.filter(kind=ReviewItem.Kind.QUEUED_USER))
    assert len(queued) == 2
    for item in queued:
        response = client.post(
            f"/review/{item.pk}", {"action": "agree", "version": version_in(body, item), "post_action": "delete"}
        )
        assert response.status_code == 302
    assert not ReviewItem.objects.filter(status=ReviewItem.Status.PENDING).exists()
    assert Post.objects.filter(pk__in=[p.pk for p in spam], deleted_at__isnull=True).count() == 0
    for spammer in spammers:
        spammer.refresh_from_db()
        assert spammer.is_silenced  # kept
    assert "Nothing waiting for review." in client.get("/review").content.decode()


def test_disagreeing_with_the_flags_lifts_the_silence_they_caused(mod, category):
    newcomer = level(0)
    posts = [
        make_topic(newcomer, category, title=f"Honest topic {i}", raw="Real question.").posts.get() for i in range(3)
    ]
    for post in posts:
        flags.flag_post(user=level(1), post=post, kind=Flag.Kind.SPAM)
    newcomer.refresh_from_db()
    assert newcomer.is_silenced
    item = ReviewItem.objects.get(post=posts[0])
    review.review_disagree(actor=mod, item=item, version=item.version)
    newcomer.refresh_from_db()
    assert not newcomer.is_silenced
    assert ReviewItem.objects.get(kind=ReviewItem.Kind.QUEUED_USER).status == ReviewItem.Status.REJECTED


# --- two moderators at once ------------------------------------------------------------------------


def test_two_moderators_acting_at_once_the_second_is_told_and_nothing_doubles(client_for, mod, flagged):
    other = UserFactory(username="Mod Two", is_moderator=True)
    first, second = client_for(mod), client_for(other)
    # Both open the queue before either acts: they hold the same version.
    v1 = version_in(first.get("/review").content.decode(), flagged)
    v2 = version_in(second.get("/review").content.decode(), flagged)
    assert v1 == v2
    first.post(f"/review/{flagged.pk}", {"action": "agree", "version": v1, "post_action": "delete"})
    response = second.post(f"/review/{flagged.pk}", {"action": "disagree", "version": v2}, follow=True)
    assert "Already handled by Mod One" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == ReviewItem.Status.APPROVED and flagged.version == v1 + 1
    assert ModeratorAction.objects.filter(action__startswith="review_").count() == 1
    assert ModeratorAction.objects.filter(action="post_delete").count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.FLAG_RESOLVED).count() == 3
    assert Post.objects.get(pk=flagged.post_id).hidden_at is not None  # not restored by the second


# serialized_rollback: a transactional test empties the database; the automatic groups must come back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="real concurrent transactions need PostgreSQL")
def test_on_postgresql_two_concurrent_transactions_claim_an_item_once(category):  # pragma: no cover
    mod_a, mod_b = UserFactory(is_moderator=True), UserFactory(is_moderator=True)
    post = make_topic(level(1), category, title="Race topic here", raw="Text.").posts.get()
    flags.flag_post(user=level(1), post=post, kind=Flag.Kind.SPAM)
    item = ReviewItem.objects.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(actor):
        try:
            barrier.wait()
            review.review_ignore(actor=actor, item=item, version=item.version)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("handled")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(m,)) for m in (mod_a, mod_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["handled", "ok"]
    assert ModeratorAction.objects.filter(action="review_ignore").count() == 1


# --- group moderators ------------------------------------------------------------------------------


@pytest.fixture
def two_gardens():
    """Two groups, each owning a category it moderates; a flagged post in each."""
    out = {}
    for name in ("roses", "tulips"):
        group = Group.objects.create(name=name)
        room = make_category(
            f"{name.title()} bed", grants={"everyone": CategoryGrant.Level.SEE, "members": CategoryGrant.Level.CREATE}
        )
        room.group = group
        room.save()
        keeper = level(1, username=f"{name} keeper")
        Membership.objects.create(group=group, user=keeper, is_moderator=True)
        post = make_topic(level(1), room, title=f"About {name} and more", raw=f"The {name} post text.").posts.get()
        flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC)
        out[name] = (keeper, ReviewItem.objects.get(post=post))
    return out


def test_a_group_moderator_sees_only_their_groups_categories(client_for, two_gardens, category):
    keeper, mine = two_gardens["roses"]
    _other_keeper, theirs = two_gardens["tulips"]
    spammer = level(0)
    flags.flag_user(user=level(1), target=spammer, kind=Flag.Kind.SPAM)  # people: site moderators only
    client = client_for(keeper)
    body = client.get("/review").content.decode()
    assert "The roses post text." in body
    assert "The tulips post text." not in body and spammer.username not in body
    assert client.post(f"/review/{theirs.pk}", {"action": "ignore", "version": theirs.version}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_pending
    with pytest.raises(PermissionDenied):
        review.review_ignore(actor=keeper, item=theirs, version=theirs.version)
    response = client.post(f"/review/{mine.pk}", {"action": "ignore", "version": mine.version})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ReviewItem.Status.IGNORED


# --- query budget --------------------------------------------------------------------------------


def _flag_posts(category, n):
    for i in range(n):
        post = make_topic(level(1), category, title=f"Flagged topic {i}", raw=f"Text {i}.").posts.get()
        for _ in range(2):
            flags.flag_post(user=level(1), post=post, kind=Flag.Kind.OFF_TOPIC, message="Why")
    flags.flag_user(user=level(1), target=level(0), kind=Flag.Kind.SPAM)


def test_the_queue_runs_a_fixed_number_of_queries(client_for, mod, category, django_assert_max_num_queries):
    client = client_for(mod)
    _flag_posts(category, 1)
    client.get("/review")  # warm the session and the permission caches
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as one:
        assert client.get("/review").status_code == 200
    _flag_posts(category, 19)
    with CaptureQueriesContext(conn) as twenty:
        body = client.get("/review").content.decode()
    assert body.count('class="review-item') == 22  # 20 posts and 2 people
    assert len(twenty.captured_queries) == len(one.captured_queries)
    with django_assert_max_num_queries(10):
        client.get("/review")


def test_a_hidden_opening_post_takes_its_topic_out_of_the_lists_until_shown_again(client_for, mod, category):
    newcomer = level(0)
    topic = make_topic(newcomer, category, title="Unbeatable watch prices", raw=SPAM)
    flags.flag_post(user=level(3), post=topic.posts.get(), kind=Flag.Kind.SPAM)
    topic.refresh_from_db()
    assert topic.unlisted
    assert "Unbeatable watch prices" not in client_for(None).get("/latest").content.decode()
    item = ReviewItem.objects.get(post__topic=topic)
    review.review_disagree(actor=mod, item=item, version=item.version)
    topic.refresh_from_db()
    assert not topic.unlisted
    assert "Unbeatable watch prices" in client_for(None).get("/latest").content.decode()


def test_a_topic_a_moderator_unlisted_stays_unlisted_when_its_post_is_shown(mod, category):
    topic = make_topic(level(1), category, title="Quiet announcement here", raw="Text.")
    Topic.objects.filter(pk=topic.pk).update(unlisted=True)
    for _ in range(3):
        flags.flag_post(user=level(2), post=topic.posts.get(), kind=Flag.Kind.OFF_TOPIC)
    item = ReviewItem.objects.get(post__topic=topic)
    assert not item.unlisted_topic
    review.review_disagree(actor=mod, item=item, version=item.version)
    topic.refresh_from_db()
    assert topic.unlisted
