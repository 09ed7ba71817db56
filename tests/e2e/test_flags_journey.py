"""Flags and the review queue in a real browser, with JavaScript and without.

Three level-2 members flag a reply as inappropriate from the topic page's "Flag" link; the third flag
hides it. A visitor sees that it is hidden, not what it said; its author sees it with the banner. A
moderator follows the header's Review link and agrees, deleting the post.
"""

from __future__ import annotations

import pytest

from agora.discuss.models import Post
from agora.moderation.models import Flag, ReviewItem
from tests import factories
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RUDE = "You are all idiots and this forum is garbage"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_flagging_a_post_hides_it_and_a_moderator_agrees_in_review(js, site, open_context):
    author = verified_user(username="Rude Writer", email="rude@example.org", trust_level=1)
    flaggers = [
        verified_user(username=f"Careful Reader {i}", email=f"reader{i}@example.org", trust_level=2) for i in range(3)
    ]
    verified_user(username="Mia Moderator", email="mia@example.org", is_moderator=True, trust_level=3)
    category = factories.make_category("Lounge", slug="lounge")
    topic = factories.make_topic(flaggers[0], category, title="Favourite hiking trails", raw="Share yours.")
    post = factories.make_reply(author, topic, raw=RUDE)

    for flagger in flaggers:
        page = open_context(javascript=js).new_page()
        log_in(page, site, flagger.username)
        page.goto(f"{site}{topic.get_absolute_url()}")
        _submit(page, f"#post-{post.number} a.flag-link")
        assert "Flag this post" in page.inner_text("main")
        page.check("input[name=kind][value=inappropriate]")
        _submit(page, "form.flag-form button.primary")
        assert f"#post-{post.number}" in page.url
        assert "the moderators will look at this post" in page.inner_text("body")
        page.context.probe.assert_clean()
    assert Flag.objects.filter(post=post).count() == 3

    # Hidden at once: a visitor sees the note, not the text.
    visitor = open_context(javascript=js).new_page()
    visitor.goto(f"{site}{topic.get_absolute_url()}")
    text = visitor.inner_text("main")
    assert RUDE not in text and "hidden by members' flags, pending review" in text

    # Its author reads it, with the banner saying why and what an edit does.
    writer = open_context(javascript=js).new_page()
    log_in(writer, site, author.username)
    writer.goto(f"{site}{topic.get_absolute_url()}")
    text = writer.inner_text("main")
    assert RUDE in text and "sends it back to the moderators" in text

    # The moderator opens the queue from the header and agrees, deleting the post.
    moderator = open_context(javascript=js).new_page()
    log_in(moderator, site, "Mia Moderator")
    assert "1" in moderator.inner_text(".user-nav a[href='/review']")
    _submit(moderator, ".user-nav a[href='/review']")
    main = moderator.inner_text("main")
    assert RUDE in main and "Careful Reader 0" in main and "Inappropriate" in main
    _submit(moderator, "form.review-agree button[value=delete]")
    assert "Nothing waiting for review." in moderator.inner_text("main")
    moderator.context.probe.assert_clean()
    assert ReviewItem.objects.get(post=post).status == ReviewItem.Status.APPROVED
    assert Post.objects.get(pk=post.pk).deleted_at is not None
