"""A newcomer's first visit, in a real browser, once with JavaScript and once without.

Sign up, read the verification mail, confirm, log in, start a topic (previewing it first),
reply (with a preview), quote a post and follow the quote back, like another member's post,
bookmark it with a note and find it on /bookmarks; then that member likes the newcomer's post.
With JavaScript, like, bookmark, reply and preview must happen without a page load (htmx):
a property set on `window` before the click survives it, and focus stays on the control.
Without JavaScript, the same forms work by plain page loads.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from agora.discuss.models import Category, Post, Topic
from tests import factories
from tests.e2e.helpers import PASSWORD, log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MARKER = "window.__agoraSamePage"


def _mark_page(page, js: bool) -> None:
    if js:
        page.evaluate(f"{MARKER} = 'still here'")


def _assert_same_page(page, js: bool) -> None:
    """With JavaScript the marker set before the action survives it: no page load happened."""
    if js:
        assert page.evaluate(MARKER) == "still here", "the page was reloaded"


def _click(page, selector: str, js: bool, *, htmx_url: str | None = None, status: int = 200) -> None:
    """Click a control. With JavaScript and an htmx URL, wait for that request; otherwise for a page load."""
    if js and htmx_url:
        _mark_page(page, js)
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(htmx_url)) as response:
            page.click(selector)
        assert response.value.request.headers.get("hx-request") == "true"
        assert response.value.status == status
        # The response reaches Playwright before htmx has swapped it in: wait until htmx is done with it
        # (the requesting element keeps .htmx-request until the swap, the target .htmx-settling after).
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
        page.wait_for_load_state()
        _assert_same_page(page, js)
        # htmx swapped the control out; keyboard users must not be thrown back to the top of the page.
        page.wait_for_function("document.activeElement && document.activeElement !== document.body")
    else:
        with page.expect_navigation():
            page.click(selector)


def _wait_for_htmx(page, js: bool) -> None:
    if js:
        page.wait_for_function("window.htmx !== undefined && document.readyState === 'complete'")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_newcomer_journey(js, site, mailbox, open_context):
    general = Category.objects.get(slug="general")
    ada = verified_user(username="Ada Lovelace", email="ada@example.org", display_name="Ada", trust_level=1)
    context = open_context(javascript=js)
    page = context.new_page()

    # Sign up with a wiki-style name (any script, spaces allowed).
    username, address = ("Zoë Nakamura", "zoe@example.org") if js else ("Иван Петров", "ivan@example.org")
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=email]", address)
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=accept_code_of_conduct]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/confirm-email/" in page.url, page.inner_text("main")

    # The verification mail, as an SMTP server received it; open its link and confirm.
    message = mailbox.wait_for(address)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailbox.text(message))
    assert link, mailbox.text(message)
    page.goto(link[0])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert EmailAddress.objects.get(email=address).verified

    if page.locator("form[action='/accounts/logout/']").count():
        with page.expect_navigation():
            page.click("form[action='/accounts/logout/'] button")
    log_in(page, site, username)
    assert page.locator(".user-nav").get_by_text(username).count() == 1

    # Start a topic: preview first, then post.
    page.goto(f"{site}/new-topic")
    _wait_for_htmx(page, js)
    page.fill("input[name=title]", "Where do we meet in Lyon?")
    page.select_option("select[name=category]", label=general.name)
    page.fill("textarea[name=raw]", "Looking for the **meet-up** venue.")
    _click(page, "#composer button[name=preview]", js, htmx_url="/preview")
    assert page.inner_html("#composer-preview").count("<strong>meet-up</strong>") == 1
    assert page.input_value("input[name=title]") == "Where do we meet in Lyon?"
    with page.expect_navigation():
        page.click("#composer button.primary")
    topic = Topic.objects.get(title="Where do we meet in Lyon?")
    assert page.url.startswith(f"{site}/t/{topic.slug}/{topic.pk}")
    assert page.inner_text("h1") == "Where do we meet in Lyon?"

    # Reply from the box under the posts: a blank reply is refused with a message, then preview and post.
    _wait_for_htmx(page, js)
    page.fill("#reply-form textarea[name=raw]", "   ")
    _click(page, "#reply-form button.primary", js, htmx_url=f"/t/{topic.pk}/reply", status=422)
    assert page.locator(".has-error [role=alert]").count() == 1
    context.probe.allow("status of 422", "status of 400")
    composer = "#reply-form" if js else "#composer"  # without JavaScript, the reply page's own composer
    page.fill(f"{composer} textarea[name=raw]", "Bump: any _ideas_?")
    _click(page, f"{composer} button[name=preview]", js, htmx_url="/preview")
    assert "<em>ideas</em>" in page.inner_html(".preview")
    assert page.input_value(f"{composer} textarea[name=raw]") == "Bump: any _ideas_?"
    _click(page, f"{composer} button.primary", js, htmx_url=f"/t/{topic.pk}/reply")
    if js:
        page.wait_for_selector("#post-2")
        assert page.input_value("#reply-form textarea[name=raw]") == ""
        assert page.locator(".message.success").count() == 1
    else:
        assert page.url.endswith("#post-2")
    assert "<em>ideas</em>" in page.inner_html("#post-2 .cooked")

    # Another member answers; like her post.
    factories.make_reply(ada, topic, raw=f"Try the library, @{username.replace(' ', '_')}.")
    ada_post = Post.objects.get(topic=topic, number=3)
    page.goto(f"{site}/t/{topic.slug}/{topic.pk}")
    _wait_for_htmx(page, js)
    like = "#post-3 button.like"
    assert page.inner_text(f"{like} .count") == "0"
    _click(page, like, js, htmx_url=f"/p/{ada_post.pk}/like")
    assert page.inner_text(f"{like} .count") == "1"
    assert page.get_attribute(like, "aria-pressed") == "true"
    assert ada_post.likes.filter(user__username=username).exists()
    mention = page.locator("#post-3 .cooked a.mention")
    assert mention.inner_text() == f"@{username.replace(' ', '_')}"

    # Bookmark it, then add a note on the bookmark's own page.
    bookmark = "#post-3 button.bookmark"
    _click(page, bookmark, js, htmx_url=f"/p/{ada_post.pk}/bookmark")
    assert page.get_attribute(bookmark, "aria-pressed") == "true"
    with page.expect_navigation():
        page.click(f"#actions-{ada_post.pk} a[href='/p/{ada_post.pk}/bookmark']")
    page.fill("input[name=note]", "Ask Ada about the library room")
    with page.expect_navigation():
        page.click("main form button.primary")
    page.goto(f"{site}/bookmarks")
    assert page.locator(".activity .note").inner_text() == "Ask Ada about the library room"
    assert page.locator(".activity a.title").inner_text() == topic.title

    # Quote her post: the composer comes prefilled, and the posted quote links back.
    page.goto(f"{site}/t/{topic.slug}/{topic.pk}")
    with page.expect_navigation():
        page.click("#post-3 a.quote-link")
    raw = page.input_value("textarea[name=raw]")
    assert raw.startswith(f'[quote="Ada Lovelace, post:3, topic:{topic.pk}"]\nTry the library')
    page.fill("textarea[name=raw]", raw + "Good idea, thanks!")
    with page.expect_navigation():
        page.click("#composer button.primary")
    assert page.url.endswith("#post-4")
    quote = page.locator("#post-4 aside.quote")
    assert "Try the library" in quote.locator("blockquote").inner_text()
    with page.expect_navigation():
        quote.locator(f"a[href='/t/-/{topic.pk}/3']").click()
    assert page.url.endswith(f"/t/{topic.slug}/{topic.pk}#post-3")

    # The other member signs in and likes the newcomer's reply.
    page_ada = open_context(javascript=js).new_page()
    log_in(page_ada, site, ada.email)
    page_ada.goto(f"{site}/t/{topic.slug}/{topic.pk}")
    _wait_for_htmx(page_ada, js)
    reply = Post.objects.get(topic=topic, number=2)
    _click(page_ada, "#post-2 button.like", js, htmx_url=f"/p/{reply.pk}/like")
    assert page_ada.inner_text("#post-2 button.like .count") == "1"
    assert page_ada.locator("#post-2 .author").inner_text() == username

    context.probe.assert_clean()
    page_ada.context.probe.assert_clean()
