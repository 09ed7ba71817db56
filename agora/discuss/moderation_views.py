"""Pages of the moderator tools on topics and posts (the topic page's "Moderate" menu): retitle,
recategorise and retag; merge; split or move posts; pin (a trust-level unlock); hide, wiki and lock a
post. Thin: parse a form, fetch through agora.permissions, call discuss.topic_tools, redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.core.pagination import page_number

from . import queries, services, topic_tools
from .models import Category, Post, Topic
from .moderation_forms import MergeForm, MovePostsForm, TopicMetaForm

META_TOOLS = {"retitle", "recategorize", "retag"}


def _topic_with_tool(request: HttpRequest, pk: int, tools: set[str]) -> Topic:
    """The topic if the user sees it (else 404) and may use one of `tools` on it (else 403)."""
    topic = permissions.get_topic_for_user(request.user, pk)
    if not tools & permissions.topic_tools(request.user, topic):
        raise PermissionDenied
    return topic


def _target_categories(user) -> list[Category]:
    """The categories the user may move a topic into (see permissions.may_move_into)."""
    return [
        c for c in permissions.visible_categories(user).select_related("parent") if permissions.may_move_into(user, c)
    ]


def _category_queryset(user):
    return Category.objects.filter(pk__in=[c.pk for c in _target_categories(user)])


def _target_topic(request: HttpRequest, form, field: str = "target") -> Topic | None:
    """The topic a form names, if the user may see it; else a form error (the same for a missing one)."""
    try:
        return permissions.get_topic_for_user(request.user, form.cleaned_data[field])
    except Http404:
        form.add_error(field, _("There is no topic you may see at that address."))
        return None


def _refused(form, exc: Exception) -> None:
    """A service's refusal as a form error: its own words, or a plain one."""
    if isinstance(exc, ValidationError):
        form.add_error(None, exc)
    else:
        form.add_error(None, str(exc) or _("You may not do that here."))


@login_required
def topic_meta(request: HttpRequest, pk: int) -> HttpResponse:
    """Retitle, recategorise and retag a topic (moderators; members from AGORA_TL_RECATEGORIZE)."""
    topic = _topic_with_tool(request, pk, META_TOOLS)
    tools = permissions.topic_tools(request.user, topic)
    initial = {"title": topic.title, "category": topic.category, "tags": ", ".join(t.name for t in topic.tags.all())}
    form = TopicMetaForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        tools=tools,
        categories=_category_queryset(request.user) | Category.objects.filter(pk=topic.category_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = topic_tools.topic_change(
                actor=request.user,
                topic=topic,
                title=data.get("title"),
                category=data.get("category"),
                tags=data.get("tags"),
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The topic was changed."))
            return redirect(topic.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "discuss/topic_meta.html", {"topic": topic, "form": form}, status=status)


@login_required
def topic_merge(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic_with_tool(request, pk, {"merge"})
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (target := _target_topic(request, form)) is not None:
        try:
            target = topic_tools.topic_merge(
                actor=request.user, topic=topic, target=target, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The topic was merged into this one."))
            return redirect(target.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "discuss/topic_merge.html", {"topic": topic, "form": form}, status=status)


@login_required
def topic_move_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Split chosen replies into a new topic, or move them to an existing one: a page of the topic's
    posts with a checkbox each (a page at a time, as the topic page shows them)."""
    topic = _topic_with_tool(request, pk, {"split", "move_posts"})
    page = queries.topic_posts_page(request.user, topic, page_number(request), settings.AGORA_POSTS_PER_PAGE)
    movable = [p for p in page.object_list if p.number > 1 and not p.action]
    form = MovePostsForm(
        request.POST or None,
        initial={"destination": "new", "category": topic.category},
        posts=movable if request.method != "POST" else _posts_named(topic, request.POST.getlist("posts")),
        categories=_category_queryset(request.user),
    )
    if request.method == "POST" and form.is_valid() and (target := _move_chosen(request, topic, form)) is not None:
        messages.success(request, _("The posts were moved."))
        return redirect(target.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"topic": topic, "form": form, "posts": movable, "page": page}
    return render(request, "discuss/topic_move_posts.html", context, status=status)


def _move_chosen(request: HttpRequest, topic: Topic, form: MovePostsForm) -> Topic | None:
    """Split or move as the form says; the topic the posts went to, or None with the form's errors."""
    data = form.cleaned_data
    try:
        if data["destination"] == "new":
            return topic_tools.posts_split(
                actor=request.user,
                topic=topic,
                post_ids=data["posts"],
                title=data["title"],
                category=data["category"],
                reason=data["reason"],
            )
        target = _target_topic(request, form)
        if target is not None:
            topic_tools.posts_move(
                actor=request.user, topic=topic, post_ids=data["posts"], target=target, reason=data["reason"]
            )
        return target
    except (ValidationError, PermissionDenied) as exc:
        _refused(form, exc)
        return None


def _posts_named(topic: Topic, ids: list[str]) -> list[Post]:
    """The posts of this topic a submitted form names, for its choices (the service re-checks them)."""
    wanted = [int(i) for i in ids if i.isdigit()]
    return list(Post.objects.filter(topic=topic, pk__in=wanted).only("id", "number"))


@login_required
@require_POST
def topic_pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin in its category, or unpin (moderators; members from AGORA_TL_EDIT_ALL)."""
    topic = _topic_with_tool(request, pk, {"pin"})
    try:
        services.topic_set_status(
            user=request.user, topic=topic, status="pinned", enabled=request.POST.get("enabled") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(topic.get_absolute_url())


def _post_tool(request: HttpRequest, pk: int, action: str) -> Post:
    return permissions.get_post_for_user(request.user, pk, action=action)


def _back_to(post: Post) -> HttpResponse:
    return redirect(f"/t/{post.topic.slug}/{post.topic_id}/{post.number}")


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_tool(request, pk, "hide")
    hidden = request.POST.get("hidden") == "1"
    topic_tools.post_set_hidden(actor=request.user, post=post, hidden=hidden, reason=request.POST.get("reason", ""))
    messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    return _back_to(post)


@login_required
@require_POST
def post_wiki(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_tool(request, pk, "wiki")
    topic_tools.post_set_wiki(actor=request.user, post=post, wiki=request.POST.get("wiki") == "1")
    return _back_to(post)


@login_required
@require_POST
def post_lock(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_tool(request, pk, "lock")
    topic_tools.post_set_locked(actor=request.user, post=post, locked=request.POST.get("locked") == "1")
    return _back_to(post)
