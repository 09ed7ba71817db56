"""Fetching and reading an affiliate's feed, defensively: the network and the XML are someone else's.

- Only http(s) addresses, and (unless AGORA_SYNDICATION_ALLOW_PRIVATE) only hosts whose every address
  is public: checked again at each redirect (followed by hand, at most MAX_REDIRECTS), and against the
  address the connection really reached, so a name that resolves differently the second time gains
  nothing.
- Conditional GET (If-None-Match / If-Modified-Since): 304 means nothing new.
- Connect and read timeouts, plus a deadline for the whole answer; the body is streamed and dropped past
  AGORA_SYNDICATION_MAX_BYTES. No compression is asked for, so the cap counts what is parsed.
- A document that declares XML entities is refused before parsing (no entity expansion bombs), then
  feedparser reads it; a "bozo" document (broken XML) is an error, not a half-read feed.
- Titles, excerpts and names come out as plain text (nh3 strips every tag, scripts with their content);
  links only when http(s).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3
import requests
from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
EXCERPT_LENGTH = 300
GUID_MAX_LENGTH = 300
CHUNK_SIZE = 16 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
# Complaints of feedparser's that do not make a feed unreadable: a charset that differs from the HTTP
# header's, a feed served as text/plain.
HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_ENTITY_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
_BLOCK_END_RE = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|pre|tr|td|th|dd|dt)\s*>|<br\s*/?>", re.IGNORECASE)


class FeedError(Exception):
    """Why a feed could not be read, in words for the staff page."""


@dataclass
class Fetched:
    status: int  # 200, or 304 when nothing changed
    url: str  # after redirects
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


@dataclass
class Entry:
    guid: str
    link: str  # "" when the item has no http(s) link
    title: str
    excerpt: str
    author: str
    published: datetime | None


@dataclass
class ParsedFeed:
    title: str
    link: str
    language: str
    entries: list[Entry] = field(default_factory=list)


# --- Fetching ------------------------------------------------------------------------------------


def user_agent() -> str:
    minutes = settings.AGORA_SYNDICATION_POLL_MINUTES
    return f"{settings.SITE_NAME} feed reader (Agora syndication; polls every {minutes} min)"


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _address_allowed(address: str) -> bool:
    if settings.AGORA_SYNDICATION_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried inside IPv6 (mapped ::ffff:a.b.c.d, 6to4 2002::/16, NAT64 64:ff9b::/96,
        # the old compatible ::a.b.c.d) reaches that IPv4 host: judge the host, not the wrapper.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in _NAT64 or int(ip) >> 32 == 0):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved and unspecified
    # addresses; multicast ones may be "global" yet serve no web page.
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """Refuse an address that is not http(s), or whose host is (or resolves to) a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FeedError(_("Only http and https addresses can be syndicated."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FeedError(_("The address has a port that is no port.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FeedError(_("The host %(host)s could not be found.") % {"host": parts.hostname}) from None
    if not infos or not all(_address_allowed(str(info[4][0])) for info in infos):
        raise FeedError(
            _("The host %(host)s is on a private network; only public sites can be syndicated.")
            % {"host": parts.hostname}
        )


def _peer_address(response: requests.Response) -> str | None:
    """The address the connection reached (urllib3 keeps the socket while the body streams)."""
    sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
    if sock is None:  # a connection that closes after this answer hands its socket to the response
        sock = getattr(getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None), "_sock", None)
    try:
        return str(sock.getpeername()[0]) if sock is not None else None
    except OSError:
        return None


def feed_fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the feed (conditionally), following redirects by hand, within the size cap and the deadline."""
    deadline = time.monotonic() + settings.AGORA_SYNDICATION_TOTAL_SECONDS
    timeout = (settings.AGORA_SYNDICATION_CONNECT_TIMEOUT, settings.AGORA_SYNDICATION_READ_TIMEOUT)
    headers = {"User-Agent": user_agent(), "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with requests.Session() as session:
        session.trust_env = False  # no proxies or .netrc from the environment
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)
            try:
                response = session.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
            except requests.Timeout:
                raise FeedError(_("The site did not answer in time.")) from None
            except requests.RequestException as error:
                reason = type(error).__name__
                raise FeedError(_("The site could not be reached (%(error)s).") % {"error": reason}) from None
            with response:
                peer = _peer_address(response)
                if peer is not None and not _address_allowed(peer):
                    raise FeedError(_("The site's address turned out to be on a private network."))
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise FeedError(_("The site redirected to no address."))
                    url = urljoin(url, location)
                    continue
                if response.status_code == 304:
                    return Fetched(status=304, url=url, etag=etag, last_modified=last_modified)
                if response.status_code != 200:
                    status = response.status_code
                    raise FeedError(_("The site answered with HTTP status %(status)s.") % {"status": status})
                content = _read_capped(response, deadline)
                return Fetched(
                    status=200,
                    url=url,
                    content=content,
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag", "")[:500],
                    last_modified=response.headers.get("Last-Modified", "")[:100],
                )
    raise FeedError(_("The site redirected too many times."))


def _read_capped(response: requests.Response, deadline: float) -> bytes:
    """The body, or FeedError once it passes the size cap or the deadline. read1 returns what has
    arrived, so a feed that trickles a byte at a time still meets the deadline check."""
    max_bytes = settings.AGORA_SYNDICATION_MAX_BYTES
    too_large = FeedError(
        _("The feed is larger than %(size)s MB: it was not read.") % {"size": round(max_bytes / 1024 / 1024, 1)}
    )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large
    chunks, size = [], 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FeedError(_("The feed took too long to arrive: it was not read."))
            chunk = response.raw.read1(CHUNK_SIZE)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
    except requests.RequestException as error:
        raise FeedError(_("The feed could not be read (%(error)s).") % {"error": type(error).__name__}) from None
    except (OSError, ValueError) as error:  # urllib3's read timeout and protocol errors
        if "timed out" in str(error).lower():
            raise FeedError(_("The site stopped answering in the middle of the feed.")) from None
        raise FeedError(_("The feed could not be read (%(error)s).") % {"error": type(error).__name__}) from None
    return b"".join(chunks)


# --- Reading -------------------------------------------------------------------------------------


def plain_text(value: str) -> str:
    """Text from remote markup: every tag dropped (scripts and styles with their content), entities
    decoded, whitespace collapsed. Shown escaped, it can be nothing but text."""
    spaced = _BLOCK_END_RE.sub(r"\g<0> ", value or "")  # "<p>a</p><p>b</p>" reads "a b", not "ab"
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def http_url(value: Any) -> str:
    """The value if it is an http(s) address we can store, else ""."""
    value = str(value or "").strip()
    if len(value) > 1000 or urlsplit(value).scheme.lower() not in {"http", "https"}:
        return ""
    try:
        if not urlsplit(value).hostname:
            return ""
    except ValueError:
        return ""
    return value


def _guid(entry: Any, link: str, title: str, published: datetime | None) -> str:
    guid = str(entry.get("id") or "").strip() or link
    if not guid:
        guid = "title:" + hashlib.sha256(f"{title}|{published}".encode()).hexdigest()
    if len(guid) > GUID_MAX_LENGTH:
        guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    return guid


def _date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def feed_parse(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Read an RSS or Atom document; FeedError when it is broken, not a feed, or declares entities."""
    if _ENTITY_RE.search(content):
        raise FeedError(_("The feed declares XML entities, which could expand without end: it was refused."))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never a string: feedparser would fetch a string that looks like an address itself.
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    if not parsed.get("version"):  # a web page, a JSON document, an image...
        raise FeedError(_("This address does not serve an RSS or Atom feed."))
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, HARMLESS_BOZO):
        raise FeedError(_("The feed is not well-formed XML (%(problem)s).") % {"problem": str(problem)[:200]})
    meta = parsed.get("feed", {})
    entries = []
    for entry in parsed.get("entries", []):
        link = http_url(entry.get("link"))
        if not link and entry.get("guidislink"):
            link = http_url(entry.get("id"))
        title = plain_text(entry.get("title", ""))
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        published = _date(entry)
        entries.append(
            Entry(
                guid=_guid(entry, link, title, published),
                link=link,
                title=title,
                excerpt=excerpt(plain_text(summary)),
                author=plain_text(entry.get("author", ""))[:200],
                published=published,
            )
        )
    return ParsedFeed(
        title=plain_text(meta.get("title", ""))[:200],
        link=http_url(meta.get("link")),
        language=plain_text(meta.get("language", ""))[:20],
        entries=entries,
    )
