"""The widget in a real browser: a page on another origin includes embed.js and a link; the link becomes a
frame of the list, sized to it by the framed page's message. Without scripts the link stays."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@contextlib.contextmanager
def wiki_page(html: str):
    """A page served from another origin (127.0.0.1 on a port of its own), as a wiki would serve it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/wiki/Main_Page"
    finally:
        server.shutdown()
        server.server_close()


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
    with wiki_page(_page_html(site)) as url:
        context = open_context()
        page = context.new_page()
        page.goto(url)
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
    with wiki_page(_page_html(site)) as url:
        page = open_context(javascript=False).new_page()
        page.goto(url)
        link = page.locator("a.agora-embed")
        assert link.count() == 1
        assert page.locator("iframe").count() == 0
        assert link.get_attribute("href").endswith("/embed/topics?tag=wikisource")


def test_other_pages_refuse_to_be_framed(open_context, site, topics):
    html = f'<!doctype html><title>x</title><iframe id="f" src="{site}/latest"></iframe>'
    with wiki_page(html) as url:
        context = open_context()
        context.probe.allow("Refused to display", "frame-ancestors", "X-Frame-Options")
        page = context.new_page()
        page.goto(url)
        page.wait_for_timeout(500)
        frame = page.frame_locator("#f")
        assert frame.locator("text=Latest").count() == 0
