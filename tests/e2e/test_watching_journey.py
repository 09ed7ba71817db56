"""Watching in a real browser: a member sets a category to Watching with the plain form (JavaScript off),
another member starts a topic there, and the first sees it in their notifications; the topic's own
selector mutes it, and the preferences tab lists the category."""

from __future__ import annotations

import pytest
from django.db import transaction

from agora.discuss.models import Category
from agora.notifications.models import Watch, WatchLevel
from agora.notifications.services import post_notify
from tests import factories
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_watching_a_category_brings_its_new_topics_to_the_bell(site, open_context):
    watcher = verified_user(username="Watcher", trust_level=1)
    author = verified_user(username="Author", trust_level=1)
    general = Category.objects.get(slug="general")
    context = open_context(javascript=False)
    page = context.new_page()
    log_in(page, site, "Watcher")

    page.goto(f"{site}/c/general")
    page.select_option(f"#watch-category-{general.pk}", str(WatchLevel.WATCHING))
    with page.expect_navigation():
        page.click("form.watch-form button[type=submit]")
    assert page.url.endswith("/c/general")
    assert page.locator(f"#watch-category-{general.pk}").input_value() == str(WatchLevel.WATCHING)

    with transaction.atomic():
        topic = factories.make_topic(author, general, title="A walk in Lyon", raw="Who comes along?")
    post_notify(post_id=topic.posts.get(number=1).pk)  # the worker's task (the live server has none)

    page.goto(f"{site}/notifications")
    line = page.locator("li.notification.unread")
    assert line.count() == 1
    assert "Author" in line.inner_text() and "A walk in Lyon" in line.inner_text()

    page.goto(f"{site}{topic.get_absolute_url()}")
    page.select_option(f"#watch-topic-{topic.pk}", str(WatchLevel.MUTED))
    with page.expect_navigation():
        page.locator(".topic-watch form button[type=submit]").click()
    assert Watch.objects.get(user=watcher, topic=topic).level == WatchLevel.MUTED

    page.goto(f"{site}/my/notifications")
    assert page.locator(f"#watch-category-{general.pk}").input_value() == str(WatchLevel.WATCHING)
    context.probe.assert_clean()
