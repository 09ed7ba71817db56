"""Feed reads: what each feed and widget lists, as its viewer may see it, in a fixed number of queries.

Every list starts from the permission module (listed_topics, listed_posts, visible_posts,
listed_occurrences, published_stories), so private content never reaches a feed. A feed is a
`FeedSource` of format-neutral `Entry` rows; agora.feeds.writers turns it into RSS, Atom or JSON Feed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.queries import get_active_user_by_url_name
from agora.blog import queries as blog_queries
from agora.blog.models import BlogCategory, Story
from agora.core.language_filter import parse_codes
from agora.discuss import queries as discuss_queries
from agora.discuss.models import Post, Tag, Topic
from agora.events.models import Event, Occurrence
from agora.groups import queries as group_queries

FEED_SIZE = 20
MAX_LIMIT = 50
SUMMARY_CHARS = 300
MAX_TAGS = 10
# The query string names a feed understands; any other is refused (a typo would otherwise be a silently
# unfiltered feed that someone embeds in a wiki page).
TOPIC_FILTERS = frozenset({"tags", "tag", "category", "lang", "limit"})
POST_FILTERS = frozenset({"lang", "limit"})
STORY_FILTERS = frozenset({"lang"})


QS = TypeVar("QS", bound=QuerySet[Any])


class BadFilter(ValueError):
    """A query string a feed or widget cannot honour: answered 400 with this message."""


# The message never repeats the name asked for: a private category's slug is not for pages to echo, and
# the answer is the same whether the place is private or does not exist.
def no_category_message() -> str:
    return _("The category filter names no category you can read (use its slug, as in /c/<slug>).")


def no_tag_message() -> str:
    return _("The tag filter names a tag you cannot read or that does not exist.")


@dataclass(frozen=True)
class FeedFilters:
    """What a feed is narrowed to. Names are resolved as the viewer sees them: a private category or tag
    is refused exactly like one that does not exist."""

    category_ids: tuple[int, ...] = ()
    category_slug: str = ""
    tag_ids: tuple[int, ...] = ()
    tag_names: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    limit: int = FEED_SIZE

    def key(self) -> str:
        """The filter in a canonical spelling, for ETags."""
        return f"c={self.category_slug};t={','.join(self.tag_names)};l={','.join(self.langs)};n={self.limit}"


@dataclass
class Entry:
    """One item of a feed, whatever its format."""

    guid: str  # a path, made absolute by the view; stable across renames (ids, never slugs)
    title: str
    link: str  # a path
    author_name: str
    author_link: str  # a path, or ""
    published: datetime
    updated: datetime
    content_html: str  # the stored, sanitised HTML
    categories: list[str] = field(default_factory=list)
    language: str = ""
    # Events: when the date is (the widget shows it).
    starts: datetime | None = None

    @property
    def summary(self) -> str:
        return Truncator(strip_tags(self.content_html)).chars(SUMMARY_CHARS)


@dataclass
class FeedSource:
    title: str
    link: str  # the page the feed mirrors (a path)
    description: str
    entries: list[Entry]
    language: str = ""

    def newest(self) -> datetime | None:
        return max((e.updated for e in self.entries), default=None)

    def fingerprint(self, *parts: str) -> str:
        """What the ETag is made of: the feed, its filter and viewer (`parts`), and each item's id and date,
        so a new, edited or removed item changes it."""
        digest = hashlib.sha256("\x00".join(parts).encode())
        digest.update(self.title.encode())
        for entry in self.entries:
            digest.update(f"\x00{entry.guid}@{entry.updated.isoformat()}".encode())
        return digest.hexdigest()[:32]


# --- Filters ---------------------------------------------------------------------------------------


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(" ", ",").split(",") if part.strip()]


def parse_filters(user: Any, params: QueryDict, *, allowed: frozenset[str] = TOPIC_FILTERS) -> FeedFilters:
    """The filters of a feed's query string (`?tags=a,b&lang=pa&category=slug&limit=10`); BadFilter when a
    name or a value is not one this feed knows."""
    unknown = sorted(name for name in params if name not in allowed)
    if unknown:
        raise BadFilter(
            _("Unknown filter: %(names)s. This feed takes: %(allowed)s.")
            % {"names": ", ".join(n[:40] for n in unknown[:5]), "allowed": ", ".join(sorted(allowed))}
        )
    category_ids: tuple[int, ...] = ()
    slug = (params.get("category") or "").strip()
    if slug:
        visible = permissions.visible_categories(user)
        category = visible.filter(slug=slug[:80]).first()
        if category is None:
            raise BadFilter(no_category_message())
        children = visible.filter(parent=category).values_list("id", flat=True)
        category_ids = (category.pk, *children)
    names = [n.lower() for n in _split(params.get("tags", "") + "," + params.get("tag", ""))]
    names = list(dict.fromkeys(names))
    if len(names) > MAX_TAGS:
        raise BadFilter(_("At most %(n)d tags at once.") % {"n": MAX_TAGS})
    tags: list[Tag] = []
    if names:
        found = {t.name: t for t in discuss_queries.tags_usable_by(user).filter(name__in=[n[:40] for n in names])}
        missing = [n for n in names if n not in found]
        if missing:
            raise BadFilter(no_tag_message())
        tags = [found[n] for n in names]
    langs: list[str] = []
    raw_lang = (params.get("lang") or "").strip()
    if raw_lang and raw_lang.casefold() != "all":
        langs, unknown_langs = parse_codes(raw_lang)
        if unknown_langs:
            raise BadFilter(_("“%(code)s” is not a language code we know.") % {"code": unknown_langs[0]})
    limit = FEED_SIZE
    raw_limit = (params.get("limit") or "").strip()
    if raw_limit:
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise BadFilter(_("The limit is a number from 1 to %(max)d.") % {"max": MAX_LIMIT})
        limit = int(raw_limit)
    return FeedFilters(
        category_ids=category_ids,
        category_slug=slug if category_ids else "",
        tag_ids=tuple(t.pk for t in tags),
        tag_names=tuple(t.name for t in tags),
        langs=tuple(langs),
        limit=limit,
    )


def _filter_topics(qs: QS, filters: FeedFilters, prefix: str = "") -> QS:
    """`qs` narrowed to the filters; `prefix` reaches the topic from another model ("topic__")."""
    if filters.category_ids:
        qs = qs.filter(**{f"{prefix}category_id__in": filters.category_ids})
    if filters.tag_ids:
        # Any of the tags (Discourse's comma), as a subquery: no duplicate rows.
        tagged = Topic.tags.through.objects.filter(tag_id__in=filters.tag_ids).values("topic_id")
        qs = qs.filter(**{f"{prefix}id__in": tagged})
    if filters.langs:
        qs = qs.filter(**{f"{prefix}language__in": filters.langs})
    return qs


# --- Discussion feeds ------------------------------------------------------------------------------


def _author(user: Any, anonymous: bool) -> tuple[str, str]:
    if anonymous:
        return _("Anonymous"), ""
    return user.name, user.get_absolute_url()


def _topic_labels(topic: Topic) -> list[str]:
    labels = [topic.category.name] if topic.category is not None else []
    return labels + [t.name for t in topic.tags.all()]


def topic_entries(user: Any, topics: QuerySet[Topic], limit: int) -> list[Entry]:
    """The newest topics of `topics` as entries, each with its opening post's HTML (as the viewer may read
    it: a post hidden pending review leaves its topic with no content). Three queries."""
    rows = list(
        topics.select_related("category", "user")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("id", "name")))
        .order_by("-created_at", "-id")[:limit]
    )
    openings = {
        p.topic_id: p
        for p in permissions.visible_posts(user)
        .filter(topic_id__in=[t.pk for t in rows], number=1)
        .only("id", "topic_id", "html", "updated_at")
    }
    entries = []
    for topic in rows:
        opening = openings.get(topic.pk)
        name, link = _author(topic.user, topic.anonymous)
        entries.append(
            Entry(
                guid=f"/t/{topic.pk}",
                title=topic.title,
                link=topic.get_absolute_url(),
                author_name=name,
                author_link=link,
                published=topic.created_at,
                updated=max(topic.created_at, opening.updated_at) if opening else topic.created_at,
                content_html=opening.html if opening else "",
                categories=_topic_labels(topic),
                language=topic.language,
            )
        )
    return entries


def post_entries(posts: QuerySet[Post], limit: int) -> list[Entry]:
    """The newest posts of `posts` as entries (post 1 under its topic's title, replies as "Re: …"). Two
    queries."""
    rows = list(
        posts.filter(action="", anonymous=False)
        .select_related("user", "topic", "topic__category")
        .prefetch_related(Prefetch("topic__tags", queryset=Tag.objects.only("id", "name")))
        .order_by("-created_at", "-id")[:limit]
    )
    entries = []
    for post in rows:
        topic = post.topic
        title = topic.title if post.number == 1 else _("Re: %(title)s") % {"title": topic.title}
        entries.append(
            Entry(
                guid=f"/p/{post.pk}",
                title=title,
                link=f"/t/{topic.slug}/{topic.pk}/{post.number}",
                author_name=post.user.name,
                author_link=post.user.get_absolute_url(),
                published=post.created_at,
                updated=max(post.created_at, post.updated_at),
                content_html=post.html,
                categories=_topic_labels(topic),
                language=post.language or topic.language,
            )
        )
    return entries


def latest_feed(user: Any, filters: FeedFilters) -> FeedSource:
    topics = _filter_topics(permissions.listed_topics(user), filters)
    return FeedSource(
        title=_("%(site)s: latest topics") % {"site": settings.SITE_NAME},
        link="/latest",
        description=_("The newest topics on %(site)s") % {"site": settings.SITE_NAME},
        entries=topic_entries(user, topics, filters.limit),
        language=filters.langs[0] if len(filters.langs) == 1 else "",
    )


def category_feed(user: Any, slug: str, filters: FeedFilters) -> FeedSource:
    category = permissions.get_category_for_user(user, slug)
    ids = [category.pk, *permissions.visible_categories(user).filter(parent=category).values_list("id", flat=True)]
    topics = _filter_topics(permissions.listed_topics(user).filter(category_id__in=ids), filters)
    return FeedSource(
        title=f"{settings.SITE_NAME}: {category.name}",
        link=f"/c/{quote(category.slug)}",
        description=category.description or category.name,
        entries=topic_entries(user, topics, filters.limit),
        language=category.default_language,
    )


def tag_feed(user: Any, name: str, filters: FeedFilters) -> FeedSource:
    tag = discuss_queries.get_tag_for_user(user, name)
    topics = _filter_topics(permissions.listed_topics(user).filter(tags=tag), filters)
    return FeedSource(
        title=f"{settings.SITE_NAME}: #{tag.name}",
        link=f"/tag/{quote(tag.name)}",
        description=tag.description or _("Topics tagged %(tag)s") % {"tag": tag.name},
        entries=topic_entries(user, topics, filters.limit),
    )


def group_feed(user: Any, name: str, filters: FeedFilters) -> FeedSource:
    """Topics in the categories of a group the viewer may see (a hidden group is a 404, as for a name
    nobody has)."""
    group = permissions.get_group_for_user(user, name)
    ids = group_queries.group_category_ids(user, group)
    topics = _filter_topics(permissions.listed_topics(user).filter(category_id__in=ids), filters)
    return FeedSource(
        title=f"{settings.SITE_NAME}: {group.name}",
        link=f"/g/{quote(group.name)}",
        description=_("Topics in the categories of %(group)s") % {"group": group.name},
        entries=topic_entries(user, topics, filters.limit),
    )


def person_feed(user: Any, username: str, filters: FeedFilters) -> FeedSource:
    """A person's topics and replies, as the viewer may see them (listed_posts: never messages)."""
    person = get_active_user_by_url_name(username)
    posts = _filter_topics(permissions.listed_posts(user).filter(user=person), filters, prefix="topic__")
    return FeedSource(
        title=f"{settings.SITE_NAME}: {person.name}",
        link=person.get_absolute_url(),
        description=_("Topics and replies by %(name)s") % {"name": person.name},
        entries=post_entries(posts, filters.limit),
    )


def topic_feed(user: Any, pk: int, filters: FeedFilters, slug: str = "") -> FeedSource:
    """A topic's posts, newest first. Never a private message's: a feed's address travels (feed readers,
    shared links) further than a page's."""
    topic = permissions.get_topic_for_user(user, pk)
    if topic.is_message or topic.deleted_at is not None:
        raise Http404
    posts = permissions.visible_posts(user).filter(topic=topic)
    if filters.langs:
        posts = posts.filter(Q(language__in=filters.langs) | Q(language="", topic__language__in=filters.langs))
    return FeedSource(
        title=f"{settings.SITE_NAME}: {topic.title}",
        link=topic.get_absolute_url(),
        description=topic.title,
        entries=post_entries(posts, filters.limit),
        language=topic.language,
    )


# --- Widget lists ----------------------------------------------------------------------------------


def embed_topics(user: Any, filters: FeedFilters) -> list[Entry]:
    return latest_feed(user, filters).entries


def parse_story_filters(params: QueryDict) -> tuple[BlogCategory | None, Tag | None, tuple[str, ...], int]:
    """The widget's story filters: a blog category's slug, one tag, languages and a limit."""
    unknown = sorted(name for name in params if name not in {"category", "tag", "lang", "limit"})
    if unknown:
        raise BadFilter(
            _("Unknown filter: %(names)s. This feed takes: %(allowed)s.")
            % {"names": ", ".join(n[:40] for n in unknown[:5]), "allowed": "category, lang, limit, tag"}
        )
    category = None
    if slug := (params.get("category") or "").strip():
        category = BlogCategory.objects.filter(slug=slug[:80]).first()
        if category is None:
            raise BadFilter(no_category_message())
    tag = None
    if name := (params.get("tag") or "").strip().lower():
        tag = Tag.objects.filter(name=name[:40], stories__in=permissions.published_stories(None)).first()
        if tag is None:
            raise BadFilter(no_tag_message())
    rest = QueryDict(mutable=True)
    for key in ("lang", "limit"):
        if key in params:
            rest[key] = params.get(key, "")
    base = parse_filters(None, rest, allowed=frozenset({"lang", "limit"}))
    return category, tag, base.langs, base.limit


def embed_stories(params: QueryDict) -> list[Entry]:
    """Published stories (the same for everyone), newest first."""
    category, tag, langs, limit = parse_story_filters(params)
    qs = blog_queries.latest_stories(None)
    if category is not None:
        qs = qs.filter(categories=category)
    if tag is not None:
        qs = qs.filter(tags=tag)
    if langs:
        qs = qs.filter(language__in=langs)
    stories: list[Story] = list(qs[:limit])
    return [
        Entry(
            guid=story.get_absolute_url(),
            title=story.title,
            link=story.get_absolute_url(),
            author_name=", ".join(a.name for a in story.authors.all()),
            author_link="",
            published=story.published_at or story.updated_at,
            updated=story.updated_at,
            content_html="",
            language=story.language,
        )
        for story in stories
    ]


def embed_events(user: Any, filters: FeedFilters) -> list[Entry]:
    """The next dates of listed events, not cancelled, soonest first (one query after the filters)."""
    qs: Any = permissions.listed_occurrences(user)
    qs = qs.upcoming().filter(cancelled=False).exclude(event__status=Event.Status.CANCELLED)
    qs = _filter_topics(qs, filters, prefix="event__topic__")
    rows: list[Occurrence] = list(
        qs.select_related("event", "event__topic", "event__topic__category").order_by("start_utc", "id")[
            : filters.limit
        ]
    )
    return [
        Entry(
            guid=f"/t/{o.event.topic.pk}#{o.pk}",
            title=o.event.topic.title,
            link=o.event.topic.get_absolute_url(),
            author_name="",
            author_link="",
            published=o.start_utc,
            updated=o.start_utc,
            content_html="",
            language=o.event.topic.language,
            starts=o.start_utc,
        )
        for o in rows
    ]
