"""The blog's writing and editorial pages through HTTP: submit news, my stories, a story's desk with its
buttons, autosave, the review queue and the editorial calendar. Each refusal keeps every typed word and
changes nothing; each page is for the right people only (404 for others, as for a missing story)."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agora.blog import services
from agora.blog.models import BlogCategory, Story, StoryEvent
from agora.core.when import when_text
from agora.discuss.models import Tag
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification
from tests import factories

State = Story.State
DRAFT = {"title": "Forty people at our first meetup", "lead": "It went well.", "body": "We met in **Lyon**."}


def _png(size=(1200, 600)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Writer", display_name="Wanda Writer", trust_level=1)


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=user)
    return user


@pytest.fixture
def draft(author):
    return services.story_create(user=author, data=dict(DRAFT))


@pytest.fixture
def submitted(draft, author):
    return services.story_submit(user=author, story=draft)


# --- submit news ---------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in_to_submit_news(client):
    response = client.get("/blog/submit")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_submit_news_saves_a_draft_with_every_field(client_for, author):
    community = BlogCategory.objects.create(name="Community", slug="community")
    Tag.objects.create(name="lyon")
    group = Group.objects.create(name="wiki-lyon", full_name="Wiki Lyon")
    Membership.objects.create(group=group, user=author)
    c = client_for(author)
    assert c.get("/blog/submit").status_code == 200
    response = c.post(
        "/blog/submit",
        {
            **DRAFT,
            "kind": "event_report",
            "language": "fr",
            "categories": [community.pk],
            "tags": "Lyon",
            "group": group.pk,
            "cover": _png(),
            "cover_credit": "Ada",
            "cover_licence": "CC BY-SA 4.0",
            "note_to_editors": "Before Friday, please.",
            "intent": "save",
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/blog/stories/{story.pk}/edit"
    assert story.state == State.DRAFT
    assert (story.kind, story.language, story.group, story.note_to_editors) == (
        "event_report",
        "fr",
        group,
        "Before Friday, please.",
    )
    assert list(story.categories.all()) == [community]
    assert [t.name for t in story.tags.all()] == ["lyon"]
    assert story.cover.name.endswith(".webp")
    with Image.open(story.cover.path) as cover:
        assert cover.size == (1200, 600)
    assert list(story.authors.all()) == [author]


def test_a_big_cover_is_narrowed_to_1600_pixels(client_for, author):
    client_for(author).post("/blog/submit", {**DRAFT, "kind": "news", "language": "en", "cover": _png((3200, 1000))})
    with Image.open(Story.objects.get().cover.path) as cover:
        assert cover.size == (1600, 500)


def test_submit_news_and_send_to_the_editors_at_once(client_for, author, editor):
    response = client_for(author).post("/blog/submit", {**DRAFT, "kind": "news", "language": "en", "intent": "submit"})
    story = Story.objects.get()
    assert response["Location"] == f"/blog/stories/{story.pk}"
    assert story.state == State.SUBMITTED
    assert Notification.objects.filter(user=editor, kind="story_submitted", story=story).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": ""}, b"Write the story before sending it to the editors."),
        ({"body": "   "}, b"Write the story before sending it to the editors."),
        ({"lead": ""}, b"Write a lead"),
        ({"title": ""}, b"This field is required."),
        ({"cover": "not an image"}, b"not an image we can read"),
        ({"tags": "no-such-tag"}, b"Unknown tag: no-such-tag"),
        ({"kind": "gossip"}, b"Select a valid choice."),
    ],
)
def test_a_refused_story_keeps_every_word_and_saves_nothing(client_for, author, change, message):
    typed = {**DRAFT, "kind": "news", "language": "en", "note_to_editors": "Mind the photo", "intent": "submit"}
    typed.update(change)
    if change.get("cover"):
        typed["cover"] = SimpleUploadedFile("fake.png", b"GIF89a not really", content_type="image/png")
    response = client_for(author).post("/blog/submit", typed)
    assert response.status_code == 400
    assert message in response.content
    assert not Story.objects.exists()
    for key in ("title", "lead", "body", "note_to_editors"):
        if typed[key].strip():
            assert typed[key].encode() in response.content.replace(b"&#x27;", b"'")


def test_sending_a_refused_story_names_every_reason_at_once(client_for, author):
    """A bad tag and a missing lead in one refusal, not the lead after the tag is fixed."""
    typed = {**DRAFT, "lead": "", "tags": "no-such-tag", "kind": "news", "language": "en", "intent": "submit"}
    response = client_for(author).post("/blog/submit", typed)
    assert response.status_code == 400
    assert b"Unknown tag: no-such-tag" in response.content and b"Write a lead" in response.content
    assert not Story.objects.exists()


def test_the_draft_is_saved_but_not_sent_when_it_lacks_a_body(client_for, author):
    c = client_for(author)
    response = c.post("/blog/submit", {"title": "Only a title so far", "kind": "news", "language": "en"})
    story = Story.objects.get()
    assert response.status_code == 302 and story.state == State.DRAFT
    desk = c.get(story.desk_url())
    assert b"a lead" in desk.content and b"a body" in desk.content
    refused = c.post(f"{story.desk_url()}/submit")
    assert refused.status_code == 400
    assert b"needs a title, a lead and a body" in refused.content
    story.refresh_from_db()
    assert story.state == State.DRAFT


# --- autosave ----------------------------------------------------------------------------------------


def test_autosave_makes_the_draft_then_keeps_saving_it(client_for, author):
    c = client_for(author)
    first = c.post("/blog/autosave", {"title": "My story in progress", "kind": "news", "language": "en"})
    assert first.status_code == 200
    story = Story.objects.get()
    assert b"Draft saved" in first.content
    assert first["HX-Replace-Url"] == f"/blog/stories/{story.pk}/edit"
    assert f'id="story-id" value="{story.pk}" hx-swap-oob="true"'.encode() in first.content
    second = c.post(
        "/blog/autosave",
        {
            "story": story.pk,
            "version": story.version,
            "title": "My story in progress",
            "body": "It began",
            "kind": "news",
            "language": "en",
        },
    )
    assert second.status_code == 200
    story.refresh_from_db()
    assert story.body == "It began"
    assert Story.objects.count() == 1
    # Autosaving every few seconds makes one revision, not one per save.
    for word in ("It began in", "It began in May"):
        c.post(
            "/blog/autosave", {"story": story.pk, "title": story.title, "body": word, "kind": "news", "language": "en"}
        )
    assert story.revisions.count() == 1


def test_autosave_without_a_title_saves_nothing_and_says_why(client_for, author):
    response = client_for(author).post(
        "/blog/autosave", {"title": "", "body": "Words", "kind": "news", "language": "en"}
    )
    assert response.status_code == 200
    assert b"Not saved yet" in response.content
    assert not Story.objects.exists()


def test_autosave_cannot_write_into_someone_elses_story(client_for, draft, outsider):
    response = client_for(outsider).post(
        "/blog/autosave", {"story": draft.pk, "title": "Hijacked", "kind": "news", "language": "en"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == DRAFT["title"]


def test_an_edit_on_a_stale_copy_is_refused_with_the_text_kept(client_for, submitted, author, editor):
    stale = submitted.edit_seq
    services.story_request_changes(user=editor, story=submitted, reason="Shorter, please.")
    services.story_update(user=editor, story=submitted, data={"body": "The editor's fix."})
    response = client_for(author).post(
        f"{submitted.desk_url()}/edit",
        {**DRAFT, "body": "My own long rewrite.", "kind": "news", "language": "en", "base": stale, "intent": "save"},
    )
    assert response.status_code == 409
    assert b"Someone else changed the story" in response.content
    assert b"My own long rewrite." in response.content
    submitted.refresh_from_db()
    assert submitted.body == "The editor's fix."


# --- the desk --------------------------------------------------------------------------------------


def test_the_desk_is_for_authors_and_editors_only(client_for, draft, submitted, author, editor, outsider, client):
    assert client_for(author).get(draft.desk_url()).status_code == 200
    assert client_for(editor).get(draft.desk_url()).status_code == 200  # submitted: the editors' now
    assert client_for(outsider).get(draft.desk_url()).status_code == 404
    assert client.get(draft.desk_url()).status_code == 302


def test_editors_never_see_someone_elses_draft(client_for, draft, editor):
    for url in (
        draft.desk_url(),
        f"{draft.desk_url()}/edit",
        f"{draft.desk_url()}/revisions",
        draft.get_absolute_url(),
    ):
        assert client_for(editor).get(url).status_code == 404, url


def test_a_story_goes_from_submission_to_publication_through_the_desk(client_for, submitted, author, editor):
    e = client_for(editor)
    assert e.post(f"{submitted.desk_url()}/claim").status_code == 302
    assert e.post(f"{submitted.desk_url()}/request-changes", {"changes-reason": "Add a photo."}).status_code == 302
    a = client_for(author)
    a.post(
        f"{submitted.desk_url()}/edit",
        {**DRAFT, "body": "With a photo.", "kind": "news", "language": "en", "cover": _png(), "intent": "submit"},
    )
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and submitted.cover
    e.post(f"{submitted.desk_url()}/comment", {"raw": "Lovely, thank you."})
    response = e.post(f"{submitted.desk_url()}/publish")
    submitted.refresh_from_db()
    assert response["Location"] == submitted.get_absolute_url()
    assert submitted.state == State.PUBLISHED and submitted.topic is not None
    kinds = list(Notification.objects.filter(user=author).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["story_claimed", "story_changes", "story_comment", "story_published"]
    assert list(StoryEvent.objects.filter(story=submitted).values_list("to_state", flat=True)) == [
        "submitted",
        "in_review",
        "changes_requested",
        "submitted",
        "published",
    ]
    page = client_for(None).get(submitted.get_absolute_url())
    assert b"With a photo." in page.content


def test_schedule_in_the_editors_time_zone(client_for, submitted, editor):
    editor.timezone = "Asia/Kolkata"
    editor.save(update_fields=["timezone"])
    when = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("Asia/Kolkata"))
    response = client_for(editor).post(f"{submitted.desk_url()}/schedule", {"at": when.strftime("%Y-%m-%dT09:30")})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.SCHEDULED
    local = submitted.scheduled_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert (local.date(), local.hour, local.minute) == (when.date(), 9, 30)


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("schedule", {"at": "2020-01-01T10:00"}, b"That time has passed"),
        ("schedule", {"at": "tomorrow"}, b"Give a date and a time"),
        ("request-changes", {"changes-reason": "  "}, b"Say why"),
        ("decline", {"decline-reason": ""}, b"Say why"),
        ("translation", {"original": "/blog/no-such-story"}, b"No story you may open has that address."),
        ("authors", {"authors": "Nobody Known"}, b"No member is called Nobody Known"),
        ("comment", {"raw": ""}, b"Write something first."),
    ],
)
def test_bad_input_on_the_desk_is_refused_and_changes_nothing(client_for, submitted, editor, url, data, message):
    before = (submitted.state, submitted.scheduled_at, list(submitted.authors.all()), submitted.translation_of_id)
    response = client_for(editor).post(f"{submitted.desk_url()}/{url}", data)
    assert response.status_code == 400
    assert message in response.content
    submitted.refresh_from_db()
    assert (
        submitted.state,
        submitted.scheduled_at,
        list(submitted.authors.all()),
        submitted.translation_of_id,
    ) == before


def test_a_translation_of_itself_is_refused(client_for, submitted, author):
    response = client_for(author).post(
        f"{submitted.desk_url()}/translation", {"original": submitted.get_absolute_url()}
    )
    assert response.status_code == 400
    assert b"cannot be a translation of itself" in response.content


def test_authors_cannot_publish_their_own_story(client_for, submitted, author):
    for action in ("claim", "publish", "feature"):
        assert client_for(author).post(f"{submitted.desk_url()}/{action}").status_code == 403, action
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_co_authors_share_the_desk(client_for, draft, author, other_member):
    response = client_for(author).post(f"{draft.desk_url()}/authors", {"authors": f"Writer, {other_member.username}"})
    assert response.status_code == 302
    assert client_for(other_member).get(f"{draft.desk_url()}/edit").status_code == 200
    assert set(draft.authors.all()) == {author, other_member}


def test_withdraw_brings_a_submitted_story_back_to_draft(client_for, submitted, author):
    client_for(author).post(f"{submitted.desk_url()}/withdraw")
    submitted.refresh_from_db()
    assert submitted.state == State.DRAFT


def test_revisions_show_what_changed(client_for, submitted, editor):
    services.story_update(user=editor, story=submitted, data={"body": "We met in **Paris**."})
    response = client_for(editor).get(f"{submitted.desk_url()}/revisions")
    assert response.status_code == 200
    assert b"diff-removed" in response.content and b"Paris" in response.content


# --- the editors' pages ------------------------------------------------------------------------------


def test_the_review_queue_is_for_editors(client_for, submitted, editor, author, client):
    response = client_for(editor).get("/blog/review")
    assert response.status_code == 200
    assert DRAFT["title"].encode() in response.content
    assert client_for(author).get("/blog/review").status_code == 403
    assert client.get("/blog/review").status_code == 302
    assert client_for(editor).get("/blog/review?state=draft").status_code == 404


def test_the_queue_shows_each_state_and_never_drafts(client_for, submitted, author, editor):
    services.story_create(user=author, data={"title": "A private draft nobody else sees"})
    response = client_for(editor).get("/blog/review?state=submitted")
    assert b"A private draft nobody else sees" not in response.content
    assert b'<span class="count">1</span>' in response.content


def test_the_editorial_calendar_shows_scheduled_and_published_stories(client_for, submitted, editor):
    at = timezone.now() + timedelta(days=40)
    services.story_schedule(user=editor, story=submitted, at=at)
    c = client_for(editor)
    response = c.get(f"/blog/review/calendar?month={at:%Y-%m}")
    assert response.status_code == 200
    assert DRAFT["title"].encode() in response.content
    assert DRAFT["title"].encode() not in c.get(f"/blog/review/calendar?month={timezone.now():%Y-%m}").content
    assert c.get("/blog/review/calendar?month=2026-13").status_code == 404
    assert c.get("/blog/review/calendar?month=garbage").status_code == 404
    # Its author sees when it will appear, beside its state.
    mine = client_for(submitted.created_by).get("/blog/mine").content.decode()
    assert f"for {when_text(at, 'datetime')}" in mine


def test_my_stories_lists_mine_in_every_state(client_for, draft, author, outsider):
    response = client_for(author).get("/blog/mine")
    assert DRAFT["title"].encode() in response.content
    assert DRAFT["title"].encode() not in client_for(outsider).get("/blog/mine").content


def test_an_editor_who_leaves_the_board_loses_the_desk_and_its_notifications(client_for, submitted, editor, author):
    services.editorial_comment_add(user=author, story=submitted, raw="A question for the editors.")
    services.story_claim(user=editor, story=submitted)
    services.editorial_comment_add(user=author, story=submitted, raw="Thanks!")
    assert Notification.objects.filter(user=editor, story=submitted).exists()
    Membership.objects.filter(user=editor).delete()
    c = client_for(editor)
    assert c.get(submitted.desk_url()).status_code == 404
    assert DRAFT["title"].encode() not in c.get("/notifications").content


def test_story_notifications_lead_to_the_desk_then_to_the_story(client_for, submitted, author, editor):
    services.story_claim(user=editor, story=submitted)
    submitted = services.story_publish(user=editor, story=submitted)
    c = client_for(author)
    listing = c.get("/notifications").content
    assert b"is reviewing your story" in listing and b"published your story" in listing
    claimed = Notification.objects.get(user=author, kind="story_claimed")
    published = Notification.objects.get(user=author, kind="story_published")
    assert c.get(f"/notifications/{claimed.pk}/open")["Location"] == submitted.desk_url()
    assert c.get(f"/notifications/{published.pk}/open")["Location"] == submitted.get_absolute_url()


def test_pictures_for_the_body_are_added_at_its_end_as_markdown(client_for, author):
    c = client_for(author)
    first, second = _png((800, 400)), _png((400, 800))
    first.name, second.name = "jury_photo-2026.png", "the-winners.png"
    response = c.post(
        "/blog/submit", {**DRAFT, "kind": "news", "language": "en", "images": [first, second], "intent": "save"}
    )
    assert response.status_code == 302
    story = Story.objects.get()
    pictures = list(story.images.all())
    assert len(pictures) == 2 and all(p.image.name.endswith(".webp") for p in pictures)
    assert story.body.startswith(DRAFT["body"])
    assert f"![jury photo 2026]({pictures[0].image.url})" in story.body
    assert f"![the winners]({pictures[1].image.url})" in story.body
    assert f'src="{pictures[1].image.url}"' in story.body_html
    page = c.get(f"{story.desk_url()}/edit").content.decode()
    assert pictures[0].image.url in page


def test_a_picture_that_is_not_one_keeps_the_text_and_saves_nothing(client_for, author):
    bad = SimpleUploadedFile("holiday.png", b"not a picture", content_type="image/png")
    response = client_for(author).post(
        "/blog/submit", {**DRAFT, "kind": "news", "language": "en", "images": [_png(), bad], "intent": "save"}
    )
    assert response.status_code == 400
    assert b"holiday.png: That file is not an image we can read." in response.content
    assert DRAFT["body"].encode() in response.content
    assert not Story.objects.exists()
