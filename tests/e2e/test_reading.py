"""Reading counted in a real browser: reading.js reports the posts scrolled into view and the time the
page was visible, and a member's posts_read rises as they scroll down a long topic."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError

from agora.trust.models import UserStats
from tests.e2e.forum import build_forum
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _retry_locked(read, tries: int = 25):
    """Read while the live server may be writing a report (SQLite's shared cache locks the table)."""
    for _ in range(tries - 1):
        try:
            return read()
        except OperationalError:
            time.sleep(0.2)
    return read()


def posts_read(user, *, above: int, timeout: float = 10) -> int:
    """The member's posts_read once it passes `above` (the beacon is asynchronous), or its last value."""
    deadline = time.monotonic() + timeout
    value = 0
    while time.monotonic() < deadline:
        try:
            value = UserStats.objects.filter(user=user).values_list("posts_read", flat=True).first() or 0
        except OperationalError:  # the live server is writing the report: SQLite's shared cache locks the table
            time.sleep(0.2)
            continue
        if value > above:
            return value
        time.sleep(0.2)
    return value


def test_scrolling_a_topic_raises_posts_read(site, open_context):
    forum = build_forum(replies=14)  # 20 posts: one page
    reader = verified_user(username="Reader", trust_level=0)
    context = open_context(viewport={"width": 1000, "height": 700}, report_reading=True)
    page = context.new_page()
    log_in(page, site, "Reader")
    # A browser's first topic page counts as rendered (reading.js has not run there yet to say it
    # reports by itself); from then on only what it reports counts.
    page.goto(site + forum.arabic_topic.get_absolute_url())
    page.goto(site + "/latest")
    assert posts_read(reader, above=0) == 2
    page.goto(site + forum.topic_url())
    page.wait_for_timeout(1500)  # the first posts stay on screen for a second
    page.goto(site + "/latest")  # pagehide: the batch goes with sendBeacon
    first = posts_read(reader, above=2)
    assert 2 < first < 2 + 20, "only the posts on screen count, not the whole page rendered"

    page.goto(site + forum.topic_url())
    for _ in range(12):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(1200)
    page.goto(site + "/latest")
    later = posts_read(reader, above=first)
    assert later == 2 + 20  # scrolled to the end: every post of the page seen, none twice
    stats = _retry_locked(lambda: UserStats.objects.get(user=reader))
    assert stats.topics_entered == 2
    assert 5 <= stats.time_read_seconds <= 30  # the seconds the page was visible, no more
    context.probe.assert_clean()
    # A browser may report twice as a page is left (hidden, then gone): let a late report land now,
    # not in the next test's database.
    context.close()
    time.sleep(1)
