"""The blog in a real browser, with JavaScript and without.

A volunteer submits news with a cover picture; an editor of the board takes it, asks for a change;
the volunteer is told, edits and sends it again; the editor publishes it. A reader comments on the
story's page (the comment is a reply in its discussion topic) and finds it there, and the story is in
the blog's Atom feed. With JavaScript, the draft also saves itself while the volunteer types.
"""

from __future__ import annotations

import io

import feedparser
import pytest
from django.conf import settings
from PIL import Image

from agora.blog.models import Story
from agora.groups.models import Group, Membership
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_story_from_submission_to_comments(js, site, open_context, tmp_path):
    writer = verified_user(username="Nkechi Writer", email="nkechi@example.org", trust_level=1)
    editor = verified_user(username="Eddie Editor", email="eddie@example.org", trust_level=2)
    reader = verified_user(username="Rosa Reader", email="rosa@example.org", trust_level=1)
    board = Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP)
    Membership.objects.create(group=board, user=editor)
    cover = tmp_path / "cover.jpg"
    Image.new("RGB", (1800, 900), (200, 90, 40)).save(cover, format="JPEG")

    # The writer submits news: a draft first.
    page = open_context(javascript=js).new_page()
    log_in(page, site, writer.username)
    page.goto(f"{site}/blog")
    _submit(page, "a[href='/blog/submit']")
    page.fill("input[name=title]", "Wiki Loves Africa in Lagos")
    page.fill("textarea[name=lead]", "Sixty photographers walked the city for a day.")
    page.fill("textarea[name=body]", "We met at the **National Museum** at nine.")
    page.set_input_files("input[name=cover]", str(cover))
    page.fill("input[name=cover_credit]", "Nkechi")
    page.fill("input[name=cover_licence]", "CC BY-SA 4.0")
    page.select_option("select[name=kind]", "event_report")
    if js:
        # The draft saves itself a few seconds after typing stops, and the address becomes the draft's.
        page.wait_for_selector("#autosave-status:has-text('Draft saved')", timeout=15_000)
        story = Story.objects.get(title="Wiki Loves Africa in Lagos")
        assert page.url.endswith(f"/blog/stories/{story.pk}/edit")
        # Let the last autosave (due three seconds after the last keystroke) finish before saving by hand.
        page.wait_for_timeout(3500)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
    _submit(page, "button[name=intent][value=save]")
    story = Story.objects.get(title="Wiki Loves Africa in Lagos")
    assert Story.objects.count() == 1, "autosave and the save made two stories"
    assert story.cover and story.kind == "event_report", page.inner_text("main")
    _submit(page, "button[name=intent][value=submit]")
    assert page.url.endswith(story.desk_url())
    assert "Sent to the editorial board" in page.inner_text("main")

    # The editor finds it in the queue, takes it and asks for a change.
    desk = open_context(javascript=js).new_page()
    log_in(desk, site, editor.username)
    desk.goto(f"{site}/blog/review")
    _submit(desk, f"a[href='{story.desk_url()}']")
    _submit(desk, f"form[action='{story.desk_url()}/claim'] button")
    assert "Eddie Editor is reviewing the story." in desk.inner_text("main")
    desk.fill("textarea[name=changes-reason]", "Please name the museum's curator who welcomed you.")
    _submit(desk, f"form[action='{story.desk_url()}/request-changes'] button")
    story.refresh_from_db()
    assert story.state == Story.State.CHANGES_REQUESTED

    # The writer is told, edits, and sends it again.
    page.goto(f"{site}/notifications")
    assert "asked for changes to your story" in page.inner_text("main")
    _submit(page, "a[href^='/notifications/']")
    assert "Please name the museum's curator" in page.inner_text("main")
    _submit(page, f"a[href='{story.desk_url()}/edit']")
    page.fill("textarea[name=body]", "We met at the **National Museum** at nine; its curator, Ada, welcomed us.")
    _submit(page, "button[name=intent][value=submit]")
    story.refresh_from_db()
    assert story.state == Story.State.SUBMITTED

    # The editor publishes it: the story page, with its cover and credit.
    desk.goto(f"{site}{story.desk_url()}")
    _submit(desk, f"form[action='{story.desk_url()}/publish'] button")
    story.refresh_from_db()
    assert story.state == Story.State.PUBLISHED and story.topic_id
    assert desk.url.endswith(story.get_absolute_url())
    assert "its curator, Ada, welcomed us" in desk.inner_text("article")
    assert "Nkechi" in desk.inner_text("figcaption")
    assert desk.locator("img.story-cover").evaluate("img => img.naturalWidth") == 1600

    # A reader comments on the story's page, and the comment is there (and in its topic).
    reading = open_context(javascript=js).new_page()
    log_in(reading, site, reader.username)
    reading.goto(f"{site}{story.get_absolute_url()}")
    reading.fill("#reply-form textarea[name=raw]", "What a day! Thanks for the photos.")
    _submit(reading, "#reply-form button.primary")
    assert reading.url.endswith(f"{story.get_absolute_url()}#comment-2")
    assert "What a day! Thanks for the photos." in reading.inner_text(".story-comments")
    assert story.topic.posts.filter(number=2, raw="What a day! Thanks for the photos.").exists()

    # Visitors find it on the front page and in the feed.
    visitor = open_context(javascript=js).new_page()
    visitor.goto(f"{site}/blog")
    assert "Wiki Loves Africa in Lagos" in visitor.inner_text("main")
    feed = feedparser.parse(visitor.request.get(f"{site}/blog.atom").body())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Wiki Loves Africa in Lagos"]
    assert "curator, Ada" in feed.entries[0].content[0].value


def test_submit_news_page_keeps_the_text_when_the_cover_is_not_an_image(site, open_context, tmp_path):
    writer = verified_user(username="Pat Writer", email="pat@example.org", trust_level=1)
    fake = tmp_path / "cover.png"
    fake.write_bytes(b"this is not a picture")
    page = open_context(javascript=False).new_page()
    log_in(page, site, writer.username)
    page.goto(f"{site}/blog/submit")
    page.fill("input[name=title]", "A title worth keeping")
    page.fill("textarea[name=lead]", "A lead worth keeping.")
    page.fill("textarea[name=body]", "A body worth keeping.")
    page.set_input_files("input[name=cover]", str(fake))
    _submit(page, "button[name=intent][value=submit]")
    assert "not an image we can read" in page.inner_text("main")
    assert page.input_value("input[name=title]") == "A title worth keeping"
    assert page.input_value("textarea[name=body]") == "A body worth keeping."
    assert not Story.objects.exists()
    # The same picture as a real image goes through.
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (0, 0, 0)).save(buffer, format="PNG")
    fake.write_bytes(buffer.getvalue())
    page.set_input_files("input[name=cover]", str(fake))
    _submit(page, "button[name=intent][value=submit]")
    assert Story.objects.get().state == Story.State.SUBMITTED
