"""Private message pages: the inbox, a group's inbox, the composers, and adding or leaving people.

A message's own page is the topic page (discuss.views.topic_detail), which knows a message by its
missing category. Everything here is for signed-in people; a message someone is not in is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.accounts.standing import silence_notice
from agora.core import rate_limits
from agora.core.pagination import page_number, peek_page
from agora.groups.models import Group

from . import messages, queries, rendering
from .message_forms import AddParticipantForm, MessageForm, ModeratorsMessageForm


def _inbox(request: HttpRequest, *, box: str, group: Group | None = None) -> HttpResponse:
    user = request.user
    qs = messages.inbox_topics(user, box=box, group=group)
    page = peek_page(qs, page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    topics = page.object_list
    queries.read_state(user, topics)
    messages.annotate_inbox(user, topics)
    context = {"page": page, "topics": topics, "box": box, "group": group, "inbox_groups": messages.inbox_groups(user)}
    return render(request, "discuss/messages.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, box="all")


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    return _inbox(request, box="sent")


@login_required
def group_inbox(request: HttpRequest, name: str) -> HttpResponse:
    group = messages.get_group_inbox_for_user(request.user, name)
    return _inbox(request, box="group", group=group)


def _language(user, chosen: str) -> str:
    return chosen or (user.language_list[0] if user.language_list else "")


def _compose(request: HttpRequest, form, *, to_moderators: bool) -> HttpResponse:
    """Both composers: preview without sending, or send and open the message; a failed send keeps the draft."""
    user = request.user
    preview_html = None
    refused: ValidationError | None = None
    if request.method == "POST" and request.POST.get("preview"):
        preview_html = rendering.preview_html(form.data.get("raw", ""))
        form.is_valid()  # show any errors beside the preview, send nothing
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if to_moderators:
            addressed = {"recipients": [], "groups": [messages.moderators_group()], "anonymous": data["anonymous"]}
        else:
            addressed = {"recipients": data["to"], "groups": data["groups"]}
        try:
            rate_limits.check_action("message", user=user, ip=rate_limits.client_ip(request))
            topic = messages.message_create(
                sender=user,
                title=data["title"],
                raw=data["raw"],
                language=_language(user, data["language"]),
                **addressed,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            refused = exc
        else:
            if to_moderators:
                flash.success(request, _("Your message was sent to the moderators."))
            return redirect(topic.get_absolute_url())
    status = 400 if request.method == "POST" and preview_html is None else 200
    context = {"form": form, "preview_html": preview_html, "to_moderators": to_moderators}
    response = render(request, "discuss/message_new.html", context, status=status)
    if isinstance(refused, rate_limits.RateLimited):
        return rate_limits.mark_429(response, refused)  # says when to retry; the draft is in the form
    return response


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if request.user.is_silenced and request.method != "POST":
        # Told until when and why; the moderators' composer stays open to them, to ask about it.
        raise PermissionDenied(silence_notice(request.user))
    initial = {"to": request.GET.get("to", "")[:200], "groups": request.GET.get("group", "")[:200]}
    form = MessageForm(request.POST or None, sender=request.user, initial=initial)
    return _compose(request, form, to_moderators=False)


@login_required
def moderators(request: HttpRequest) -> HttpResponse:
    return _compose(request, ModeratorsMessageForm(request.POST or None), to_moderators=True)


@login_required
@require_POST
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    topic = permissions.get_topic_for_user(request.user, pk)
    if not topic.is_message:
        raise PermissionDenied
    form = AddParticipantForm(request.POST)
    if form.is_valid():
        try:
            messages.message_add_participant(user=request.user, topic=topic, new_user=form.cleaned_data["username"])
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        else:
            flash.success(request, _("%(name)s was added.") % {"name": form.cleaned_data["username"].name})
    else:
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    topic = permissions.get_topic_for_user(request.user, pk)
    if not topic.is_message:
        raise PermissionDenied
    try:
        messages.message_leave(user=request.user, topic=topic)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
        return redirect(topic.get_absolute_url())
    flash.success(request, _("You left the conversation."))
    return redirect("/messages")
