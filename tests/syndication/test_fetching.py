"""The fetcher and reader against the local feed server: what is read, and what is refused and why."""

import time

import pytest

from agora.syndication.fetching import FeedError, feed_fetch, feed_parse


def parse(server, path):
    fetched = feed_fetch(server.url(path))
    return feed_parse(fetched.content, url=fetched.url, content_type=fetched.content_type)


def test_it_reads_a_good_rss_feed(feed_server):
    parsed = parse(feed_server, "/rss.xml")
    assert parsed.title == "Affiliate blog"
    assert parsed.link == "https://affiliate.example.org/"
    first = parsed.entries[0]
    assert (first.guid, first.link, first.title, first.author) == (
        "post-1",
        "https://affiliate.example.org/lyon",
        "Edit-a-thon in Lyon",
        "Camille",
    )
    assert first.excerpt == "We wrote forty articles."
    assert first.published.isoformat() == "2026-12-05T10:00:00+00:00"


def test_it_reads_a_good_atom_feed(feed_server):
    parsed = parse(feed_server, "/atom.xml")
    assert parsed.title == "Chapter news"
    entry = parsed.entries[0]
    assert entry.title == "Annual meeting & elections"
    assert entry.link == "https://chapter.example.net/2026/agm"
    assert entry.author == "Jo Board"


def test_it_sends_a_descriptive_user_agent_and_asks_conditionally(feed_server):
    feed_fetch(feed_server.url("/etag.xml"), etag='"v0"', last_modified="Fri, 04 Dec 2026 10:00:00 GMT")
    headers = feed_server.hits("/etag.xml")[-1]
    assert "feed reader" in headers["User-Agent"]
    assert headers["If-None-Match"] == '"v0"'
    assert headers["If-Modified-Since"] == "Fri, 04 Dec 2026 10:00:00 GMT"


def test_an_unchanged_feed_answers_304_with_nothing_to_read(feed_server):
    fetched = feed_fetch(feed_server.url("/etag.xml"))
    assert (fetched.status, fetched.etag) == (200, '"v1"')
    again = feed_fetch(feed_server.url("/etag.xml"), etag=fetched.etag, last_modified=fetched.last_modified)
    assert (again.status, again.content) == (304, b"")


def test_it_follows_a_redirect(feed_server):
    assert parse(feed_server, "/moved.xml").title == "Affiliate blog"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/broken.xml", "not well-formed"),
        ("/page.html", "does not serve an RSS or Atom feed"),
        ("/huge.xml", "larger than"),
        ("/huge-unannounced.xml", "larger than"),
        ("/bomb.xml", "entities"),
        ("/error.xml", "500"),
        ("/slow.xml", "in time"),
    ],
)
def test_a_bad_feed_is_a_clear_error(feed_server, path, words):
    with pytest.raises(FeedError, match=words):
        parse(feed_server, path)


def test_a_feed_that_never_ends_is_stopped_by_the_size_cap_or_the_deadline(feed_server):
    started = time.monotonic()
    with pytest.raises(FeedError, match=r"larger than|too long"):
        feed_fetch(feed_server.url("/endless.xml"))
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("path", ["/trickle.xml", "/trickle-chunked.xml"])
def test_a_feed_that_trickles_is_stopped_by_the_deadline(feed_server, path):
    started = time.monotonic()
    with pytest.raises(FeedError, match="too long"):
        feed_fetch(feed_server.url(path))
    assert time.monotonic() - started < 4


def test_the_entity_bomb_is_refused_without_expanding(feed_server):
    started = time.monotonic()
    with pytest.raises(FeedError):
        parse(feed_server, "/bomb.xml")
    assert time.monotonic() - started < 2


def test_malicious_markup_comes_out_as_plain_text_and_script_links_are_dropped(feed_server):
    parsed = parse(feed_server, "/malicious.xml")
    assert parsed.title == "Evil blog"
    evil, script_link = parsed.entries
    assert evil.title == "Harmless title"
    assert evil.author == "Mallory"
    assert evil.excerpt == "Hello click"
    for text in (evil.title, evil.excerpt, evil.author, parsed.title):
        assert "<" not in text and "alert" not in text and "javascript" not in text
    assert script_link.link == ""


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "javascript:alert(1)", "http://"])
def test_only_http_addresses_are_fetched(feed_server, url):
    with pytest.raises(FeedError, match="Only http"):
        feed_fetch(url)


def test_private_and_loopback_addresses_are_refused_unless_allowed(feed_server, settings):
    settings.AGORA_SYNDICATION_ALLOW_PRIVATE = False
    for url in (feed_server.url("/rss.xml"), "http://10.1.2.3/feed", "http://[::1]/feed", "http://169.254.169.254/"):
        with pytest.raises(FeedError, match="private network"):
            feed_fetch(url)
    assert feed_server.hits("/rss.xml") == []


@pytest.mark.parametrize(
    "address", ["::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "::127.0.0.1", "64:ff9b::a01:203"]
)
def test_an_ipv4_private_address_wrapped_in_ipv6_is_refused(settings, address):
    from agora.syndication import fetching

    settings.AGORA_SYNDICATION_ALLOW_PRIVATE = False
    assert not fetching._address_allowed(address)
    assert fetching._address_allowed("2606:4700:4700::1111") and fetching._address_allowed("64:ff9b::808:808")


def test_the_address_really_reached_is_checked_too(feed_server, settings, monkeypatch):
    """A name that resolved to a public address at the check, then to a private one (DNS rebinding)."""
    from agora.syndication import fetching

    settings.AGORA_SYNDICATION_ALLOW_PRIVATE = False
    monkeypatch.setattr(fetching, "check_url", lambda url: None)
    with pytest.raises(FeedError, match="private network"):
        feed_fetch(feed_server.url("/rss.xml"))


def test_a_redirect_to_a_private_address_is_refused(feed_server, settings, monkeypatch):
    from agora.syndication import fetching

    real_check = fetching.check_url
    # The server itself is allowed (it is the tests' own); where it redirects to is checked as usual.
    monkeypatch.setattr(fetching, "check_url", lambda url: None if "127.0.0.1" in url else real_check(url))
    settings.AGORA_SYNDICATION_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        fetching, "_address_allowed", lambda a: a == "127.0.0.1" or fetching.ipaddress.ip_address(a).is_global
    )
    with pytest.raises(FeedError, match="private network"):
        feed_fetch(feed_server.url("/to-private.xml"))
