"""Blog pages for readers: the front page, a story with its comments, and lists. Thin: fetch through
the queries (which start from the permission module), render."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora import permissions
from agora.core.language_filter import language_filter
from agora.core.languages import language_autonym, language_name
from agora.core.pagination import page_number, peek_page
from agora.core.reader import reader_languages
from agora.core.translated_names import translated
from agora.core.when import when_text
from agora.discuss.forms import ReplyForm

from . import queries


def _for_reader(request: HttpRequest, qs, *, fold: bool = True):
    """The list narrowed by `?lang=` and each story once, in the reader's language where it has one (the
    blog is not in the visitors' page cache, so the reader's Accept-Language may choose)."""
    languages = language_filter(request, lead_with_reader=False)
    return queries.stories_for_reader(qs, languages, reader_languages(request), fold=fold), languages


def _story_list(
    request: HttpRequest, qs, title: str, *, feed_url: str = "", fold: bool = True, **extra
) -> HttpResponse:
    qs, languages = _for_reader(request, qs, fold=fold)
    page = peek_page(qs, page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    context = {
        "page": page,
        "stories": page.object_list,
        "list_title": title,
        "feed_url": _with_languages(feed_url, languages),
        "languages": languages,
        **extra,
    }
    return render(request, "blog/story_list.html", context)


def _with_languages(feed_url: str, languages) -> str:
    return f"{feed_url}?lang={quote(languages.value)}" if feed_url and languages.codes else feed_url


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    number = page_number(request)
    stories, languages = _for_reader(request, queries.latest_stories(user))
    page = peek_page(stories, number, settings.AGORA_TOPICS_PER_PAGE)
    first_page = number == 1 and not languages.codes
    # A reader of other languages than the site's own finds the stories written in theirs first: the
    # newest few, above the featured story (the list below keeps its order, each story once).
    own = [code for code in reader_languages(request) if code.split("-")[0] != settings.LANGUAGE_CODE.split("-")[0]]
    in_own = (
        list(
            queries.stories_for_reader(
                queries.latest_stories(user).filter(language__in=own), languages, own, fold=True
            )[:4]
        )
        if first_page and own
        else []
    )
    context = {
        "in_own_languages": in_own,
        "own_language_names": [language_autonym(code) for code in own[:3]],
        "languages": languages,
        "page": page,
        "stories": page.object_list,
        "featured": queries.featured_story(user, reader_languages(request)) if first_page else None,
        "sections": queries.category_sections(user) if first_page else [],
        "archive": queries.archive_months(user) if first_page else [],
        "feed_url": _with_languages("/blog.atom", languages),
    }
    return render(request, "blog/index.html", context)


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    story = queries.get_story_for_user(user, slug)
    topic = story.topic
    can_see_topic = topic is not None and permissions.can(user, "see", topic)
    context = {
        "story": story,
        "authors": list(story.authors.all()),
        "categories": list(story.categories.all()),
        "tags": list(story.tags.all()),
        "language_name": language_autonym(story.language),
        "reading_minutes": queries.reading_minutes(story),
        "translations": [(s, language_autonym(s.language)) for s in queries.story_translations(user, story)],
        "topic": topic if can_see_topic else None,
        # The group the story speaks for, named only to those who may know the group exists.
        "group": story.group if story.group_id and permissions.can(user, "see", story.group) else None,
        "can_open_desk": permissions.can_story(user, "manage", story),
        "comments": queries.story_comments(user, story) if can_see_topic else [],
        "can_reply": can_see_topic and permissions.can(user, "reply", topic),
        "reply_form": ReplyForm(),
        # Other news, each story once in the reader's language where it has one; never this story again.
        "latest_news": queries.latest_news_one_per_story(user, language=get_language() or "", exclude_story=story),
    }
    return render(request, "blog/story.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = queries.get_blog_category(slug)
    return _story_list(
        request,
        queries.category_stories(request.user, cat),
        cat.name,
        feed_url=f"{cat.get_absolute_url()}.atom",
        description=cat.description,
    )


def tag(request: HttpRequest, name: str) -> HttpResponse:
    t = queries.get_blog_tag(request.user, name)
    return _story_list(
        request,
        queries.tag_stories(request.user, t),
        _("Stories tagged %(tag)s") % {"tag": translated(t, "name")},
        feed_url=f"/blog/tag/{quote(t.name)}.atom",
    )


def author(request: HttpRequest, username: str) -> HttpResponse:
    person = queries.get_author(username)
    return _story_list(
        request,
        queries.author_stories(request.user, person),
        _("Stories by %(name)s") % {"name": person.name},
        fold=False,  # a writer's page lists every version they wrote
        person=person,
    )


def language(request: HttpRequest, code: str) -> HttpResponse:
    code = queries.get_language(code)
    return _story_list(
        request,
        queries.language_stories(request.user, code),
        _("Stories in %(language)s") % {"language": language_name(code)},
        fold=False,
        list_language=code,
    )


def series(request: HttpRequest, slug: str) -> HttpResponse:
    s = queries.get_series(slug)
    return _story_list(
        request,
        queries.series_stories(request.user, s),
        s.name,
        feed_url=f"{s.get_absolute_url()}.atom",
        description=s.description,
    )


def archive(request: HttpRequest, year: int, month: int) -> HttpResponse:
    start, _end = queries.month_range(year, month)
    return _story_list(
        request,
        queries.month_stories(request.user, year, month),
        _("Stories of %(month)s") % {"month": when_text(start, "month")},
    )
