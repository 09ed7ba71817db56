"""Import a WordPress export (WXR): posts become stories, their comments replies in each story's topic.

- The XML is read with expat as a stream, and a document type declaration or entity declaration is
  refused outright (no entity expansion attacks, no external entities). The file is read twice: once
  to check it is complete, well-formed XML (a truncated export is reported with its line number and
  nothing is imported), once to import item by item.
- Each item is imported in its own transaction and recorded in ImportedItem(source, key), so a re-run
  skips what is already there and imports only what is new. An item that cannot be imported (no title,
  a date that is no date...) is reported and skipped; the others go on.
- Bodies are WordPress HTML; stories and posts here are Markdown (rendered with raw HTML escaped), so
  the HTML is converted to Markdown: paragraphs, links, emphasis, headings, lists, quotes and code
  survive; images stay where they are as links to their URLs; shortcodes are unwrapped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.usernames import MAX_LENGTH as USERNAME_MAX_LENGTH
from agora.accounts.usernames import (
    canonical_username,
    normalize_username,
    username_is_free,
)
from agora.blog.models import BlogCategory, ImportedItem, Story
from agora.blog.services import BLOG_CATEGORY_SLUG, story_topic_open
from agora.core.markdown import render_markdown
from agora.core.page_cache import content_changed
from agora.discuss.models import Category, Post, Tag, Topic, make_slug

from .report import Report, SkipItem

SYSTEM_USERNAME = "wordpress-import"
CHUNK_SIZE = 64 * 1024
LEAD_LENGTH = 300

# --- Reading the XML -----------------------------------------------------------------------------


class WXRError(Exception):
    """The file is no WordPress export we can read: the message says why, for a person."""


_DC = "http://purl.org/dc/elements/1.1/"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"


def _short_name(name: str) -> str:
    """expat's "uri local" → "wp:local", "content:local"...; WXR 1.0, 1.1 and 1.2 differ only in the URI."""
    uri, sep, local = name.rpartition(" ")
    if not sep:
        return name
    if uri.startswith("http://wordpress.org/export/"):
        return f"excerpt:{local}" if uri.rstrip("/").endswith("/excerpt") else f"wp:{local}"
    if uri == _CONTENT:
        return f"content:{local}"
    if uri == _DC:
        return f"dc:{local}"
    return f"{{{uri}}}{local}"


class _Reader:
    """Builds each child of <channel> (an author, an item, the site's link...) and hands it over whole."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._refuse_dtd
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._data
        self.builder: TreeBuilder | None = None
        self.path: list[str] = []
        self.done: list[Element] = []
        self.seen_channel = False

    def _refuse_dtd(self, *args) -> None:
        raise WXRError(
            f"line {self.parser.CurrentLineNumber}: the file declares a document type (DTD); "
            "a WordPress export has none, and it is refused for safety."
        )

    def _refuse_entity(self, *args) -> None:
        raise WXRError(f"line {self.parser.CurrentLineNumber}: the file declares XML entities; refused for safety.")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        name = _short_name(name)
        depth = len(self.path)
        if depth == 0 and name != "rss":
            raise WXRError(f"the document is <{name}>, not an RSS/WXR export (<rss>).")
        if depth == 1 and name == "channel":
            self.seen_channel = True
        self.path.append(name)
        if depth == 2 and self.path[1] == "channel":
            self.builder = TreeBuilder()
        if self.builder is not None:
            self.builder.start(name, {_short_name(k): v for k, v in attrs.items()})

    def _end(self, name: str) -> None:
        self.path.pop()
        if self.builder is not None:
            self.builder.end(_short_name(name))
            if len(self.path) == 2:
                self.done.append(self.builder.close())
                self.builder = None

    def _data(self, text: str) -> None:
        if self.builder is not None:
            self.builder.data(text)

    def feed(self, data: bytes, final: bool = False) -> list[Element]:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as error:
            what = expat.ErrorString(error.code)
            raise WXRError(
                f"the XML breaks at line {error.lineno}, column {error.offset + 1}: {what}. "
                + (
                    "The file is not XML at all."
                    if error.lineno == 1 and error.offset == 0
                    else "Is the export truncated or damaged?"
                )
            ) from None
        if final and not self.seen_channel:
            raise WXRError("the file has no <channel>: it is not a WordPress export (WXR).")
        done, self.done = self.done, []
        return done


def read_wxr(stream: BinaryIO) -> Iterator[Element]:
    """Yield each child element of the export's <channel>, in order, raising WXRError on bad XML."""
    reader = _Reader()
    while chunk := stream.read(CHUNK_SIZE):
        yield from reader.feed(chunk)
    yield from reader.feed(b"", final=True)


def _text(element: Element, name: str) -> str:
    child = element.find(name)
    return (child.text or "").strip() if child is not None and child.text else ""


# --- Turning WordPress HTML into Markdown --------------------------------------------------------

_CAPTION_RE = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.DOTALL | re.IGNORECASE)
_GALLERY_RE = re.compile(r"\[gallery\b[^\]]*\]", re.IGNORECASE)
_EMBED_RE = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
_MEDIA_RE = re.compile(r"\[(?:video|audio|playlist)\b([^\]]*)\](?:.*?\[/(?:video|audio|playlist)\])?", re.I | re.S)
_URL_ATTR_RE = re.compile(r"""(?:src|mp4|mp3|ogg|webm|m4a|wav)=["']?(https?://[^"'\s\]]+)""", re.IGNORECASE)
_SHORTCODE_RE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\[\]]*)?)/?\]")
GALLERY_NOTE = "(A gallery of images was here on the WordPress site; it was not imported.)"


def strip_shortcodes(text: str) -> str:
    """Unwrap [caption], note [gallery], link [embed]/[video]/[audio]; unwrap other enclosing shortcodes,
    drop those with attributes, and leave bracketed words like [sic] alone."""
    text = _CAPTION_RE.sub(lambda m: m[1], text)
    text = _GALLERY_RE.sub(f"\n\n<p><em>{GALLERY_NOTE}</em></p>\n\n", text)
    text = _EMBED_RE.sub(lambda m: f'<p><a href="{html.escape(m[1])}">{html.escape(m[1])}</a></p>', text)

    def media(match: re.Match) -> str:
        url = _URL_ATTR_RE.search(match[1])
        return f'<p><a href="{html.escape(url[1])}">{html.escape(url[1])}</a></p>' if url else ""

    text = _MEDIA_RE.sub(media, text)
    closed = {m[2].lower() for m in _SHORTCODE_RE.finditer(text) if m[1]}

    def other(match: re.Match) -> str:
        if match[2].lower() in closed or "=" in match[3]:
            return ""
        return match[0]

    return _SHORTCODE_RE.sub(other, text)


_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]])")
_LINE_START_RE = re.compile(r"(^|\n)([ \t]*)([#>+\-]|\d+[.)])(?=\s|$)")
_BLOCKS = {"p", "div", "figure", "figcaption", "section", "article", "header", "footer", "table", "tr", "dl", "dd"}


def _escape(text: str) -> str:
    text = _MD_SPECIAL_RE.sub(r"\\\1", text)
    return _LINE_START_RE.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}", text)


class _MarkdownWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.buffers: list[list[str]] = [[]]
        self.links: list[str | None] = []
        self.lists: list[list] = []  # [kind, counter]
        self.pre = 0
        self.skip = 0

    @property
    def out(self) -> list[str]:
        return self.buffers[-1]

    def _block(self) -> None:
        self.out.append("\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in {"script", "style", "noscript", "object"}:
            self.skip += 1
        elif self.skip:
            return
        elif tag in _BLOCKS:
            self._block()
        elif tag == "br":
            self.out.append("\\\n" if not self.pre else "\n")
        elif tag == "hr":
            self.out.append("\n\n* * *\n\n")
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag in {"del", "s", "strike"}:
            self.out.append("~~")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "blockquote":
            self.buffers.append([])
        elif tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
            self.out.append("\n\n" if len(self.lists) == 1 else "\n")
        elif tag == "li":
            indent = "   " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.out.append(f"\n{indent}{self.lists[-1][1]}. ")
            else:
                self.out.append(f"\n{indent}- ")
        elif tag in {"td", "th"}:
            self.out.append(" ")
        elif tag == "a":
            href = a.get("href", "").strip()
            ok = href.startswith(("http://", "https://", "mailto:", "/")) and not self.links
            self.links.append(href if ok else None)
            if ok:
                self.out.append("[")
        elif tag == "img":
            src = a.get("src", "").strip()
            label = _escape(a.get("alt", "").strip() or a.get("title", "").strip() or "image")
            if src.startswith(("http://", "https://", "/")) and not any(self.links):
                self.out.append(f"[{label}]({_url(src)})")
            else:
                self.out.append(label)
        elif tag == "iframe":
            src = a.get("src", "").strip()
            if src.startswith(("http://", "https://")):
                self.out.append(f"\n\n[{_escape(src)}]({_url(src)})\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"br", "hr", "img", "iframe"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "noscript", "object"}:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in _BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self._block()
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag in {"del", "s", "strike"}:
            self.out.append("~~")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out.append("\n```\n\n")
        elif tag == "blockquote" and len(self.buffers) > 1:
            inner = _tidy("".join(self.buffers.pop()))
            quoted = "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
            self.out.append(f"\n\n{quoted}\n\n")
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self.out.append("\n\n" if not self.lists else "\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href is not None:
                self.out.append(f"]({_url(href)})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.out.append(data)
            return
        data = re.sub(r"\n[ \t]+", "\n", data)
        if self.lists or self.links:
            data = re.sub(r"\s+", " ", data)
        self.out.append(_escape(data))

    def result(self) -> str:
        while len(self.buffers) > 1:
            self.handle_endtag("blockquote")
        while self.links:
            self.handle_endtag("a")
        return _tidy("".join(self.out))


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_markdown(markup: str) -> str:
    """WordPress post HTML (shortcodes and all) → Markdown that renders to the same paragraphs and links."""
    writer = _MarkdownWriter()
    writer.feed(strip_shortcodes(markup))
    writer.close()
    return writer.result()


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag) -> None:
        if tag in _BLOCKS or tag in {"br", "li", "blockquote", "ul", "ol"} or re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    writer = _TextWriter()
    writer.feed(strip_shortcodes(markup))
    writer.close()
    return _tidy(re.sub(r"[ \t]+", " ", "".join(writer.parts)))


def make_lead(excerpt: str, content: str) -> str:
    """The excerpt, else the first paragraph of the body, cut near LEAD_LENGTH characters at a word."""
    text = html_to_text(excerpt) or html_to_text(content)
    first = next((p.strip() for p in re.split(r"\n\s*\n", text) if p.strip() and p.strip() != GALLERY_NOTE), "")
    first = re.sub(r"\s+", " ", first)
    if len(first) > LEAD_LENGTH:
        first = first[:LEAD_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first


# --- Dates ---------------------------------------------------------------------------------------


def parse_wp_date(gmt: str, local: str, rfc822: str = "") -> datetime | None:
    """The post_date_gmt, else post_date in the site's (= our) time zone, else the RSS pubDate."""
    for value, aware in ((gmt, True), (local, False)):
        if value and not value.startswith("0000-00-00"):
            try:
                parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 - made aware below
            except ValueError:
                continue
            if aware:
                return parsed.replace(tzinfo=UTC)
            return timezone.make_aware(parsed)
    if rfc822:
        try:
            parsed = parsedate_to_datetime(rfc822)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed is not None and parsed.year > 1:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


# --- Importing -----------------------------------------------------------------------------------


@dataclass
class Summary(Report):
    stories_created: int = 0
    stories_existing: int = 0
    comments_created: int = 0
    comments_existing: int = 0
    users_created: int = 0
    categories_created: int = 0
    tags_created: int = 0


def _clean_username(value: str) -> str:
    """A name made of what usernames may hold: other characters become spaces."""
    value = unicodedata.normalize("NFC", value or "")
    chars = []
    for char in value:
        cat = unicodedata.category(char)
        ok = char in " ()-." or char in "\u200c\u200d" or cat[0] in {"L", "M"} or cat == "Nd"
        chars.append(char if ok else " ")
    name = normalize_username("".join(chars))
    name = name.lstrip(" ()-.\u200c\u200d")
    while name and unicodedata.category(name[0])[0] == "M":
        name = name[1:]
    return name[:USERNAME_MAX_LENGTH].strip()


def make_username(*candidates: str) -> str:
    """The first candidate made valid and free; a number is added when a name (or a look-alike) is taken."""
    for candidate in candidates:
        base = _clean_username(candidate)
        if not base:
            continue
        for number in range(1, 50):
            name = base if number == 1 else f"{base[: USERNAME_MAX_LENGTH - 4].rstrip()} {number}"
            if username_is_free(name):
                return name
    number = 1
    while not username_is_free(f"WordPress author {number}"):
        number += 1
    return f"WordPress author {number}"


class WordPressImporter:
    def __init__(self, *, source: str | None = None, progress: Callable[[int, int], None] | None = None) -> None:
        self.source = source
        self.progress = progress
        self.summary = Summary()
        self.authors: dict[str, dict[str, str]] = {}
        self.users: dict[str, User] = {}
        self.language = "en"
        self.site = ""
        self._system_user: User | None = None
        self._blog_category: Category | None = None

    # The whole run.

    def check(self, path: Path) -> int:
        """Read the whole file once: well-formed, safe, a WXR? Returns how many items it holds."""
        count = 0
        with open(path, "rb") as stream:
            for element in read_wxr(stream):
                count += element.tag == "item"
        return count

    def run(self, path: Path) -> Summary:
        total = self.check(path)
        self._blog_category = Category.objects.filter(slug=BLOG_CATEGORY_SLUG).first()
        done = 0
        with open(path, "rb") as stream:
            for element in read_wxr(stream):
                if element.tag == "item":
                    self._import_item(element)
                    done += 1
                    if self.progress:
                        self.progress(done, total)
                else:
                    self._read_channel_field(element)
        if self.summary.stories_created or self.summary.comments_created:
            content_changed()
        return self.summary

    def _read_channel_field(self, element: Element) -> None:
        if element.tag == "wp:author":
            login = _text(element, "wp:author_login")
            if login:
                self.authors[login] = {
                    "email": _text(element, "wp:author_email"),
                    "display_name": _text(element, "wp:author_display_name"),
                    "first_name": _text(element, "wp:author_first_name"),
                    "last_name": _text(element, "wp:author_last_name"),
                }
        elif element.tag == "language" and element.text:
            self.language = element.text.strip().lower().replace("_", "-").split("-")[0][:20] or "en"
        elif element.tag in {"wp:base_blog_url", "wp:base_site_url", "link"} and element.text and not self.site:
            self.site = element.text.strip()

    @property
    def source_key(self) -> str:
        return (self.source or f"wxr:{self.site or 'unknown'}")[:200]

    def _import_item(self, item: Element) -> None:
        self.summary.items += 1
        post_type = _text(item, "wp:post_type") or "post"
        post_id = _text(item, "wp:post_id")
        label = f"item {self.summary.items}" + (
            f" (post {post_id}" + (f", “{t}”)" if (t := _text(item, "title")) else ")") if post_id else ""
        )
        if post_type != "post":
            self.summary.ignore(post_type)
            return
        self.summary.run_item(label, lambda: self._import_post(item, post_id))

    # Posts.

    def _import_post(self, item: Element, post_id: str) -> None:
        status = _text(item, "wp:status") or "publish"
        if not post_id:
            raise SkipItem("it has no wp:post_id, so a re-run could not recognise it")
        if status in {"trash", "auto-draft", "inherit"}:
            raise SkipItem(f"its status is “{status}”")
        title = _text(item, "title")
        if not title:
            raise SkipItem("it has no title")
        date = parse_wp_date(_text(item, "wp:post_date_gmt"), _text(item, "wp:post_date"), _text(item, "pubDate"))
        if date is None:
            raise SkipItem(f"its date “{_text(item, 'wp:post_date')}” is not a date")
        record = ImportedItem.objects.filter(source=self.source_key, key=f"post:{post_id}").first()
        if record is not None and record.story_id is not None:
            story = record.story
            self.summary.stories_existing += 1
        else:
            story = self._create_story(item, title, date, status == "publish")
            if record is not None:
                record.story = story
                record.save(update_fields=["story"])
            else:
                ImportedItem.objects.create(source=self.source_key, key=f"post:{post_id}", story=story)
            self.summary.stories_created += 1
        self._import_comments(item, post_id, story)

    def _create_story(self, item: Element, title: str, date: datetime, published: bool) -> Story:
        content = _text(item, "content:encoded")
        body = html_to_markdown(content)
        lead = make_lead(_text(item, "excerpt:encoded"), content) or title
        creators = [c.text.strip() for c in item.findall("dc:creator") if c.text and c.text.strip()]
        authors = [self._user_for_author(login) for login in dict.fromkeys(creators)]
        if not authors:
            authors = [self._system()]
        modified = parse_wp_date(_text(item, "wp:post_modified_gmt"), _text(item, "wp:post_modified")) or date
        story = Story.objects.create(
            title=title[:255],
            slug=self._free_slug(unquote(_text(item, "wp:post_name")) or title),
            lead=lead[:1000],
            body=body,
            body_html=render_markdown(body),
            language=self.language,
            created_by=authors[0],
            state=Story.State.PUBLISHED if published else Story.State.DRAFT,
            published_at=date if published else None,
            created_at=date,
            updated_at=max(modified, date),
        )
        story.authors.set(authors)
        categories, tags = [], []
        for element in item.findall("category"):
            name = (element.text or "").strip()
            nicename = unquote(element.get("nicename", "")).strip()
            domain = element.get("domain", "category")
            if domain == "category" and (name or nicename):
                categories.append(self._category(name or nicename, nicename or name))
            elif domain == "post_tag" and (name or nicename):
                tag = self._tag(name or nicename)
                if tag is not None:
                    tags.append(tag)
        story.categories.set(categories)
        story.tags.set(tags)
        if published and self._blog_category is not None:
            story.topic = self._create_topic(story, authors[0], tags)
            story.save(update_fields=["topic"])
        return story

    def _free_slug(self, text: str) -> str:
        base = make_slug(text, fallback="story", max_length=120)
        slug, number = base, 2
        while Story.objects.filter(slug=slug).exists():
            slug = f"{base[:110].rstrip('-')}-{number}"
            number += 1
        return slug

    def _category(self, name: str, nicename: str) -> BlogCategory:
        slug = make_slug(nicename, fallback="category", max_length=80)
        category, created = BlogCategory.objects.get_or_create(slug=slug, defaults={"name": name[:80]})
        self.summary.categories_created += created
        return category

    def _tag(self, name: str) -> Tag | None:
        slug = make_slug(name, fallback="", max_length=40)
        if not slug:
            return None
        tag, created = Tag.objects.get_or_create(name=slug)
        self.summary.tags_created += created
        return tag

    def _create_topic(self, story: Story, user: User, tags: list[Tag]) -> Topic:
        return story_topic_open(story=story, user=user, when=story.published_at or story.created_at, tags=tags)

    # People.

    def _new_user(self, *, email: str, names: list[str], display_name: str = "", **extra: str) -> User:
        user = User(username=make_username(*names), email=email, display_name=display_name[:100], **extra)
        user.set_unusable_password()
        user.save()
        self.summary.users_created += 1
        return user

    def _user_for_author(self, login: str) -> User:
        if login in self.users:
            return self.users[login]
        info = self.authors.get(login, {})
        email = info.get("email", "").strip().lower()
        user = User.objects.filter(email__iexact=email).order_by("pk").first() if email else None
        if user is None:
            display = info.get("display_name", "")
            user = self._new_user(
                email=email,
                names=[display, login],
                display_name=display,
                first_name=info.get("first_name", "")[:150],
                last_name=info.get("last_name", "")[:150],
            )
        self.users[login] = user
        return user

    def _system(self) -> User:
        if self._system_user is None:
            user = User.objects.filter(username_canonical=canonical_username(SYSTEM_USERNAME)).first()
            if user is None:
                user = User(username=SYSTEM_USERNAME, display_name="WordPress import")
                user.set_unusable_password()
                user.save()
                self.summary.users_created += 1
            self._system_user = user
        return self._system_user

    # Comments.

    def _import_comments(self, item: Element, post_id: str, story: Story) -> None:
        comments: dict[str, Element] = {}
        for element in item.findall("wp:comment"):
            comment_id = _text(element, "wp:comment_id")
            if comment_id:
                comments.setdefault(comment_id, element)
        numbers: dict[str, int] = {}
        visiting: set[str] = set()

        def handle(comment_id: str) -> None:
            if comment_id in numbers or comment_id in visiting:
                return
            visiting.add(comment_id)
            comment = comments[comment_id]
            parent = _text(comment, "wp:comment_parent")
            if parent in comments and parent != comment_id:
                handle(parent)
            number = self._import_comment(comment, comment_id, post_id, story, numbers.get(parent))
            if number is not None:
                numbers[comment_id] = number

        for comment_id in sorted(comments, key=lambda c: (int(c) if c.isdigit() else 0, c)):
            handle(comment_id)

    def _import_comment(
        self, comment: Element, comment_id: str, post_id: str, story: Story, reply_to: int | None
    ) -> int | None:
        label = f"comment {comment_id} on post {post_id}"
        key = f"comment:{post_id}:{comment_id}"
        record = ImportedItem.objects.filter(source=self.source_key, key=key).select_related("post").first()
        if record is not None and record.post is not None:
            self.summary.comments_existing += 1
            return record.post.number
        kind = _text(comment, "wp:comment_type")
        if kind in {"pingback", "trackback"}:
            return None
        if _text(comment, "wp:comment_approved") != "1":
            return None  # spam, in moderation or trashed on the WordPress site: not published there
        if story.topic_id is None:
            self.summary.skip(label, "the story has no discussion topic (no “blog” category, or not published)")
            return None
        date = parse_wp_date(_text(comment, "wp:comment_date_gmt"), _text(comment, "wp:comment_date"))
        if date is None:
            self.summary.skip(label, "its date is not a date")
            return None
        body = html_to_markdown(_text(comment, "wp:comment_content"))
        if not body:
            self.summary.skip(label, "it is empty")
            return None
        email = _text(comment, "wp:comment_author_email").lower()
        login = next((k for k, v in self.authors.items() if email and v.get("email", "").lower() == email), None)
        if login is not None:
            user = self._user_for_author(login)  # one of the blog's authors: their account, made if need be
        elif email and _text(comment, "wp:comment_user_id") not in {"", "0"}:
            # Signed in on the WordPress site when commenting; an address typed into the comment form
            # by a stranger proves nothing, so it never attributes a comment to someone here.
            user = User.objects.filter(email__iexact=email).order_by("pk").first()
        else:
            user = None
        if user is None:
            name = _text(comment, "wp:comment_author") or "Anonymous"
            url = _text(comment, "wp:comment_author_url")
            shown = _escape(name)
            if url.startswith(("http://", "https://")):
                shown = f"[{shown}]({_url(url)})"
            body = f"**{shown}** wrote:\n\n{body}"
            user = self._system()
        with transaction.atomic():
            topic = Topic.objects.select_for_update().get(pk=story.topic_id)
            number = topic.highest_post_number + 1
            post = Post.objects.create(
                topic=topic,
                number=number,
                user=user,
                raw=body,
                html=render_markdown(body),
                reply_to_number=reply_to,
                created_at=date,
                updated_at=date,
            )
            changes: dict = {
                "highest_post_number": number,
                "posts_count": F("posts_count") + 1,
                "reply_count": F("reply_count") + 1,
            }
            if date >= topic.last_posted_at:
                changes.update(last_posted_at=date, bumped_at=date, last_poster=user)
            Topic.objects.filter(pk=topic.pk).update(**changes)
            if topic.category_id is not None:
                Category.objects.filter(pk=topic.category_id).update(post_count=F("post_count") + 1)
            if record is not None:
                record.post = post
                record.save(update_fields=["post"])
            else:
                ImportedItem.objects.create(source=self.source_key, key=key, post=post)
        self.summary.comments_created += 1
        return number
