"""What a review of the editorial side found, each kept fixed: names that must not reach editors or
co-authors (a hidden group, a story someone may not open, a draft's title through its address),
notifications that outlive access, moderators and an unpublished story's discussion, autosave on a
story readers see, text lost when a story moves on mid-edit, and bad input that once gave a 500."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agora.blog import services
from agora.blog.forms import process_cover
from agora.blog.models import Story
from agora.discuss import services as discuss
from agora.discuss.diff import revision_diff
from agora.discuss.models import Category
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories
from tests.core.test_markdown import _calls

State = Story.State
TEXT = {"title": "Forty people at our first meetup", "lead": "It went well.", "body": "We met in **Lyon**."}


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Writer", trust_level=1)


@pytest.fixture
def coauthor(db):
    return factories.UserFactory(username="Cowriter", trust_level=1)


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=user)
    return user


@pytest.fixture
def hidden(author):
    group = Group.objects.create(name="secret-cell", full_name="Secret cell", visibility=Group.Visibility.GROUP)
    Membership.objects.create(group=group, user=author, is_owner=True)
    return group


def _submitted(author, **extra):
    return services.story_submit(user=author, story=services.story_create(user=author, data={**TEXT, **extra}))


def _published(author, editor, **extra):
    return services.story_publish(user=editor, story=_submitted(author, **extra))


# --- names that must not reach people who may not know them -------------------------------------------


def test_the_desk_and_the_form_never_name_a_hidden_group_to_editors_or_co_authors(
    client_for, author, editor, hidden, outsider
):
    story = _submitted(author, group=hidden)
    for url in (story.desk_url(), f"{story.desk_url()}/edit", story.get_absolute_url()):
        body = client_for(editor).get(url).content
        assert b"secret-cell" not in body and b"Secret cell" not in body, url
    services.story_request_changes(user=editor, story=story, reason="More, please.")
    services.story_set_authors(user=author, story=story, authors=[author, outsider])
    body = client_for(outsider).get(story.desk_url()).content
    assert b"secret-cell" not in body and b"Secret cell" not in body
    # The editor's save leaves the group as it was, unnamed.
    client_for(editor).post(
        f"{story.desk_url()}/edit", {**TEXT, "body": "Edited.", "kind": "news", "language": "en", "intent": "save"}
    )
    story.refresh_from_db()
    assert story.group == hidden and story.body == "Edited."
    # Its members see it.
    assert b"Secret cell" in client_for(author).get(story.desk_url()).content


def test_the_story_page_names_its_group_to_those_who_may_see_it(client_for, author, editor, member):
    public = Group.objects.create(name="wiki-lyon", full_name="Wiki Lyon")
    Membership.objects.create(group=public, user=author)
    story = _published(author, editor, group=public)
    assert b"Wiki Lyon" in client_for(member).get(story.get_absolute_url()).content
    assert b"Wiki Lyon" in client_for(None).get(story.get_absolute_url()).content


def test_a_translation_link_never_reaches_a_story_the_linker_may_not_open(client_for, author, coauthor, editor):
    secret = services.story_create(user=author, data={"title": "Secret plans", "language": "en"})
    spanish = services.story_create(user=author, data={**TEXT, "title": "Planes", "language": "es"})
    services.story_link_translation(user=author, story=spanish, original=secret)
    spanish = services.story_publish(user=editor, story=services.story_submit(user=author, story=spanish))
    mine = services.story_create(user=coauthor, data={**TEXT, "title": "Plans", "language": "fr"})
    response = client_for(coauthor).post(f"{mine.desk_url()}/translation", {"original": spanish.get_absolute_url()})
    assert response.status_code == 400
    assert b"No story you may open has that address." in response.content
    assert b"Secret plans" not in response.content
    mine.refresh_from_db()
    assert mine.translation_of is None


def test_a_desk_names_the_original_only_to_those_who_may_open_it(client_for, author, coauthor, editor):
    theirs = _submitted(coauthor, title="Their story in review", language="en")
    mine = _submitted(author, language="fr")
    services.story_link_translation(user=editor, story=mine, original=theirs)
    assert b"Their story in review" in client_for(editor).get(mine.desk_url()).content
    assert b"Their story in review" not in client_for(author).get(mine.desk_url()).content


def test_a_drafts_title_cannot_be_probed_through_the_address_of_a_new_story(author, outsider):
    services.story_create(user=author, data={"title": "Layoffs at the chapter"})
    probe = services.story_create(user=outsider, data={"title": "Layoffs at the chapter"})
    assert "layoffs" not in probe.slug


# --- who is told, and for how long ---------------------------------------------------------------------


def test_an_ex_editor_hears_nothing_more_of_a_story_even_once_it_is_published(client_for, author, editor):
    story = services.story_claim(user=editor, story=_submitted(author))
    services.editorial_comment_add(user=editor, story=story, raw="Looks good.")
    Membership.objects.filter(user=editor).delete()
    staff = factories.UserFactory(username="Staff editor", is_staff=True)
    story = services.story_publish(user=staff, story=story)
    before = Notification.objects.filter(user=editor).count()
    services.editorial_comment_add(user=author, story=story, raw="Thanks to the editors!")
    assert Notification.objects.filter(user=editor).count() == before  # no longer told
    page = client_for(editor).get("/notifications").content
    assert b"commented on a story" not in page and b"submitted a story" not in page


def test_a_creator_removed_from_the_authors_loses_the_story(client_for, author, coauthor, editor):
    story = services.story_create(user=author, data=dict(TEXT))
    services.story_set_authors(user=author, story=story, authors=[coauthor])
    services.story_submit(user=coauthor, story=story)
    services.story_decline(user=editor, story=story, reason="Not for us.")
    c = client_for(author)
    assert c.get(story.get_absolute_url()).status_code == 404
    assert c.get(story.desk_url()).status_code == 404


def test_co_authors_are_told_when_another_author_sends_or_takes_back(author, coauthor):
    story = services.story_create(user=author, data=dict(TEXT))
    services.story_set_authors(user=author, story=story, authors=[author, coauthor])
    services.story_submit(user=author, story=story)
    services.story_withdraw(user=author, story=story)
    kinds = list(Notification.objects.filter(user=coauthor).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["story_submitted", "story_withdrawn"]


def test_a_claimed_story_cannot_be_taken_back_by_its_author(author, editor):
    story = services.story_claim(user=editor, story=_submitted(author))
    services.story_request_changes(user=editor, story=story, reason="A photo.")
    services.story_submit(user=author, story=story)
    with pytest.raises(ValidationError):
        services.story_withdraw(user=author, story=story)


# --- an unpublished story's discussion -----------------------------------------------------------------


def test_moderators_cannot_delete_or_restore_the_opening_of_a_storys_discussion(author, editor, moderator, member):
    story = _published(author, editor)
    discuss.post_create(user=member, topic=story.topic, raw="A comment.")
    story = services.story_unpublish(user=editor, story=story, reason="A mistake.")
    opening = story.topic.posts.get(number=1)
    blog = Category.objects.get(slug="blog")
    counts = (blog.topic_count, blog.post_count)
    with pytest.raises(PermissionDenied):
        discuss.post_delete(user=moderator, post=opening)
    blog.refresh_from_db()
    assert (blog.topic_count, blog.post_count) == counts
    story.topic.refresh_from_db()
    assert story.topic.deleted_at is not None  # still hidden: only publishing again brings it back


def test_deleting_a_reply_in_a_hidden_discussion_keeps_the_category_counts(author, editor, moderator, member):
    story = _published(author, editor)
    reply = discuss.post_create(user=member, topic=story.topic, raw="A comment.")
    services.story_unpublish(user=editor, story=story, reason="A mistake.")
    blog = Category.objects.get(slug="blog")
    counts = (blog.topic_count, blog.post_count)
    discuss.post_delete(user=moderator, post=reply)
    blog.refresh_from_db()
    assert (blog.topic_count, blog.post_count) == counts


# --- autosave and text that must not be lost -------------------------------------------------------------


def test_autosave_never_touches_a_story_readers_can_see(client_for, author, editor):
    story = _published(author, editor)
    page = client_for(editor).get(f"{story.desk_url()}/edit").content
    assert b'hx-post="/blog/autosave"' not in page
    response = client_for(editor).post(
        "/blog/autosave", {"story": story.pk, "title": "Forty peo", "kind": "news", "language": "en"}
    )
    assert b"Not saved" in response.content
    story.refresh_from_db()
    assert story.title == TEXT["title"]


def test_a_story_that_moved_on_mid_edit_gives_the_text_back(client_for, author, editor):
    story = services.story_create(user=author, data=dict(TEXT))
    base = story.edit_seq
    services.story_submit(user=author, story=story)
    services.story_decline(user=editor, story=story, reason="Not for us.")
    response = client_for(author).post(
        f"{story.desk_url()}/edit",
        {**TEXT, "body": "My careful rewrite.", "kind": "news", "language": "en", "base": base, "intent": "save"},
    )
    assert response.status_code == 409
    assert b"My careful rewrite." in response.content and b"declined" in response.content
    autosave = client_for(author).post(
        "/blog/autosave", {"story": story.pk, "title": "X" * 10, "kind": "news", "language": "en"}
    )
    assert autosave.status_code == 200 and b"Not saved" in autosave.content


def test_an_edit_within_anothers_grace_period_is_still_a_conflict(author, coauthor):
    story = services.story_create(user=author, data=dict(TEXT))
    services.story_set_authors(user=author, story=story, authors=[author, coauthor])
    services.story_update(user=author, story=story, data={"body": "First."})
    story.refresh_from_db()
    seen_by_coauthor = story.edit_seq
    services.story_update(user=author, story=story, data={"body": "Second, moments later."})
    with pytest.raises(ValidationError) as refused:
        services.story_update(user=coauthor, story=story, data={"body": "Mine."}, base=seen_by_coauthor)
    assert refused.value.code == "conflict"
    story.refresh_from_db()
    assert story.body == "Second, moments later."


def test_saving_before_the_first_autosave_answers_makes_one_draft(client_for, author):
    c = client_for(author)
    c.post("/blog/autosave", {"title": "Racing my own autosave", "kind": "news", "language": "en"})
    c.post("/blog/submit", {"title": "Racing my own autosave", "body": "B", "kind": "news", "language": "en"})
    assert Story.objects.count() == 1
    assert Story.objects.get().body == "B"


def test_an_author_deletes_a_draft_and_only_a_draft(client_for, author, editor):
    draft = services.story_create(user=author, data=dict(TEXT))
    sent = _submitted(author, title="Sent already")
    c = client_for(author)
    assert c.post(f"{draft.desk_url()}/delete")["Location"] == "/blog/mine"
    assert c.post(f"{sent.desk_url()}/delete").status_code == 400
    assert list(Story.objects.all()) == [sent]
    assert client_for(editor).post(f"{sent.desk_url()}/delete").status_code == 403


# --- bad input that once gave a 500, and work bounded ------------------------------------------------------


@pytest.mark.parametrize("address", ["http://[", "http://[::1", "//[x"])
def test_a_translation_address_that_is_not_an_address(client_for, author, address):
    story = services.story_create(user=author, data=dict(TEXT))
    response = client_for(author).post(f"{story.desk_url()}/translation", {"original": address})
    assert response.status_code == 400


@pytest.mark.parametrize("month", ["0001-01", "1-1", "9999-12", "2026-0", "abc"])
def test_the_calendar_refuses_months_out_of_its_range(client_for, editor, month):
    assert client_for(editor).get(f"/blog/review/calendar?month={month}").status_code == 404


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "2099-01-01T10:00"])
def test_a_schedule_past_the_horizon_is_refused(client_for, author, editor, at):
    story = _submitted(author)
    editor.timezone = "America/Los_Angeles"
    editor.save(update_fields=["timezone"])
    response = client_for(editor).post(f"{story.desk_url()}/schedule", {"at": at})
    assert response.status_code == 400
    assert b"within the next three years" in response.content


def test_a_revision_diff_of_long_texts_is_linear_in_lines():
    before = "\n".join(f"line {n} of the story" for n in range(1800))
    after = "\n".join(f"line {n} of the story, edited" if n % 2 else f"line {n} of the story" for n in range(1800))
    rows = revision_diff(before, after)
    assert sum(kind == "added" for kind, _line in rows) == 900
    # ndiff matched characters inside each changed line: 12 s for 150 lines.
    assert _calls(revision_diff, before, after) < 2_000_000


def _png(size, mode="RGBA") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, size, (10, 20, 30, 255) if mode == "RGBA" else (10, 20, 30)).save(out, format="PNG")
    return SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")


def test_a_large_cover_is_reduced_early_and_a_tall_one_is_kept_within_bounds():
    with Image.open(process_cover(_png((6300, 6300)))) as cover:
        assert cover.size == (1600, 1600)
    with Image.open(process_cover(_png((1000, 40000), mode="RGB"))) as tall:
        assert tall.size == (100, 4000)


def test_scheduled_time_and_publication_keep_the_story_address_for_readers(client_for, author, editor):
    story = _submitted(author)
    services.story_schedule(user=editor, story=story, at=timezone.now() + timedelta(hours=1))
    services.stories_publish_due(now=timezone.now() + timedelta(hours=2))
    story.refresh_from_db()
    assert story.slug == "forty-people-at-our-first-meetup"
    assert client_for(None).get("/blog/forty-people-at-our-first-meetup").status_code == 200
