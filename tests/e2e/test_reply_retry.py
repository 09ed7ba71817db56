"""A reply whose response never reached the browser (the connection dropped after the server wrote it):
clicking Reply again sends the same idempotency key and gets the same post back, not a second one."""

from __future__ import annotations

import pytest

from agora.discuss.models import Post
from tests import factories
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reply_retried_after_a_lost_response_posts_once(site, open_context):
    ada = verified_user(username="Ada Lovelace", trust_level=1)
    topic = factories.make_topic(ada, factories.make_category("Ask here"), title="Consent forms for a photo walk")
    before = Post.objects.filter(topic=topic).count()
    context = open_context()
    page = context.new_page()
    log_in(page, site, "Ada Lovelace")
    page.goto(site + topic.get_absolute_url())
    page.wait_for_function("window.htmx !== undefined && document.readyState === 'complete'")

    lost = []

    def lose_the_first_answer(route):
        if not lost:
            lost.append(route.fetch().status)  # the server does the work...
            route.abort("connectionreset")  # ...and the answer never arrives
        else:
            route.continue_()

    context.route(f"**/t/{topic.pk}/reply", lose_the_first_answer)
    context.probe.allow("ERR_CONNECTION_RESET", "ERR_FAILED", "htmx:sendError", "htmx:afterRequest")
    page.fill("#reply-form textarea[name=raw]", "The consent form is on the chapter's wiki page.")
    key = page.input_value("#reply-form input[name=idempotency_key]")
    page.click("#reply-form button.primary")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert lost == [200]
    assert Post.objects.filter(topic=topic).count() == before + 1
    # Nothing came back: the words and the key are still in the box, and the person tries again.
    assert page.input_value("#reply-form textarea[name=raw]") == "The consent form is on the chapter's wiki page."
    assert page.input_value("#reply-form input[name=idempotency_key]") == key

    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/t/{topic.pk}/reply")
    ) as answer:
        page.click("#reply-form button.primary")
    assert answer.value.status == 200
    page.wait_for_selector(f"#post-{before + 1}")
    assert Post.objects.filter(topic=topic).count() == before + 1
    assert page.locator(f"#post-{before + 1}").count() == 1
    assert "chapter's wiki page" in page.inner_text(f"#post-{before + 1} .cooked")
    # The box is ready for a next reply, with a new key.
    assert page.input_value("#reply-form input[name=idempotency_key]") not in ("", key)
    context.probe.assert_clean()
