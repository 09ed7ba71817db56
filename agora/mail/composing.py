"""The parts every outgoing message shares: threading ids, the unsubscribe token, absolute links, a plain-text
rendering of a post's stored HTML, and the language a reader's mail is written in."""

from __future__ import annotations

import html
import re
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing

from agora.core.interface_language import member_language

from .keys import reply_address_parts
from .models import PostMail

UNSUBSCRIBE_SALT = "agora.mail.unsubscribe"
# What a one-click unsubscribe turns off: the notification emails, the digest, or mailing-list mode.
UNSUBSCRIBE_WHAT = ("notifications", "digest", "mailing_list")


def site_domain() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "localhost").lower()


# Every message the outbox sends carries this header (naming the site) and a Message-ID of ours; the
# receiver refuses mail that has either, so a list or an auto-forwarder echoing our mail back never posts.
LOOP_HEADER = "X-Agora-Loop"
_OUR_ID_PREFIXES = ("topic/", "agora/")


def new_message_id() -> str:
    """A Message-ID of ours for a message that threads under nothing (a digest, a notification list)."""
    return f"<agora/{secrets.token_hex(12)}@{site_domain()}>"


def is_our_message_id(message_id: str) -> bool:
    """Whether a Message-ID is one this site makes (topic and post ids, new_message_id) on its site or reply
    domain. Only these shapes count, so a member whose mail client names their own (same) domain is not
    taken for a loop."""
    local, _, domain = message_id.strip().strip("<>").rpartition("@")
    return local.lower().startswith(_OUR_ID_PREFIXES) and domain.lower() in {site_domain(), reply_address_parts()[1]}


def absolute(path: str) -> str:
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def topic_message_id(topic_id: int) -> str:
    return f"<topic/{topic_id}@{site_domain()}>"


def post_message_id(post: Any, own: dict[int, str] | None = None) -> str:
    """A post's Message-ID: its own when it came by mail or from an archive (PostMail), else built from the
    topic (the opening post) or the topic and the post. `own` is a prefetched {post id: message id}."""
    if own is None:
        own = dict(PostMail.objects.filter(post_id=post.pk).values_list("post_id", "message_id"))
    if post.pk in own:
        return own[post.pk]
    if post.number == 1:
        return topic_message_id(post.topic_id)
    return f"<topic/{post.topic_id}/{post.pk}@{site_domain()}>"


def thread_headers(post: Any, replied_to: Any = None) -> dict[str, str]:
    """Message-ID, In-Reply-To and References for a post, so mail clients thread it under its topic:
    In-Reply-To names the post replied to (else the topic), References the topic (and that post)."""
    ids = [p.pk for p in (post, replied_to) if p is not None]
    own = dict(PostMail.objects.filter(post_id__in=ids).values_list("post_id", "message_id"))
    message_id = post_message_id(post, own)
    headers = {"Message-ID": message_id}
    if post.number == 1 and post.pk not in own:
        return headers
    root = topic_message_id(post.topic_id)
    parent = post_message_id(replied_to, own) if replied_to is not None else root
    headers["In-Reply-To"] = parent
    headers["References"] = root if parent == root else f"{root} {parent}"
    return headers


def list_id(category: Any) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", str(category.pk) + "-" + category.slug.lower()).strip("-")[:60]
    name = str(category.name).replace('"', "'")
    return f'"{name}" <{slug}.{site_domain()}>'


def unsubscribe_token(user_id: int, what: str) -> str:
    return signing.dumps({"u": user_id, "w": what}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, what to turn off) from a token we signed, else None (forged, mangled or cut short)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") not in UNSUBSCRIBE_WHAT or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["w"]


def unsubscribe_url(user_id: int, what: str) -> str:
    return absolute(f"/mail/unsubscribe/{unsubscribe_token(user_id, what)}")


def unsubscribe_headers(user_id: int, what: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe (a link and a mailto) and RFC 8058 one-click (a POST to the link)."""
    token = unsubscribe_token(user_id, what)
    local, domain = reply_address_parts()
    mailto = f"mailto:{local}+unsubscribe@{domain}?subject={quote('unsubscribe ' + token)}"
    return {
        "List-Unsubscribe": f"<{absolute('/mail/unsubscribe/' + token)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def reader_language(user: Any) -> str:
    return member_language(user) or settings.LANGUAGE_CODE


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|pre|tr|table|ul|ol)>|<br\s*/?>", re.I)
_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """A plain-text rendering of a post's stored (sanitised) HTML: paragraphs kept, links as "text (url)",
    list items bulleted, tags dropped, entities decoded."""

    def link(match: re.Match[str]) -> str:
        url, label = html.unescape(match.group(1)), _TAG.sub("", match.group(2)).strip()
        url = absolute(url) if url.startswith("/") else url
        return label if not label or url == label else f"{label} ({url})"

    text = _LINK.sub(link, markup or "")
    text = re.sub(r"<li[^>]*>", "- ", text, flags=re.I)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def absolute_links(markup: str) -> str:
    """Stored HTML with site-relative links and images made absolute, for a mail client."""
    return re.sub(r'(href|src)="/(?!/)', lambda m: f'{m.group(1)}="{settings.SITE_URL}/', markup or "")
