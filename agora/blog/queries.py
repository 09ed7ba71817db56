"""Every read of the blog for readers: lists, one story, its comments and its other languages.

Lists start from permissions.published_stories (the same for everyone); a story page from
permissions.visible_stories (drafts to their authors and editors). Each read runs a fixed number of
queries whatever the number of stories: the authors, categories and tags of a page come in one
query each.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.http import Http404
from django.utils.translation import get_language as interface_language

from agora import permissions
from agora.accounts.models import User
from agora.accounts.queries import get_active_user_by_url_name
from agora.core.language_filter import LanguageFilter, apply_language_filter
from agora.core.languages import CONTENT_LANGUAGE_CODES
from agora.discuss.models import Post, Tag

from .models import BlogCategory, Series, Story

WORDS_PER_MINUTE = 200
SECTION_SIZE = 3
LATEST_NEWS_SIZE = 3
MAX_COMMENTS = 100


def _for_lists(qs: QuerySet[Story]) -> QuerySet[Story]:
    """What a list shows per story: its series, authors, categories and tags (one query each)."""
    return qs.select_related("series").prefetch_related(
        Prefetch("authors", queryset=User.objects.order_by("username")),
        "categories",
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    )


def latest_stories(user: Any) -> QuerySet[Story]:
    return _for_lists(permissions.published_stories(user)).order_by("-published_at", "-id")


def one_per_story(qs: QuerySet[Story], languages: list[str]) -> QuerySet[Story]:
    """`qs` with each story once whatever its translations: the version in the first of `languages` that
    has one, else the original (else the earliest version the list holds). Still one query, paginated in
    SQL: a window numbers each story's versions by preference and only the first is kept."""
    preference = [When(language=code, then=Value(rank)) for rank, code in enumerate(languages[:8])]
    rank = Case(
        *preference,
        When(translation_of__isnull=True, then=Value(50)),
        default=Value(100),
        output_field=IntegerField(),
    )
    order = list(qs.query.order_by) or ["-published_at", "-id"]
    return (
        qs.annotate(
            version_rank=Window(
                RowNumber(),
                partition_by=[Coalesce("translation_of_id", "id")],
                order_by=[rank.asc(), F("published_at").asc(), F("id").asc()],
            )
        )
        .filter(version_rank=1)
        .order_by(*order)
    )


def stories_for_reader(
    qs: QuerySet[Story], lf: LanguageFilter, reader: list[str], *, fold: bool = True
) -> QuerySet[Story]:
    """A blog list as a reader gets it: narrowed by `?lang=` when given, then each story once, in the
    reader's language where it has a version (`lf.codes` first when filtering, else `reader`)."""
    qs = apply_language_filter(qs, lf)
    return one_per_story(qs, lf.codes or reader) if fold else qs


def featured_story(user: Any, languages: list[str] | None = None) -> Story | None:
    """The story on top of the front page: its title, cover and lead only (one query, no prefetch), in
    the first of `languages` it has a version in (a translation of a featured story is featured too)."""
    qs = permissions.published_stories(user).filter(Q(featured=True) | Q(translation_of__featured=True))
    newest = Coalesce("translation_of__published_at", "published_at").desc()
    return one_per_story(qs.order_by(newest, "-id"), languages or []).first()


def category_sections(user: Any, *, size: int = SECTION_SIZE) -> list[tuple[BlogCategory, list[Story]]]:
    """Each blog category with its newest published stories, in a fixed number of queries: the newest
    `size` links per category are picked by a window function, then the stories fetched at once."""
    Link = Story.categories.through
    published = permissions.published_stories(user).values("id")
    links = list(
        Link.objects.filter(story_id__in=published)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("blogcategory_id")],
                order_by=[F("story__published_at").desc(), F("story_id").desc()],
            )
        )
        .filter(rank__lte=size)  # type: ignore[misc]  # django-stubs cannot see a window annotation
        .values_list("blogcategory_id", "story_id")
    )
    if not links:
        return []
    stories = {s.pk: s for s in latest_stories(user).filter(id__in={sid for _cid, sid in links})}
    by_category: dict[int, list[Story]] = {}
    for cid, sid in links:
        if sid in stories:
            by_category.setdefault(cid, []).append(stories[sid])
    sections = []
    for category in BlogCategory.objects.filter(id__in=by_category):
        items = sorted(by_category[category.pk], key=lambda s: (s.published_at, s.pk), reverse=True)
        sections.append((category, items))
    return sections


def get_blog_category(slug: str) -> BlogCategory:
    category = BlogCategory.objects.filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def get_series(slug: str) -> Series:
    series = Series.objects.filter(slug=slug).first()
    if series is None:
        raise Http404
    return series


def get_blog_tag(user: Any, name: str) -> Tag:
    """A tag that some published story carries. A tag used only on private topics or on drafts is
    answered like a missing one, so its name is never confirmed."""
    tag = Tag.objects.filter(name=name.lower(), stories__in=permissions.published_stories(user).values("id")).first()
    if tag is None:
        raise Http404
    return tag


def get_author(username: str) -> User:
    return get_active_user_by_url_name(username)


def get_language(code: str) -> str:
    if code not in CONTENT_LANGUAGE_CODES:
        raise Http404
    return code


def month_range(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        raise Http404
    start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=datetime.UTC)
    return start, end


def category_stories(user: Any, category: BlogCategory) -> QuerySet[Story]:
    return latest_stories(user).filter(categories=category)


def tag_stories(user: Any, tag: Tag) -> QuerySet[Story]:
    return latest_stories(user).filter(tags=tag)


def author_stories(user: Any, author: User) -> QuerySet[Story]:
    return latest_stories(user).filter(authors=author)


def language_stories(user: Any, code: str) -> QuerySet[Story]:
    return latest_stories(user).filter(language=code)


def series_stories(user: Any, series: Series) -> QuerySet[Story]:
    return latest_stories(user).filter(series=series)


def month_stories(user: Any, year: int, month: int) -> QuerySet[Story]:
    start, end = month_range(year, month)
    return latest_stories(user).filter(published_at__gte=start, published_at__lt=end)


def get_story_for_user(user: Any, slug: str) -> Story:
    """The story if the user may open it (published, or theirs, or an editor's to review); else 404."""
    qs = permissions.visible_stories(user).select_related("series", "topic", "translation_of", "group")
    story = (
        qs.filter(slug=slug)
        .prefetch_related(
            Prefetch("authors", queryset=User.objects.order_by("username")),
            "categories",
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
        .first()
    )
    if story is None:
        raise Http404
    return story


def story_translations(user: Any, story: Story) -> list[Story]:
    """The same story in other languages: the original and its published translations, not this one."""
    original_id = story.translation_of_id or story.pk
    return list(
        permissions.published_stories(user)
        .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
        .exclude(pk=story.pk)
        .order_by("language", "pk")
    )


def story_comments(user: Any, story: Story) -> list[Post]:
    """The replies of the story's discussion topic the user may read (never the opening post)."""
    if story.topic_id is None:
        return []
    return list(
        permissions.visible_posts(user)
        .filter(topic_id=story.topic_id, number__gt=1)
        .select_related("user")
        .order_by("number")[:MAX_COMMENTS]
    )


def reading_minutes(story: Story) -> int:
    return max(1, round(len(story.body.split()) / WORDS_PER_MINUTE))


# --- the writers' and editors' side ----------------------------------------------------------------

# The editorial queue's tabs, in the order a story moves through them.
QUEUE_STATES = (
    Story.State.SUBMITTED,
    Story.State.IN_REVIEW,
    Story.State.CHANGES_REQUESTED,
    Story.State.SCHEDULED,
)


def _for_desk(qs: QuerySet[Story]) -> QuerySet[Story]:
    return qs.select_related("series", "topic", "translation_of", "claimed_by", "group", "created_by").prefetch_related(
        Prefetch("authors", queryset=User.objects.order_by("username")),
        "categories",
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    )


def get_story_desk_for_user(user: Any, pk: int) -> Story:
    """A story's editorial desk, for its authors and (once submitted) the editors; 404 for anyone else,
    published or not: readers have the story's own page."""
    story = _for_desk(permissions.desk_stories(user)).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


def story_timeline(story: Story) -> list[Any]:
    """The story's changes of state and its editorial comments, oldest first (two queries)."""
    events = list(story.events.select_related("user"))
    comments = list(story.editorial_comments.select_related("user"))
    return sorted([*events, *comments], key=lambda item: (item.created_at, item.pk))


def story_revisions(story: Story) -> list[Any]:
    return list(story.revisions.select_related("user").order_by("-number"))


def my_stories(user: Any) -> QuerySet[Story]:
    """The stories the user wrote or co-wrote, in any state, latest change first."""
    mine = Story.authors.through.objects.filter(user_id=user.pk).values("story_id")
    return _for_lists(permissions.desk_stories(user).filter(id__in=mine)).order_by("-updated_at", "-id")


def review_queue(user: Any, state: str) -> QuerySet[Story]:
    """Stories in one state of the editorial queue, oldest first: the one waiting longest on top."""
    return (
        _for_lists(permissions.visible_stories(user).filter(state=state))
        .select_related("claimed_by")
        .order_by("updated_at", "id")
    )


def queue_counts(user: Any) -> dict[str, int]:
    """How many stories wait in each state of the queue (one query)."""
    rows = (
        permissions.visible_stories(user)
        .filter(state__in=QUEUE_STATES)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, int] = dict.fromkeys(QUEUE_STATES, 0)
    counts.update(dict(rows))
    return counts


def calendar_stories(
    user: Any, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, Story]]:
    """Scheduled stories by the time they will appear and published ones by the time they did, within
    [start, end): the editorial calendar (one query)."""
    qs = permissions.visible_stories(user).filter(
        Q(state=Story.State.SCHEDULED, scheduled_at__gte=start, scheduled_at__lt=end)
        | Q(state=Story.State.PUBLISHED, published_at__gte=start, published_at__lt=end)
    )
    dated = [(s.scheduled_at if s.state == Story.State.SCHEDULED else s.published_at, s) for s in qs]
    return sorted(dated, key=lambda pair: (pair[0], pair[1].pk))


def group_stories(user: Any, group: Any, *, limit: int = LATEST_NEWS_SIZE) -> list[Story]:
    """The newest published stories that speak for the group, for its page."""
    return list(permissions.published_stories(user).filter(group=group).order_by("-published_at", "-id")[:limit])


def original_for_translation(user: Any, slug: str) -> Story:
    """The story an author or editor names as the original of a translation: one they may open; 404 else."""
    story = permissions.visible_stories(user).filter(slug=slug).first()
    if story is None:
        raise Http404
    return story


def sidebar_latest_news(user: Any, *, topic_id: int | None = None) -> list[Story]:
    """The Discuss sidebar's "Latest news" block (agora.discuss.sidebar): each story once, in the
    interface's language where it has it; a story's own discussion page does not list the story."""
    return latest_news_one_per_story(user, language=interface_language() or "", exclude_topic_id=topic_id)


def latest_news_one_per_story(
    user: Any,
    *,
    language: str = "",
    limit: int = LATEST_NEWS_SIZE,
    exclude_topic_id: int | None = None,
    exclude_story: Story | None = None,
) -> list[Story]:
    """The newest published stories, each once whatever its translations: in `language` where it has a
    version in it, else the newest version. Without the story (in every language) whose discussion is
    topic `exclude_topic_id`, or `exclude_story` (in every language). One query: a window of the newest
    rows, folded in Python (a story seldom has more than a few languages)."""
    rows = permissions.published_stories(user).order_by("-published_at", "-id")
    if exclude_topic_id is not None:
        original = Coalesce("translation_of_id", "id")
        shown_here = Story.objects.filter(topic_id=exclude_topic_id).annotate(original=original).values("original")
        rows = rows.annotate(original=original).exclude(original__in=shown_here)
    if exclude_story is not None:
        rows = rows.exclude(id=exclude_story.translation_of_id or exclude_story.pk).exclude(
            translation_of_id=exclude_story.translation_of_id or exclude_story.pk
        )
    wanted = language.lower()

    def in_language(story: Story) -> bool:
        code = story.language.lower()
        return code == wanted or code == wanted.split("-")[0]

    picked: dict[int, Story] = {}
    for story in rows[: limit * 4]:
        key = story.translation_of_id or story.pk
        if key not in picked:
            if len(picked) == limit:
                continue  # only a better language for a story already picked may still come
            picked[key] = story
        elif in_language(story) and not in_language(picked[key]):
            picked[key] = story
    return sorted(picked.values(), key=lambda s: (s.published_at, s.pk), reverse=True)


def visible_original(user: Any, story: Story) -> Story | None:
    """The story this one translates, if the user may open it (else it is not named to them)."""
    if story.translation_of_id is None:
        return None
    if not permissions.visible_stories(user).filter(pk=story.translation_of_id).exists():
        return None
    return story.translation_of


def archive_months(user: Any) -> list[tuple[datetime.date, int]]:
    """Each month with published stories, newest first, with how many (one query): the archive's index."""
    rows = (
        permissions.published_stories(user)
        .annotate(month=TruncMonth("published_at", tzinfo=datetime.UTC))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("-month")
    )
    return [(month.date(), n) for month, n in rows if month is not None]


# --- "Help translate" ------------------------------------------------------------------------------


def stories_to_translate(user: Any, languages: list[str]) -> QuerySet[Story]:
    """Published originals the user may read that lack a translation (published or under way, that is
    not declined) into at least one of `languages`, newest first. One query: one condition per language."""
    live = [s for s in Story.State.values if s != Story.State.DECLINED]
    wanted = Q(pk__in=[])
    for code in languages[:8]:
        has_one = Story.objects.filter(translation_of_id=OuterRef("pk"), language=code, state__in=live)
        wanted |= ~Q(language=code) & ~Q(Exists(has_one))
    return (
        _for_lists(permissions.published_stories(user).filter(translation_of__isnull=True))
        .filter(wanted)
        .order_by("-published_at", "-id")
    )


def missing_languages(stories: list[Story], languages: list[str]) -> dict[int, list[str]]:
    """For each story, which of `languages` it still lacks (one query for all of them)."""
    taken: dict[int, set[str]] = {s.pk: {s.language} for s in stories}
    rows = (
        Story.objects.filter(translation_of_id__in=list(taken), language__in=languages)
        .exclude(state=Story.State.DECLINED)
        .values_list("translation_of_id", "language")
    )
    for original_id, code in rows:
        taken[original_id].add(code)
    return {pk: [code for code in languages if code not in codes] for pk, codes in taken.items()}


def story_to_translate(user: Any, pk: int) -> Story:
    """A published story the user may read, to start a translation of; 404 else."""
    story = permissions.published_stories(user).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story
