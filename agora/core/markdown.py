"""Markdown to safe HTML, done once when content is saved: markdown-it-py, then nh3."""

import html
import re
import secrets
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

from agora.core.remote_images import rewrite_images

_md = MarkdownIt("commonmark", {"linkify": True, "typographer": False, "html": False}).enable(
    ["linkify", "strikethrough", "table"]
)
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}


def _align_by_class(state) -> None:
    """Table alignment as a class, not style="text-align:…": our CSP refuses inline styles."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and (style := token.attrs.pop("style", None)):
            token.attrSet("class", "align-" + str(style).removeprefix("text-align:"))


_md.core.ruler.push("agora_align_by_class", _align_by_class)

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "aside": {"class", "data-username", "data-post", "data-topic"},
    "div": {"class"},
    "span": {"class"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "code": {"class"},
    "ol": {"start"},
}

# [quote="username, post:3, topic:12"] ... [/quote], as Discourse writes quotes. One scan finds every
# opening and closing tag; a stack pairs them. "other" is a [quote= that is no well-formed opening.
_QUOTE_TAG_RE = re.compile(
    r"(?P<open>\[quote=\"(?P<username>[^\",\]\n]{1,60})(?:,\s*post:(?P<post>\d{1,9}))?"
    r"(?:,\s*topic:(?P<topic>\d{1,12}))?\"\]\s*)|(?P<other>\[quote=)|(?P<close>\[/quote\])",
    re.IGNORECASE,
)
# Quotes nest at most this deep; deeper quote markup stays text (as in Discourse).
MAX_QUOTE_DEPTH = 10
# @mentions: wiki usernames with spaces are written with underscores.
# Name characters include combining marks (Indic vowel signs, viramas), which \w leaves out.
_NAME_CHARS = (
    r"\w.\-()\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    r"\u0900-\u0dff\u0e31-\u0e4e\u0eb1-\u0ecd\u0f18-\u0fbc\u102b-\u103e\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
MENTION_RE = re.compile(rf"(?<![\w@/])@([^\W_][{_NAME_CHARS}]{{0,59}})", re.UNICODE)


def sanitize(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
        allowed_classes={"td": _ALIGN_CLASSES, "th": _ALIGN_CLASSES},
        # Wide tables and code scroll sideways inside the post; tabindex lets keyboards scroll them too.
        set_tag_attribute_values={"img": {"loading": "lazy"}, "pre": {"tabindex": "0"}, "table": {"tabindex": "0"}},
    )


def _render_quotes(raw: str, render_quote: Callable[[re.Match, str], str]) -> str:
    """Replace each quote block in raw with what render_quote(opening tag match, body) returns, innermost
    first, in one pass. A tag that opens no quote (malformed, or nested deeper than MAX_QUOTE_DEPTH) stays
    text, and so does the [/quote] that closes it; so do tags left unclosed and stray [/quote]s."""
    top: list[str] = []
    stack: list[tuple[re.Match, list[str]] | None] = []  # None: an opening kept as text
    quotes: list[tuple[re.Match, list[str]]] = []  # the quotes open now, outermost first
    out, position = top, 0  # out: the pieces of the innermost open quote's body, or of the whole text
    for tag in _QUOTE_TAG_RE.finditer(raw):
        out.append(raw[position : tag.start()])
        position = tag.end()
        if tag["close"] is not None:
            opened = stack.pop() if stack else None
            if opened is None:
                out.append(tag[0])
                continue
            quotes.pop()
            out = quotes[-1][1] if quotes else top
            out.append(render_quote(opened[0], "".join(opened[1]).removesuffix("\n")))
        elif tag["open"] is not None and len(stack) < MAX_QUOTE_DEPTH:
            out = []
            stack.append((tag, out))
            quotes.append((tag, out))
        else:
            stack.append(None)
            out.append(tag[0])
    out.append(raw[position:])
    # Quotes still open at the end were never closed: their tags and bodies are text, in order.
    for tag, pieces in quotes:
        top.append(tag[0])
        top.extend(pieces)
    return "".join(top)


def _link_mentions(markup: str, known: dict[str, tuple[str, str]]) -> str:
    """Link @name in text (not inside code or links): known maps a name to its (URL, link class)."""
    if not known:
        return markup
    parts = re.split(r"(<code.*?</code>|<pre.*?</pre>|<a\s.*?</a>|<[^>]+>)", markup, flags=re.DOTALL)

    def link(match: re.Match) -> str:
        name = match[1].rstrip(".")
        trail = match[1][len(name) :]
        target = known.get(name.replace("_", " ").casefold())
        if target is None:
            return match[0]
        url, css_class = target
        return f'<a class="{css_class}" href="{url}">@{html.escape(name)}</a>{trail}'

    return "".join(part if part.startswith("<") else MENTION_RE.sub(link, part) for part in parts)


def mentioned_names(raw: str) -> set[str]:
    """The names @mentioned in raw Markdown, with underscores read as spaces."""
    return {m.rstrip(".").replace("_", " ") for m in MENTION_RE.findall(raw)}


def quoted_usernames(raw: str) -> set[str]:
    """The usernames raw Markdown quotes ([quote="name, post:3, topic:12"]), as written."""
    return {m["username"].strip() for m in _QUOTE_TAG_RE.finditer(raw) if m["open"] is not None}


def render_markdown(
    raw: str, mention_urls: dict[str, str] | None = None, group_mention_urls: dict[str, str] | None = None
) -> str:
    """Render user Markdown to sanitised HTML. mention_urls maps @names to profile URLs, group_mention_urls
    @names to group pages (a person's name wins over a group's)."""
    # Quote markup is ours: it waits outside markdown-it (which escapes HTML) behind placeholders
    # made with a fresh random token, so nothing a user types can pass for one (or for our HTML).
    token = secrets.token_hex(8)
    blocks: list[str] = []
    placeholder = re.compile(rf"(?:<p>)?AGORAQUOTE{token}N(\d+)X(?:</p>)?")

    def expand(markup: str) -> str:
        return placeholder.sub(lambda m: blocks[int(m[1])], markup)

    def render_quote(tag: re.Match, body: str) -> str:
        # Inner quotes are already in blocks, complete: each block's HTML is copied once per level.
        username = tag["username"].strip()
        post, topic = tag["post"], tag["topic"]
        link = html.escape(username)
        if post and topic:
            link = f'<a href="/t/-/{int(topic)}/{int(post)}">{html.escape(username)}</a>'
        blocks.append(
            f'<aside class="quote" data-username="{html.escape(username)}" data-post="{post or ""}"'
            f' data-topic="{topic or ""}"><div class="quote-title">{link}:</div>'
            f"<blockquote>{expand(_md.render(body))}</blockquote></aside>"
        )
        return f"\n\nAGORAQUOTE{token}N{len(blocks) - 1}X\n\n"

    rendered = expand(_md.render(_render_quotes(raw or "", render_quote)))
    if mention_urls or group_mention_urls:
        known = {
            k.replace("_", " ").casefold(): (v, "mention group-mention") for k, v in (group_mention_urls or {}).items()
        }
        known |= {k.replace("_", " ").casefold(): (v, "mention") for k, v in (mention_urls or {}).items()}
        rendered = _link_mentions(rendered, known)
    # Images by address are served from our origin (remote_images.py): readers never contact their host.
    return rewrite_images(sanitize(rendered))
