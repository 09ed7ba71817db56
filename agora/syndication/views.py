"""The staff pages of syndicated blogs, in the blog's editorial area: the feeds with their state, a
form to add one, and pause/resume, remove and "poll now". Editors only: 404 for everyone else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.forms import add_service_errors

from . import queries, services
from .forms import FeedForm

LIST_URL = "/blog/syndication"


def feeds(request: HttpRequest) -> HttpResponse:
    feed_list = queries.feeds_for_editor(request.user)  # 404 unless an editor
    form = FeedForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feed = services.feed_add(
                    user=request.user,
                    url=form.cleaned_data["url"],
                    category=form.cleaned_data["category"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                notice = _("“%(title)s” added: its newest items appear in the blog shortly.")
                messages.success(request, notice % {"title": feed.title})
                return redirect(LIST_URL)
        status = 400
    return render(request, "syndication/feeds.html", {"feeds": list(feed_list), "form": form}, status=status)


@require_POST
def feed_pause(request: HttpRequest, pk: int) -> HttpResponse:
    feed = queries.get_feed_for_editor(request.user, pk)
    services.feed_set_active(user=request.user, feed=feed, active=not feed.active)
    if feed.active:
        messages.success(request, _("“%(title)s” is polled again.") % {"title": feed.title})
    else:
        messages.success(request, _("“%(title)s” is paused.") % {"title": feed.title})
    return redirect(LIST_URL)


@require_POST
def feed_remove(request: HttpRequest, pk: int) -> HttpResponse:
    feed = queries.get_feed_for_editor(request.user, pk)
    services.feed_remove(user=request.user, feed=feed)
    messages.success(
        request, _("“%(title)s” removed. The stories it brought stay in the blog.") % {"title": feed.title}
    )
    return redirect(LIST_URL)


@require_POST
def feed_poll(request: HttpRequest, pk: int) -> HttpResponse:
    feed = queries.get_feed_for_editor(request.user, pk)
    services.feed_poll_now(user=request.user, feed=feed)
    messages.success(request, _("“%(title)s” will be polled in a moment.") % {"title": feed.title})
    return redirect(LIST_URL)
