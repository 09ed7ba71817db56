"""/my/api-keys: a member lists, makes and revokes their personal API keys. A new key's secret is shown
once, on the page that answers the form, and never stored."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiKeyForm
from .models import ApiKey


def _member(request: HttpRequest) -> Any:
    """The signed-in member (login_required has made sure of it)."""
    return request.user


# A member's keys at once: enough for every tool they run, few enough to review.
MAX_ACTIVE_KEYS = 20


@login_required
def keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    secret = None
    active = ApiKey.objects.filter(user=_member(request), revoked_at__isnull=True)
    status = 200
    if request.method == "POST":
        if form.is_valid() and active.count() >= MAX_ACTIVE_KEYS:
            form.add_error(None, _("You have %(n)d keys: revoke one you no longer use first.") % {"n": MAX_ACTIVE_KEYS})
        if form.is_valid():
            _key, secret = services.api_key_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = ApiKeyForm()
        else:
            status = 400
    context = {
        "form": form,
        "secret": secret,
        "keys": ApiKey.objects.filter(user=_member(request)).order_by("revoked_at", "-created_at"),
    }
    response = render(request, "api/keys.html", context, status=status)
    # The secret is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = ApiKey.objects.filter(pk=pk, user=_member(request)).first()
    if key is None:
        raise Http404
    services.api_key_revoke(key=key)
    messages.success(request, _("The key “%(name)s” is revoked: it no longer works.") % {"name": key.name})
    return redirect("api:keys")
