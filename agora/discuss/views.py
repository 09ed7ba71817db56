"""Discuss pages: lists, the topic page and the composer. Thin: parse, fetch through permissions, call a service."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.accounts.standing import silence_notice
from agora.core import rate_limits
from agora.core.language_filter import apply_language_filter, language_filter
from agora.core.languages import CONTENT_LANGUAGE_CODES, language_autonym
from agora.core.pagination import page_number, peek_page
from agora.core.translated_names import translated

from . import hooks, queries, rendering, services
from . import messages as message_services
from .diff import revision_diff
from .forms import BookmarkForm, EditForm, ReplyForm, TopicForm, parse_idempotency_key
from .models import Post, Topic
from .sidebar import sidebar_for


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _topic_list(request: HttpRequest, qs, title: str, **extra) -> HttpResponse:
    languages = language_filter(request)
    qs = apply_language_filter(qs, languages, recent="bumped_at")
    page = peek_page(qs, page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    topics = page.object_list
    queries.read_state(request.user, topics)
    context = {"page": page, "topics": topics, "list_title": title, "languages": languages, **extra}
    if _is_htmx(request) and request.GET.get("page"):
        response = render(request, "discuss/topic_list.html#topic-rows", context)
    else:
        response = render(request, "discuss/topic_list.html", {**context, "sidebar": sidebar_for(request.user)})
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a fragment or a page
    return response


def latest(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, queries.latest_topics(request.user), _("Latest"), tab="latest")


def top(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "month")
    if period not in queries.TOP_PERIODS:
        period = "month"
    return _topic_list(
        request,
        queries.top_topics(request.user, period),
        _("Top"),
        tab="top",
        period=period,
        periods=list(queries.TOP_PERIODS),
    )


def unanswered(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, queries.unanswered_topics(request.user), _("Unanswered"), tab="unanswered")


def categories(request: HttpRequest) -> HttpResponse:
    context = {"categories": queries.categories_for_index(request.user), "sidebar": sidebar_for(request.user)}
    return render(request, "discuss/categories.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = permissions.get_category_for_user(request.user, slug)
    return _topic_list(
        request,
        queries.category_topics(request.user, cat),
        translated(cat, "name"),
        category=cat,
        can_create=permissions.can(request.user, "create_topic", cat),
        can_translate=permissions.can_edit_names(request.user),
    )


def tags(request: HttpRequest) -> HttpResponse:
    context = {"tags": queries.tags_with_counts(request.user), "sidebar": sidebar_for(request.user)}
    return render(request, "discuss/tags.html", context)


def tag(request: HttpRequest, name: str) -> HttpResponse:
    tag_obj = queries.get_tag_for_user(request.user, name)
    title = f"#{translated(tag_obj, 'name')}"
    topics = queries.tag_topics(request.user, tag_obj)
    return _topic_list(request, topics, title, tag=tag_obj, can_translate=permissions.can_edit_names(request.user))


@login_required
def topic_new(request: HttpRequest) -> HttpResponse:
    categories_qs = permissions.creatable_categories(request.user)
    initial = {}
    if slug := request.GET.get("category"):
        initial["category"] = categories_qs.filter(slug=slug).first()
    if request.user.language_list and request.user.language_list[0] in CONTENT_LANGUAGE_CODES:
        initial["language"] = request.user.language_list[0]
    if (done := _submitted_before(request)) is not None:
        return redirect(done.topic.get_absolute_url())  # a retried submit: where the first one went
    form = TopicForm(request.POST or None, user=request.user, categories=categories_qs, initial=initial)
    if request.user.is_silenced:
        return silenced_composer(request, "discuss/topic_new.html", {"form": form, "preview_html": None})
    preview_html = None
    refused: ValidationError | None = None
    if request.method == "POST" and request.POST.get("preview"):
        preview_html = rendering.preview_html(form.data.get("raw", ""))
        form.is_valid()  # show any errors beside the preview, save nothing
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate_limits.check_action("post", user=request.user, ip=rate_limits.client_ip(request))
            topic = services.topic_create(
                user=request.user,
                category=data["category"],
                title=data["title"],
                raw=data["raw"],
                tags=data["tags"],
                language=data["language"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            refused = exc
        except PermissionDenied:
            form.add_error("category", _("You may not start topics in this category."))
        else:
            return redirect(topic.get_absolute_url())
    status = 400 if request.method == "POST" and preview_html is None else 200
    response = render(request, "discuss/topic_new.html", {"form": form, "preview_html": preview_html}, status=status)
    return _refused(response, refused)


def _submitted_before(request: HttpRequest, topic: Topic | None = None) -> Post | None:
    """The post a composer's earlier submit with the same idempotency key made (in `topic`, for a reply), for
    a POST (not a preview) that carries one: checked before the rate limits, which would refuse the retry of
    what already went in."""
    if request.method != "POST" or request.POST.get("preview"):
        return None
    post = queries.post_for_idempotency_key(request.user, parse_idempotency_key(request.POST.get("idempotency_key")))
    return post if post is not None and (topic is None or post.topic_id == topic.pk) else None


def silenced_composer(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A silenced person is told until when and why, not a bare 403; what they had written stays in the
    composer (context["form"], bound to the POST)."""
    notice = silence_notice(request.user)
    if request.method != "POST":
        raise PermissionDenied(notice)
    form = context["form"]
    form.is_valid()
    form.add_error(None, notice)
    if _is_htmx(request) and "topic" in context:
        # The topic page's reply box (opened before the silence): the notice in place, the words kept.
        fragment = {"reply_form": form, "topic": context["topic"], "can_reply": True}
        response = render(request, "discuss/topic.html#reply-form", fragment, status=422)
        response["HX-Retarget"] = "#reply-box"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, template, context, status=403)


def topic_redirect(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    """/t/<id> and /t/-/<id>/<n>: send to the canonical address, after the permission check."""
    topic = _topic_or_moved(request, pk, number)
    if not isinstance(topic, Topic):
        return topic
    if number:
        return _redirect_to_post(topic, _clamp_number(topic, number))
    return redirect(topic.get_absolute_url(), permanent=False)


def _clamp_number(topic, number: int) -> int:
    """A post number in the topic: past the end means the last post, as in Discourse."""
    return min(max(number, 1), max(topic.highest_post_number, 1))


def _redirect_to_post(topic, number: int) -> HttpResponse:
    page = (max(number, 1) - 1) // settings.AGORA_POSTS_PER_PAGE + 1
    url = topic.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{number}")


def _topic_or_moved(request: HttpRequest, pk: int, number: int | None) -> Topic | HttpResponse:
    """The topic; or, for a merged topic or a moved post's old address, a redirect to where it is now.
    The moves are looked up only when the address finds nothing (or a post number is asked for)."""
    try:
        topic = permissions.get_topic_for_user(request.user, pk)
    except Http404:
        topic = None
    if (
        number is not None
        and (topic is None or topic.posts_moved_out)
        and (moved := queries.moved_post_location(request.user, pk, number))
    ):
        return _redirect_to_post(moved.topic, moved.number)
    if (topic is None or topic.merged_into_id is not None) and (
        merged := queries.merged_topic_location(request.user, pk)
    ):
        return redirect(merged.get_absolute_url())
    if topic is None:
        raise Http404
    return topic


def topic_detail(request: HttpRequest, slug: str, pk: int, number: int | None = None) -> HttpResponse:
    user = request.user
    topic = _topic_or_moved(request, pk, number)
    if not isinstance(topic, Topic):
        return topic
    if number is not None:
        return _redirect_to_post(topic, _clamp_number(topic, number))
    if slug != topic.slug:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(topic.get_absolute_url() + query, permanent=True)
    page = queries.topic_posts_page(user, topic, page_number(request), settings.AGORA_POSTS_PER_PAGE)
    posts = page.object_list
    queries.annotate_posts_for_viewer(user, topic, posts)
    last_read = queries.last_read_number(user, topic)
    hooks.topic_page_seen.send(user=user, topic=topic, posts=posts)  # trust levels count posts read
    # A page read before costs no write.
    if user.is_authenticated and posts and posts[-1].number > last_read:
        services.topic_mark_read(user=user, topic=topic, number=posts[-1].number)
    viewer_key = f"u{user.pk}" if user.is_authenticated else f"a{request.META.get('REMOTE_ADDR', '')}"
    services.topic_count_view(topic_id=topic.pk, viewer_key=viewer_key)
    reply_form = ReplyForm()
    solution = topic.solution_post if topic.solution_post and not topic.solution_post.is_deleted else None
    if solution is not None:
        solution.topic = topic  # the row we have: no query for its language
    context = {
        "topic": topic,
        "category": topic.category,
        "tags": list(topic.tags.all()),
        "posts": posts,
        "page": page,
        "last_read": last_read,
        "reply_form": reply_form,
        "can_reply": permissions.can(user, "reply", topic),
        "can_solve": permissions.can(user, "solve", topic),
        "can_moderate": permissions.can(user, "moderate", topic),
        "can_pin_globally": permissions.can(user, "pin_globally", topic),
        "can_flag": permissions.may_flag(user),
        "topic_tools": permissions.topic_tools(user, topic),
        "solution": solution,
        # "Also in": the same topic in other languages (autonyms), and the form to link one for its
        # author and moderators.
        "translations": [(t, language_autonym(t.language)) for t in queries.topic_translations(user, topic)],
        "can_link_translation": permissions.can(user, "link_translation", topic),
    }
    if topic.is_message:
        # A private conversation keeps to itself, as /messages does: no sidebar.
        context.update(message_services.conversation(user, topic))
    else:
        context["sidebar"] = sidebar_for(user, topic_id=topic.pk)
    return render(request, "discuss/topic.html", context)


def topic_view_from_cache(request: HttpRequest, match) -> None:
    """A visitor's topic page served from the page cache (agora.core.page_cache) is still a view."""
    services.topic_count_view(topic_id=int(match.kwargs["pk"]), viewer_key=f"a{request.META.get('REMOTE_ADDR', '')}")


def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the full-page composer (with ?quote=N or ?reply_to=N). POST: add the reply (or preview it)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    topic = permissions.get_topic_for_user(request.user, pk)
    if request.user.is_silenced:
        return silenced_composer(
            request, "discuss/reply.html", {"topic": topic, "form": ReplyForm(request.POST or None)}
        )
    if not permissions.can(request.user, "reply", topic):
        raise PermissionDenied(_("This topic is closed to new replies.") if topic.closed or topic.archived else "")
    context: dict = {"topic": topic}
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if request.POST.get("preview"):
            context["preview_html"] = rendering.preview_html(form.data.get("raw", ""))
        elif (post := _submitted_before(request, topic)) is not None or (
            form.is_valid() and (post := _reply_or_refuse(request, form, topic)) is not None
        ):
            if _is_htmx(request):
                queries.annotate_posts_for_viewer(request.user, topic, [post])
                return render(
                    request,
                    "discuss/topic.html#new-post",
                    {"post": post, "topic": topic, "reply_form": ReplyForm(), "can_reply": True},
                )
            comments_page = request.POST.get("next", "")
            if comments_page and url_has_allowed_host_and_scheme(comments_page, allowed_hosts={request.get_host()}):
                # Commented from a page that shows the topic's replies as comments (a story's): back to it.
                return redirect(f"{comments_page}#comment-{post.number}")
            return _redirect_to_post(topic, post.number)
        else:
            status = 400
            if _is_htmx(request):
                response = render(
                    request,
                    "discuss/topic.html#reply-form",
                    {"reply_form": form, "topic": topic, "can_reply": True},
                    status=422,
                )
                response["HX-Retarget"] = "#reply-box"
                response["HX-Reswap"] = "outerHTML"
                return _refused(response, getattr(form, "refused", None))
    else:
        form = ReplyForm(initial=_reply_initial(request, topic))
    context["form"] = form
    return _refused(render(request, "discuss/reply.html", context, status=status), getattr(form, "refused", None))


def _reply_or_refuse(request: HttpRequest, form: ReplyForm, topic) -> Post | None:
    """Post the reply, or put the refusal (new members' limits, too fast) on the form above the kept text."""
    try:
        rate_limits.check_action("post", user=request.user, ip=rate_limits.client_ip(request))
        return services.post_create(
            user=request.user,
            topic=topic,
            raw=form.cleaned_data["raw"],
            reply_to_number=form.cleaned_data.get("reply_to"),
            language=form.cleaned_data.get("language", ""),
            idempotency_key=form.cleaned_data.get("idempotency_key"),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        form.refused = exc  # type: ignore[attr-defined]
        return None


def _refused(response: HttpResponse, exc: ValidationError | None) -> HttpResponse:
    """A form refused for going too fast answers 429 with Retry-After (htmx and browsers alike); the form
    in it keeps the text and says when to retry."""
    if isinstance(exc, rate_limits.RateLimited):
        return rate_limits.mark_429(response, exc)
    return response


def _reply_initial(request: HttpRequest, topic) -> dict:
    initial: dict = {}
    for key in ("quote", "reply_to"):
        try:
            number = int(request.GET.get(key, ""))
        except ValueError:
            continue
        post = permissions.visible_posts(request.user).filter(topic=topic, number=number).select_related("user").first()
        if post is None:
            continue
        initial["reply_to"] = post.number
        if key == "quote":
            # Only newlines are normalised: splitlines() would also turn form feeds and U+2028 into breaks.
            quoted = post.raw.replace("\r\n", "\n").rstrip("\n")
            # A quote's header is saved with the reply: an anonymous post is quoted without a name.
            author = _("Anonymous") if post.anonymous else post.user.username
            initial["raw"] = f'[quote="{author}, post:{post.number}, topic:{topic.pk}"]\n{quoted}\n[/quote]\n\n'
    return initial


def _post_fragment(request: HttpRequest, post: Post) -> HttpResponse:
    queries.annotate_posts_for_viewer(request.user, post.topic, [post])
    return render(request, "discuss/topic.html#post-actions", {"post": post, "topic": post.topic})


@login_required
@require_POST
def post_like(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk)
    if post.user_id == request.user.pk:
        if _is_htmx(request):
            return HttpResponse(_("You cannot like your own post."), status=422)
        messages.error(request, _("You cannot like your own post."))
        return _redirect_to_post(post.topic, post.number)
    if not permissions.can(request.user, "like", post):
        raise PermissionDenied
    services.post_like_toggle(user=request.user, post=post)
    post.refresh_from_db(fields=["like_count"])
    if _is_htmx(request):
        return _post_fragment(request, post)
    return _redirect_to_post(post.topic, post.number)


@login_required
def post_bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk, action="bookmark")
    if request.method != "POST":
        existing = queries.bookmark_of(request.user, post)
        form = BookmarkForm(initial={"note": existing.note if existing else ""})
        return render(request, "discuss/bookmark_form.html", {"form": form, "post": post, "existing": existing})
    if request.POST.get("remove"):
        services.bookmark_remove(user=request.user, post=post)
    else:
        form = BookmarkForm(request.POST)
        if not form.is_valid():
            return render(
                request, "discuss/bookmark_form.html", {"form": form, "post": post, "existing": None}, status=400
            )
        services.bookmark_set(user=request.user, post=post, note=form.cleaned_data["note"])
    if _is_htmx(request):
        return _post_fragment(request, post)
    return _redirect_to_post(post.topic, post.number)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk, action="edit")
    initial = {
        "raw": post.raw,
        "title": post.topic.title if post.number == 1 else "",
        "language": post.language or post.topic.language,
    }
    form = EditForm(request.POST or None, initial=initial)
    if post.number != 1:
        del form.fields["title"]
    preview_html = None
    refused: ValidationError | None = None
    if request.method == "POST" and request.POST.get("preview"):
        preview_html = rendering.preview_html(form.data.get("raw", ""))
    elif request.method == "POST" and form.is_valid():
        try:
            rate_limits.check_action("edit", user=request.user, ip=rate_limits.client_ip(request))
            services.post_edit(
                user=request.user,
                post=post,
                raw=form.cleaned_data["raw"],
                title=form.cleaned_data.get("title") or None,
                language=form.cleaned_data.get("language", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            refused = exc
        else:
            return _redirect_to_post(post.topic, post.number)
    status = 400 if request.method == "POST" and preview_html is None else 200
    response = render(
        request, "discuss/post_edit.html", {"form": form, "post": post, "preview_html": preview_html}, status=status
    )
    return _refused(response, refused)


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk, action="delete")
    if request.method != "POST":
        return render(request, "discuss/post_delete.html", {"post": post})
    services.post_delete(user=request.user, post=post)
    if post.number == 1:
        messages.success(request, _("The topic was deleted."))
        return redirect(post.topic.category.get_absolute_url() if post.topic.category else "/messages")
    messages.success(request, _("The post was deleted."))
    return _redirect_to_post(post.topic, post.number)


@login_required
@require_POST
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk, action="restore")
    services.post_restore(user=request.user, post=post)
    messages.success(request, _("The post was restored."))
    return _redirect_to_post(post.topic, post.number)


def post_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a post, with a diff from each to the next; visible to all who see the post."""
    post = permissions.get_post_for_user(request.user, pk)
    if post.is_hidden and not permissions.sees_hidden_post(request.user, post):
        raise Http404  # hidden pending review: its text, past versions included, is not for others
    revisions = queries.post_revisions(post)
    versions = [
        {
            "number": r.number,
            "raw": r.raw,
            "title": r.title,
            "user": r.user,
            "created_at": r.created_at,
            "by_moderator": r.by_moderator,
        }
        for r in revisions
    ]
    versions.append(
        {
            "number": post.version,
            "raw": post.raw,
            "title": post.topic.title if post.number == 1 else "",
            "user": None,
            "created_at": post.updated_at,
            "by_moderator": False,
        }
    )
    for before, after in itertools.pairwise(versions):
        after["diff"] = revision_diff(before["raw"], after["raw"])
        after["title_changed"] = before["title"] != after["title"]
        after["previous_title"] = before["title"]
        after["mod_edited"] = before["by_moderator"]  # the edit that made `after` was a moderator's
    return render(request, "discuss/revisions.html", {"post": post, "versions": versions})


@login_required
@require_POST
def post_solve(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for_user(request.user, pk)
    topic = permissions.get_topic_for_user(request.user, post.topic_id, action="solve")
    try:
        services.topic_mark_solution(user=request.user, topic=topic, post=None if request.POST.get("clear") else post)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _redirect_to_post(topic, post.number)


@login_required
@require_POST
def topic_status(request: HttpRequest, pk: int) -> HttpResponse:
    topic = permissions.get_topic_for_user(request.user, pk, action="moderate")
    try:
        services.topic_set_status(
            user=request.user,
            topic=topic,
            status=request.POST.get("status", ""),
            enabled=request.POST.get("enabled") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def topic_translation(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the topic as a translation of another (its address or number), or unlink it."""
    topic = permissions.get_topic_for_user(request.user, pk, action="link_translation")
    reference = request.POST.get("original", "").strip()
    original = None
    try:
        if reference and not request.POST.get("unlink"):
            original = queries.topic_from_reference(request.user, reference)
            if original is None:
                raise ValidationError(_("No topic you may open has that address."), code="not_found")
        services.topic_link_translation(user=request.user, topic=topic, original=original)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Linked as a translation.") if original else _("No longer linked as a translation.")
        )
    return redirect(topic.get_absolute_url())


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    page = peek_page(queries.user_bookmarks(request.user), page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    return render(request, "discuss/bookmarks.html", {"page": page})


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Render Markdown as it would be posted (htmx target, or a page of its own without JavaScript)."""
    raw = request.POST.get("raw", "")[: settings.AGORA_POST_MAX_LENGTH]
    html = rendering.preview_html(raw)
    if request.headers.get("HX-Request"):
        return render(request, "discuss/preview.html#preview", {"preview_html": html})
    return render(request, "discuss/preview.html", {"preview_html": html, "raw": raw})
