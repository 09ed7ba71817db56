"""Notification pages: the list, marking read, opening one. Thin: fetch through queries, call a service."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agora.core.pagination import page_number, peek_page

from . import queries, services


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
