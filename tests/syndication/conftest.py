"""A real feed server on localhost for the syndication tests (http.server in a thread, a free port): good
RSS and Atom, a feed that changes, one that answers 304, and broken, huge, endless, slow and malicious
ones. Every endless or slow answer is bounded in time and stops when the client goes away."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from agora.groups.models import Group, Membership
from tests import factories


def rss(items: list[dict], *, title: str = "Affiliate blog", link: str = "https://affiliate.example.org/") -> bytes:
    entries = "".join(
        f"""<item><title>{i["title"]}</title><link>{i["link"]}</link>
<guid isPermaLink="false">{i.get("guid", i["link"])}</guid>
<pubDate>{i.get("date", "Mon, 07 Dec 2026 10:00:00 GMT")}</pubDate>
<dc:creator>{i.get("author", "Ada")}</dc:creator>
<description>{i.get("description", "A short summary.")}</description></item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{title}</title><link>{link}</link><description>News</description><language>fr</language>
{entries}</channel></rss>""".encode()


GOOD_RSS = rss(
    [
        {"title": "Edit-a-thon in Lyon", "link": "https://affiliate.example.org/lyon", "guid": "post-1",
         "date": "Sat, 05 Dec 2026 10:00:00 GMT", "author": "Camille",
         "description": "&lt;p&gt;We wrote &lt;b&gt;forty&lt;/b&gt; articles.&lt;/p&gt;"},
        {"title": "Photo walk", "link": "https://affiliate.example.org/photos", "guid": "post-2",
         "date": "Sun, 06 Dec 2026 10:00:00 GMT"},
    ]
)  # fmt: skip

GOOD_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Chapter news</title>
  <link href="https://chapter.example.net/"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-12-06T18:30:02Z</updated>
  <entry>
    <title type="html">Annual meeting &amp;amp; elections</title>
    <link href="https://chapter.example.net/2026/agm"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2026-12-06T18:30:02Z</updated>
    <author><name>Jo Board</name></author>
    <summary>The members met and elected a new board.</summary>
  </entry>
</feed>"""

BROKEN_XML = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Half an item</title><link>https://broken.example.org/1</link></item>
<item><title>Unclosed <b>tag</title></channel>"""

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Our blog</title></head>
<body><h1>Welcome</h1><p>This is a web page, not a feed.<br></p></body></html>"""

MALICIOUS_RSS = rss(
    [
        {"title": "&lt;script&gt;alert('title')&lt;/script&gt;Harmless title",
         "link": "https://evil.example.org/post", "guid": "evil-1",
         "author": "&lt;img src=x onerror=alert(1)&gt;Mallory",
         "description": "&lt;p onclick=\"steal()\"&gt;Hello&lt;/p&gt;&lt;script&gt;document.cookie&lt;/script&gt;"
                        "&lt;img src=x onerror=\"alert(2)\"&gt;&lt;a href=\"javascript:alert(3)\"&gt;click&lt;/a&gt;"},
        {"title": "Script link", "link": "javascript:alert(4)", "guid": "evil-2"},
    ],
    title="&lt;script&gt;alert('feed')&lt;/script&gt;Evil blog",
)  # fmt: skip

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<rss version="2.0"><channel><title>Bomb</title><item><title>&g;</title><link>https://bomb.example.org/1</link></item></channel></rss>"""

MANY_RSS = rss(
    [
        {"title": f"Post number {n}", "link": f"https://many.example.org/{n}", "guid": f"many-{n}",
         "date": formatdate(1796000000 + n * 3600, usegmt=True)}
        for n in range(1, 41)
    ]
)  # fmt: skip

# The tests' limits, small so the big and slow feeds are stopped quickly.
MAX_BYTES = 64 * 1024
TOTAL_SECONDS = 2.0
READ_TIMEOUT = 0.5
# No answer of the server lasts longer than this, whatever the client does.
SERVER_BOUND_SECONDS = 8


@dataclass
class FeedServer:
    port: int
    # The changing feed's items (tests add to it), and what each path was asked with.
    changing: list[dict] = field(default_factory=list)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == path]


ETAG = '"v1"'
LAST_MODIFIED = "Sat, 05 Dec 2026 10:00:00 GMT"


def _handler(server_state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/rss+xml", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, piece: bytes, pause: float, limit: int) -> None:
            """Send `piece` again and again (no length), pausing between, for at most the bound."""
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            started = time.monotonic()
            try:
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>')
                for _ in range(limit):
                    if time.monotonic() - started > SERVER_BOUND_SECONDS:
                        break
                    self.wfile.write(piece)
                    self.wfile.flush()
                    if pause:
                        time.sleep(pause)
            except OSError:
                pass  # the client hung up: that is the point

        def _trickle_chunked(self) -> None:
            """HTTP/1.1 chunked encoding, one byte per chunk: each chunk resets a read timeout."""
            started = time.monotonic()
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
                self.wfile.write(b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                while time.monotonic() - started < SERVER_BOUND_SECONDS:
                    self.wfile.write(b"1\r\n \r\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass

        def do_GET(self):
            path = self.path
            server_state.requests.append((path, dict(self.headers)))
            if path == "/rss.xml":
                self._send(200, GOOD_RSS)
            elif path == "/atom.xml":
                self._send(200, GOOD_ATOM, "application/atom+xml")
            elif path == "/changing.xml":
                self._send(200, rss(server_state.changing, title="Changing blog"))
            elif path == "/etag.xml":
                if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    self.send_response(304)
                    self.end_headers()
                else:
                    self._send(200, GOOD_RSS, ETag=ETAG, Last_Modified=LAST_MODIFIED)
            elif path == "/broken.xml":
                self._send(200, BROKEN_XML)
            elif path == "/page.html":
                self._send(200, HTML_PAGE, "text/html; charset=utf-8")
            elif path == "/huge.xml":
                # Honest about its size: refused from the Content-Length alone.
                self._send(200, b"<!-- padding -->" * (MAX_BYTES // 8))
            elif path == "/huge-unannounced.xml":
                self._stream(b"<!-- padding padding padding -->" * 64, 0, 200)  # ~400 kB, no length
            elif path == "/endless.xml":
                self._stream(b"<item><title>again</title></item>" * 8, 0.01, 100000)
            elif path == "/trickle.xml":
                self._stream(b" ", 0.1, 1000)  # a byte at a time: never a read timeout, only the deadline
            elif path == "/trickle-chunked.xml":
                self._trickle_chunked()
            elif path == "/malicious.xml":
                self._send(200, MALICIOUS_RSS)
            elif path == "/bomb.xml":
                self._send(200, ENTITY_BOMB)
            elif path == "/many.xml":
                self._send(200, MANY_RSS)
            elif path == "/error.xml":
                self._send(500, b"Internal Server Error", "text/plain")
            elif path == "/slow.xml":
                time.sleep(min(READ_TIMEOUT * 4, SERVER_BOUND_SECONDS))
                self._send(200, GOOD_RSS)
            elif path == "/moved.xml":
                self.send_response(301)
                self.send_header("Location", "/rss.xml")
                self.end_headers()
            elif path == "/to-private.xml":
                self.send_response(302)
                self.send_header("Location", "http://10.0.0.1/feed")
                self.end_headers()
            else:
                self._send(404, b"Not found", "text/plain")

    return Handler


@pytest.fixture(scope="session")
def _feed_server_process():
    state = FeedServer(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="feed-server", daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def feed_server(_feed_server_process, settings):
    """The local feed server, with the fetcher allowed to reach it and the tests' small limits."""
    settings.AGORA_SYNDICATION_ALLOW_PRIVATE = True
    settings.AGORA_SYNDICATION_MAX_BYTES = MAX_BYTES
    settings.AGORA_SYNDICATION_TOTAL_SECONDS = TOTAL_SECONDS
    settings.AGORA_SYNDICATION_READ_TIMEOUT = READ_TIMEOUT
    settings.AGORA_SYNDICATION_CONNECT_TIMEOUT = 1.0
    settings.AGORA_SYNDICATION_POLL_MINUTES = 60
    settings.AGORA_SYNDICATION_MAX_BACKOFF_MINUTES = 24 * 60
    settings.AGORA_SYNDICATION_FIRST_POLL_ITEMS = 5
    _feed_server_process.changing.clear()
    _feed_server_process.requests.clear()
    return _feed_server_process


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="Editor", trust_level=1)
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=user)
    return user
