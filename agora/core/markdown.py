"""Markdown to safe HTML, done once when content is saved: markdown-it-py, then nh3."""

import html
import re
from collections.abc import Callable, Iterable

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"linkify": True, "typographer": False, "html": False}).enable(
    ["linkify", "strikethrough", "table"]
)

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
    "td": {"style"},
    "th": {"style"},
    "ol": {"start"},
}
# Only text-align survives in table cells (markdown-it writes it); anything else is dropped.
_ALLOWED_STYLE = {"text-align"}

# [quote="username, post:3, topic:12"] ... [/quote], as Discourse writes quotes.
_QUOTE_RE = re.compile(
    r"\[quote=\"(?P<username>[^\",\]\n]{1,60})(?:,\s*post:(?P<post>\d{1,9}))?(?:,\s*topic:(?P<topic>\d{1,12}))?\"\]"
    r"\s*\n?(?P<body>(?:(?!\[quote=).)*?)\n?\[/quote\]",
    re.DOTALL | re.IGNORECASE,
)
# @mentions: wiki usernames with spaces are written with underscores.
MENTION_RE = re.compile(r"(?<![\w@/])@([^\W_][\w.\-()]{0,59})", re.UNICODE)


def sanitize(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
        filter_style_properties=_ALLOWED_STYLE,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )


def _render_quotes(raw: str, render_block: Callable[[str], str]) -> str:
    """Turn quote blocks into placeholders rendered separately, innermost first."""

    def replace(match: re.Match) -> str:
        username = match["username"].strip()
        post, topic = match["post"], match["topic"]
        link = html.escape(username)
        if post and topic:
            link = f'<a href="/t/-/{int(topic)}/{int(post)}">{html.escape(username)}</a>'
        inner = render_block(match["body"])
        return (
            f'\n\n<aside class="quote" data-username="{html.escape(username)}" data-post="{post or ""}"'
            f' data-topic="{topic or ""}"><div class="quote-title">{link}:</div>'
            f"<blockquote>{inner}</blockquote></aside>\n\n"
        )

    previous = None
    while previous != raw:
        previous = raw
        raw = _QUOTE_RE.sub(replace, raw)
    return raw


def _link_mentions(markup: str, known: dict[str, str]) -> str:
    """Link @name in text (not inside code or links) to the profiles of users that exist."""
    if not known:
        return markup
    parts = re.split(r"(<code.*?</code>|<pre.*?</pre>|<a\s.*?</a>|<[^>]+>)", markup, flags=re.DOTALL)

    def link(match: re.Match) -> str:
        name = match[1].rstrip(".")
        trail = match[1][len(name) :]
        url = known.get(name.replace("_", " ").casefold())
        if url is None:
            return match[0]
        return f'<a class="mention" href="{url}">@{html.escape(name)}</a>{trail}'

    return "".join(part if part.startswith("<") else MENTION_RE.sub(link, part) for part in parts)


def mentioned_names(raw: str) -> set[str]:
    """The names @mentioned in raw Markdown, with underscores read as spaces."""
    return {m.rstrip(".").replace("_", " ") for m in MENTION_RE.findall(raw)}


def render_markdown(raw: str, mention_urls: dict[str, str] | None = None) -> str:
    """Render user Markdown to sanitised HTML. mention_urls maps casefolded @names to profile URLs."""
    placeholders: list[str] = []

    def render_block(text: str) -> str:
        return _md.render(text)

    def stash(match: re.Match) -> str:
        placeholders.append(match[0])
        return f"\n\nAGORAQUOTE{len(placeholders) - 1}X\n\n"

    with_quotes = _render_quotes(raw or "", render_block)
    # Quote markup is ours; keep it out of markdown-it (which escapes HTML), then put it back.
    with_quotes = re.sub(r"<aside class=\"quote\".*?</aside>", stash, with_quotes, flags=re.DOTALL)
    rendered = _md.render(with_quotes)
    for index, block in enumerate(placeholders):
        rendered = rendered.replace(f"<p>AGORAQUOTE{index}X</p>", block)
    if mention_urls:
        rendered = _link_mentions(rendered, {k.replace("_", " ").casefold(): v for k, v in mention_urls.items()})
    return sanitize(rendered)


def plain_excerpt(markup: str, length: int = 200) -> str:
    text = re.sub(r"<aside class=\"quote\".*?</aside>", " ", markup, flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def mention_lookup_keys(names: Iterable[str]) -> list[str]:
    return sorted({n.casefold() for n in names})
