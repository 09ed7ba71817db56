"""The widget in a real browser: a wiki page includes embed.js and a link; the link becomes a frame of the
list, sized to it by the framed page's message. Without scripts the link stays.

The wiki page is answered by the browser's router at an address of the live server (a page of another
origin could not reach this loopback server past Chromium's private network rules, nor would the
one-request-at-a-time live server serve its frame); that the widget, and only it, may be framed by any
origin is held by the headers' tests in tests/feeds/test_widget.py."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wiki_page(context, site: str, html: str) -> str:
    url = f"{site}/wiki-test/Main_Page"
    context.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    return url


def _page_html(site: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A wiki page</title>
<script src="{site}/static/agora/embed.js" async></script></head>
<body><h1>Wikisource news</h1>
<a class="agora-embed" href="{site}/embed/topics?tag=wikisource">Topics on Agora</a>
<p id="after">After the widget.</p></body></html>"""


@pytest.fixture
def topics(site):
    writer = factories.UserFactory(username="Writer", trust_level=3)
    category = factories.make_category("Wikisource", slug="wikisource")
    factories.make_tag("wikisource")
    for n in range(6):
        factories.make_topic(writer, category, title=f"Proofreading sprint {n}", raw="Join us.", tags=["wikisource"])


def test_the_link_becomes_a_frame_sized_to_its_list(open_context, site, topics):
    context = open_context()
    page = context.new_page()
    page.goto(wiki_page(context, site, _page_html(site)))
    frame_element = page.wait_for_selector("iframe.agora-embed-frame")
    page.wait_for_function(
        "() => document.querySelector('iframe.agora-embed-frame').getAttribute('data-agora-height') !== null"
    )
    assert page.locator("a.agora-embed").count() == 0
    frame = frame_element.content_frame()
    assert frame.locator("li a").count() == 6
    assert frame.locator("li a").first.get_attribute("target") == "_blank"
    # Sized to the list: as tall as its content, so no scrollbar inside and no gap under it.
    inner = frame.evaluate("() => Math.ceil(document.documentElement.getBoundingClientRect().height)")
    outer = frame_element.bounding_box()["height"]
    assert inner > 100
    assert abs(outer - inner) <= 2, (outer, inner)
    context.probe.assert_clean()  # no console error, no Content-Security-Policy violation in the frame


def test_without_scripts_the_plain_link_stays(open_context, site, topics):
    context = open_context(javascript=False)
    page = context.new_page()
    page.goto(wiki_page(context, site, _page_html(site)))
    link = page.locator("a.agora-embed")
    assert link.count() == 1
    assert page.locator("iframe").count() == 0
    assert link.get_attribute("href").endswith("/embed/topics?tag=wikisource")


def test_the_builder_previews_the_widget(open_context, site, topics):
    context = open_context()
    page = context.new_page()
    page.goto(f"{site}/embed?kind=topics&tag=wikisource&limit=3")
    frame = page.wait_for_selector(".embed-preview iframe.agora-embed-frame").content_frame()
    frame.wait_for_selector("li a")
    assert frame.locator("li a").count() == 3
    assert "embed.js" in page.locator(".embed-snippet").inner_text()
