"""The blog's editorial workflow: who may move a story where, what each move records, and the topic
that publishing opens (and unpublishing hides)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agora.blog import services
from agora.blog.models import Story, StoryEvent
from agora.blog.tasks import publish_due_stories
from agora.discuss.models import Category
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories

State = Story.State


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Author", trust_level=1)


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=user)
    return user


@pytest.fixture
def story(author):
    return services.story_create(
        user=author, data={"title": "Our first meetup", "lead": "Forty people came.", "body": "It was **great**."}
    )


def submitted(story, author):
    return services.story_submit(user=author, story=story)


def in_review(story, author, editor):
    return services.story_claim(user=editor, story=submitted(story, author))


def published(story, author, editor):
    return services.story_publish(user=editor, story=in_review(story, author, editor))


def states(story):
    return list(StoryEvent.objects.filter(story=story).values_list("from_state", "to_state", "user__username"))


# --- create and edit -------------------------------------------------------------------------------


def test_create_makes_a_draft_with_its_author(story, author):
    assert story.state == State.DRAFT
    assert list(story.authors.all()) == [author]
    assert story.created_by == author
    # Until it is published a story's address is a token: one made from its title would tell others,
    # by the suffix theirs got, that a story of that title exists.
    assert story.slug.startswith("draft-") and "meetup" not in story.slug
    assert "<strong>great</strong>" in story.body_html


def test_publishing_makes_the_address_from_the_title_unique_among_stories(story, author, editor):
    first = published(story, author, editor)
    again = services.story_create(user=author, data={"title": "Our first meetup", "lead": "L", "body": "B"})
    assert first.slug == "our-first-meetup"
    assert again.slug != first.slug and again.slug.startswith("draft-")
    assert published(again, author, editor).slug == "our-first-meetup-2"


def test_create_refuses_an_empty_title(author):
    with pytest.raises(ValidationError):
        services.story_create(user=author, data={"title": " ", "lead": "L", "body": "B"})


def test_author_edits_a_draft_and_a_revision_is_kept(story, author):
    services.story_update(user=author, story=story, data={"body": "New text."})
    story.refresh_from_db()
    assert story.body == "New text."
    assert story.version == 2
    revision = story.revisions.get()
    assert (revision.number, revision.body, revision.user) == (1, "It was **great**.", author)


def test_outsider_cannot_edit(story, outsider):
    with pytest.raises(PermissionDenied):
        services.story_update(user=outsider, story=story, data={"body": "Mine now."})


def test_editor_cannot_touch_someone_elses_draft(story, editor):
    with pytest.raises(PermissionDenied):
        services.story_update(user=editor, story=story, data={"body": "Edited."})


def test_author_cannot_edit_once_submitted_but_editor_can(story, author, editor):
    submitted(story, author)
    with pytest.raises(ValidationError):
        services.story_update(user=author, story=story, data={"body": "Sneaky."})
    services.story_update(user=editor, story=story, data={"body": "Copy-edited."})
    story.refresh_from_db()
    assert story.body == "Copy-edited."


# --- transitions -----------------------------------------------------------------------------------


def test_submit_claim_request_changes_resubmit(story, author, editor):
    in_review(story, author, editor)
    services.story_request_changes(user=editor, story=story, reason="Add a photo.")
    story.refresh_from_db()
    assert story.state == State.CHANGES_REQUESTED
    services.story_update(user=author, story=story, data={"lead": "Forty-two people came."})
    services.story_submit(user=author, story=story)
    story.refresh_from_db()
    assert story.state == State.SUBMITTED
    assert story.claimed_by == editor
    assert states(story) == [
        ("draft", "submitted", "Author"),
        ("submitted", "in_review", "Editor"),
        ("in_review", "changes_requested", "Editor"),
        ("changes_requested", "submitted", "Author"),
    ]
    assert StoryEvent.objects.get(to_state="changes_requested").reason == "Add a photo."


def test_outsider_cannot_submit(story, outsider):
    with pytest.raises(PermissionDenied):
        services.story_submit(user=outsider, story=story)


def test_submitting_twice_is_refused(story, author):
    submitted(story, author)
    with pytest.raises(ValidationError):
        services.story_submit(user=author, story=story)


@pytest.mark.parametrize("action", ["claim", "publish", "schedule", "request_changes", "decline"])
def test_editorial_moves_are_for_editors_only(story, author, action):
    submitted(story, author)
    kwargs = {
        "claim": {},
        "publish": {},
        "schedule": {"at": timezone.now() + timedelta(days=1)},
        "request_changes": {"reason": "No."},
        "decline": {"reason": "No."},
    }[action]
    with pytest.raises(PermissionDenied):  # the author is no editor
        getattr(services, f"story_{action}")(user=author, story=story, **kwargs)
    assert Story.objects.get(pk=story.pk).state == State.SUBMITTED


def test_staff_are_editors(story, author, staff):
    submitted(story, author)
    services.story_claim(user=staff, story=story)
    assert Story.objects.get(pk=story.pk).state == State.IN_REVIEW


def test_editor_cannot_claim_a_draft(story, editor):
    with pytest.raises(ValidationError):
        services.story_claim(user=editor, story=story)


def test_request_changes_needs_a_reason(story, author, editor):
    in_review(story, author, editor)
    with pytest.raises(ValidationError):
        services.story_request_changes(user=editor, story=story, reason="  ")


def test_declining_needs_a_reason(story, author, editor):
    in_review(story, author, editor)
    with pytest.raises(ValidationError, match="Say why"):
        services.story_decline(user=editor, story=story, reason="")
    services.story_decline(user=editor, story=story, reason="Off topic.")
    story.refresh_from_db()
    assert (story.state, story.decline_reason) == (State.DECLINED, "Off topic.")
    assert states(story)[-1] == ("in_review", "declined", "Editor")


def test_a_declined_story_cannot_be_published(story, author, editor):
    in_review(story, author, editor)
    services.story_decline(user=editor, story=story, reason="Off topic.")
    with pytest.raises(ValidationError):
        services.story_publish(user=editor, story=story)


def test_schedule_in_the_past_is_refused(story, author, editor):
    in_review(story, author, editor)
    with pytest.raises(ValidationError, match="has passed"):
        services.story_schedule(user=editor, story=story, at=timezone.now() - timedelta(minutes=1))
    assert Story.objects.get(pk=story.pk).state == State.IN_REVIEW


def test_schedule_in_the_future(story, author, editor):
    in_review(story, author, editor)
    at = timezone.now() + timedelta(hours=2)
    services.story_schedule(user=editor, story=story, at=at)
    story.refresh_from_db()
    assert (story.state, story.scheduled_at) == (State.SCHEDULED, at)
    assert story.topic is None


# --- publishing and its topic ----------------------------------------------------------------------


def test_publish_opens_a_topic_in_the_blog_category(story, author, editor, client):
    blog = Category.objects.get(slug="blog")
    before = (blog.topic_count, blog.post_count)
    published(story, author, editor)
    story.refresh_from_db()
    assert story.state == State.PUBLISHED
    assert story.published_at is not None
    topic = story.topic
    assert (topic.category, topic.user, topic.title) == (blog, author, "Our first meetup")
    first = topic.posts.get(number=1)
    assert "Forty people came." in first.html
    assert 'href="/blog/our-first-meetup"' in first.html
    blog.refresh_from_db()
    assert (blog.topic_count, blog.post_count) == (before[0] + 1, before[1] + 1)
    assert client.get(topic.get_absolute_url()).status_code == 200  # a visitor sees it
    assert states(story)[-1] == ("in_review", "published", "Editor")


def test_members_may_reply_but_not_open_topics_in_the_blog_category(member):
    from agora import permissions

    blog = Category.objects.get(slug="blog")
    assert not permissions.can(member, "create_topic", blog)


def test_unpublish_hides_the_topic_and_republish_restores_it(story, author, editor, client, member):
    published(story, author, editor)
    story.refresh_from_db()
    topic = story.topic
    factories.make_reply(member, topic, raw="Lovely!")
    blog = Category.objects.get(slug="blog")
    counts = (blog.topic_count, blog.post_count)

    with pytest.raises(ValidationError):
        services.story_unpublish(user=editor, story=story, reason="")
    services.story_unpublish(user=editor, story=story, reason="Legal asked us to.")
    story.refresh_from_db()
    assert story.state == State.UNPUBLISHED
    assert client.get(topic.get_absolute_url()).status_code == 404
    blog.refresh_from_db()
    assert (blog.topic_count, blog.post_count) == (counts[0] - 1, counts[1] - 2)

    first_published_at = story.published_at
    services.story_publish(user=editor, story=story)
    story.refresh_from_db()
    assert story.state == State.PUBLISHED
    assert story.topic_id == topic.pk  # the same topic, with its comments
    assert story.published_at == first_published_at
    assert client.get(topic.get_absolute_url()).status_code == 200
    blog.refresh_from_db()
    assert (blog.topic_count, blog.post_count) == counts


def test_outsider_cannot_unpublish(story, author, editor, outsider):
    published(story, author, editor)
    with pytest.raises(PermissionDenied):
        services.story_unpublish(user=outsider, story=story, reason="Because.")


def test_title_edit_of_a_published_story_renames_its_topic(story, author, editor):
    published(story, author, editor)
    with pytest.raises(ValidationError):  # authors ask the editors once it is out
        services.story_update(user=author, story=story, data={"title": "Mine"})
    services.story_update(user=editor, story=story, data={"title": "Our first big meetup"})
    story.refresh_from_db()
    assert story.topic.title == "Our first big meetup"
    assert story.slug == "our-first-meetup"  # the story's address does not move
    assert story.revisions.get().title == "Our first meetup"


# --- scheduled publishing --------------------------------------------------------------------------


def test_publish_due_stories_publishes_only_due_ones_and_twice_is_safe(author, editor):
    def scheduled(title, at):
        s = services.story_create(user=author, data={"title": title, "lead": "L", "body": "B"})
        in_review(s, author, editor)
        return services.story_schedule(user=editor, story=s, at=at)

    due = scheduled("Due", timezone.now() + timedelta(seconds=30))
    later = scheduled("Later", timezone.now() + timedelta(days=1))
    Story.objects.filter(pk=due.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))  # time passes

    assert publish_due_stories.call() == [due.pk]
    assert publish_due_stories.call() == []
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (State.PUBLISHED, State.SCHEDULED)
    assert due.topic is not None and later.topic is None
    assert StoryEvent.objects.filter(story=due, to_state=State.PUBLISHED).count() == 1
    assert StoryEvent.objects.get(story=due, to_state=State.PUBLISHED).user is None  # the scheduler


# --- translations and comments ---------------------------------------------------------------------


def test_translation_of_itself_is_refused(story, author):
    with pytest.raises(ValidationError, match="itself"):
        services.story_link_translation(user=author, story=story, original=story)


def test_translation_of_a_translation_points_at_the_original(story, author):
    german = services.story_create(user=author, data={"title": "Treffen", "lead": "L", "body": "B", "language": "de"})
    french = services.story_create(user=author, data={"title": "Réunion", "lead": "L", "body": "B", "language": "fr"})
    services.story_link_translation(user=author, story=german, original=story)
    services.story_link_translation(user=author, story=french, original=german)
    french.refresh_from_db()
    assert french.translation_of == story
    with pytest.raises(ValidationError):  # the original cannot become a translation of its own translation
        services.story_link_translation(user=author, story=story, original=german)


def test_outsider_cannot_link_translations(story, outsider, author):
    other = services.story_create(user=author, data={"title": "Treffen", "lead": "L", "body": "B", "language": "de"})
    with pytest.raises(PermissionDenied):
        services.story_link_translation(user=outsider, story=other, original=story)


def test_editorial_comments(story, author, editor, outsider):
    with pytest.raises(PermissionDenied):  # a draft is the author's alone
        services.editorial_comment_add(user=editor, story=story, raw="Hi")
    submitted(story, author)
    comment = services.editorial_comment_add(user=editor, story=story, raw="Nice **start**")
    assert "<strong>start</strong>" in comment.html
    services.editorial_comment_add(user=author, story=story, raw="Thanks")
    with pytest.raises(PermissionDenied):
        services.editorial_comment_add(user=outsider, story=story, raw="Me too")
    with pytest.raises(ValidationError):
        services.editorial_comment_add(user=author, story=story, raw="  ")


# --- notifications and the smaller moves ---------------------------------------------------------------


def _told(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", "actor__username"))


def test_a_submission_tells_the_board_and_a_resubmission_only_the_editor_reviewing_it(story, author, editor):
    other = factories.UserFactory(username="Other editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=other)
    submitted(story, author)
    assert _told(editor) == _told(other) == [("story_submitted", "Author")]
    services.story_claim(user=editor, story=story)
    services.story_request_changes(user=editor, story=story, reason="A photo, please.")
    services.story_submit(user=author, story=story)
    assert _told(editor) == [("story_submitted", "Author"), ("story_submitted", "Author")]
    assert _told(other) == [("story_submitted", "Author")]
    assert _told(author) == [("story_claimed", "Editor"), ("story_changes", "Editor")]


def test_a_scheduled_story_published_by_the_worker_tells_its_authors(story, author, editor):
    services.story_schedule(user=editor, story=in_review(story, author, editor), at=timezone.now() + timedelta(hours=1))
    services.stories_publish_due(now=timezone.now() + timedelta(hours=2))
    assert _told(author)[-2:] == [("story_scheduled", "Editor"), ("story_published", None)]


def test_an_incomplete_draft_cannot_be_sent(author):
    draft = services.story_create(user=author, data={"title": "Only a title"})
    with pytest.raises(ValidationError) as refused:
        services.story_submit(user=author, story=draft)
    assert refused.value.code == "incomplete"
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_submitted_story_can_be_taken_back_until_claimed(story, author, editor):
    services.story_withdraw(user=author, story=submitted(story, author))
    story.refresh_from_db()
    assert story.state == State.DRAFT
    in_review(story, author, editor)
    with pytest.raises(ValidationError):
        services.story_withdraw(user=author, story=story)


def test_one_featured_story_at_a_time_and_unpublishing_unfeatures(story, author, editor):
    first = published(story, author, editor)
    second = services.story_create(user=author, data={"title": "Second", "lead": "L", "body": "B"})
    second = published(second, author, editor)
    services.story_feature(user=editor, story=first, featured=True)
    services.story_feature(user=editor, story=second, featured=True)
    assert list(Story.objects.filter(featured=True)) == [second]
    services.story_unpublish(user=editor, story=second, reason="Wrong date.")
    assert not Story.objects.filter(featured=True).exists()
    with pytest.raises(PermissionDenied):
        services.story_feature(user=author, story=first, featured=True)


def test_authors_are_set_with_at_least_one_active_person(story, author, outsider):
    with pytest.raises(ValidationError):
        services.story_set_authors(user=author, story=story, authors=[])
    gone = factories.UserFactory(username="Gone", is_active=False)
    with pytest.raises(ValidationError):
        services.story_set_authors(user=author, story=story, authors=[author, gone])
    with pytest.raises(PermissionDenied):
        services.story_set_authors(user=outsider, story=story, authors=[outsider])
    services.story_set_authors(user=author, story=story, authors=[author, outsider])
    assert set(story.authors.all()) == {author, outsider}


def test_a_story_speaks_only_for_a_group_its_author_is_in(author):
    group = Group.objects.create(name="wiki-lagos", full_name="Wiki Lagos")
    data = {"title": "From Lagos", "lead": "L", "body": "B", "group": group}
    with pytest.raises(ValidationError):
        services.story_create(user=author, data=data)
    Membership.objects.create(group=group, user=author)
    assert services.story_create(user=author, data=data).group == group


def test_quick_edits_by_one_person_make_one_revision_and_anothers_edit_a_new_one(story, author, editor):
    for body in ("One.", "Two.", "Three."):
        services.story_update(user=author, story=story, data={"body": body})
    assert story.revisions.count() == 1
    services.story_submit(user=author, story=story)
    services.story_update(user=editor, story=story, data={"body": "Four."})
    # Each revision keeps the text an edit replaced, with who made that edit.
    assert list(story.revisions.values_list("body", "user__username")) == [
        ("It was **great**.", "Author"),
        ("Three.", "Editor"),
    ]


def test_the_address_comes_from_the_title_at_first_publication_and_stays(story, author, editor):
    services.story_update(user=author, story=story, data={"title": "Our second meetup"})
    published(story, author, editor)
    story.refresh_from_db()
    assert story.slug == "our-second-meetup"
    services.story_update(user=editor, story=story, data={"title": "Our great second meetup"})
    services.story_unpublish(user=editor, story=story, reason="A mistake.")
    services.story_publish(user=editor, story=story)
    story.refresh_from_db()
    assert story.slug == "our-second-meetup"


@pytest.mark.parametrize("title", ["Submit", "Review", "2026", "draft-abc"])
def test_a_story_never_takes_a_reserved_address(author, editor, title):
    story = services.story_create(user=author, data={"title": title, "lead": "L", "body": "B"})
    story = published(story, author, editor)
    assert story.slug not in services.RESERVED_SLUGS and not story.slug.isdigit()
    assert not story.slug.startswith("draft-")
