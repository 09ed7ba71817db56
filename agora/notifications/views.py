"""Notification pages: the list, marking read, opening one. Thin: fetch through queries, call a service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora import permissions
from agora.core.pagination import page_number, peek_page

from . import queries, services
from .forms import NotificationSettingsForm, WatchForm


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = peek_page(queries.notifications_for(request.user), page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(notifications=queries.notifications_for(request.user))
    return redirect("notifications:list")


# A link in the list (GET) or a button (POST): either way it marks the notification read and goes there.
@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = queries.get_notification_for_user(request.user, pk)
    services.notification_open(notification=notification)
    return redirect(notification.target_url())


def _watch_target(user: Any, target: str, key: str) -> dict[str, Any]:
    """The place to watch, fetched through the permission module: 404 for one the person may not see."""
    if target == "topic":
        if not key.isdigit():
            raise Http404
        return {"topic": permissions.get_topic_for_user(user, int(key))}
    if target == "category":
        return {"category": permissions.get_category_for_user(user, key)}
    if target == "group":
        return {"group": permissions.get_group_for_user(user, key)}
    return {"tag": queries.get_tag_for_user(user, key)}


@login_required
@require_POST
def watch(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose one of the levels offered."))
    data = form.cleaned_data
    target = _watch_target(request.user, data["target"], data["key"])
    try:
        services.watch_set(user=request.user, level=data["level"], **target)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    messages.success(request, _("Your notification level is saved."))
    (obj,) = target.values()
    nxt = data["next"]
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(obj.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = queries.notification_settings_for(request.user)
    # Not `request.POST or None`: both boxes unticked post nothing at all, and that is a choice too.
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(
            user=request.user,
            watch_created=form.cleaned_data["watch_created"],
            watch_replied=form.cleaned_data["watch_replied"],
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "watches": queries.watched_places(request.user)}
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)
