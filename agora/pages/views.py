"""Site pages: read (anyone), edit and history (staff edit; history is public, as the pages are),
and the page where a member accepts a changed code of conduct."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from agora import permissions
from agora.discuss.diff import revision_diff

from . import queries, services
from .forms import AcceptForm, PageForm
from .middleware import remember_accepted
from .models import CODE_OF_CONDUCT


def page(request: HttpRequest, slug: str) -> HttpResponse:
    site_page = queries.page_by_slug(slug)
    return render(
        request,
        "pages/page.html",
        {"page": site_page, "can_edit": permissions.can_edit_site_pages(request.user)},
    )


def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    site_page = queries.page_for_editing(request.user, slug)
    form = PageForm(request.POST or None, instance=site_page)
    if request.method == "POST" and form.is_valid():
        try:
            services.page_save(
                page=site_page,
                user=request.user,
                title=form.cleaned_data["title"],
                raw=form.cleaned_data["raw"],
                raise_version=form.cleaned_data.get("raise_version", False),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(site_page.get_absolute_url())
    return render(request, "pages/edit.html", {"page": site_page, "form": form})


def page_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every saved version of a page, newest first, each with its diff from the one before."""
    site_page = queries.page_by_slug(slug)
    revisions = queries.page_revisions(site_page)
    rows = [{"revision": r, "diff": None, "title_changed": False, "previous_title": ""} for r in revisions]
    for before, after in itertools.pairwise(rows):
        after["diff"] = revision_diff(before["revision"].raw, after["revision"].raw)
        after["title_changed"] = before["revision"].title != after["revision"].title
        after["previous_title"] = before["revision"].title
    return render(request, "pages/history.html", {"page": site_page, "rows": rows})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok and not target.startswith("/code-of-conduct/accept") else "/"


@login_required
def code_accept(request: HttpRequest) -> HttpResponse:
    """The code of conduct, what changed since the version the member accepted, and a button to accept."""
    code = queries.page_by_slug(CODE_OF_CONDUCT)
    accepted = queries.accepted_code_version(request.user)
    form = AcceptForm(request.POST or None, initial={"version": code.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.coc_accept(user=request.user, version=form.cleaned_data["version"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(f"{request.path}?{urlencode({'next': _next_url(request)})}")
        remember_accepted(request, form.cleaned_data["version"])
        messages.success(request, _("Thank you. Welcome back."))
        return redirect(_next_url(request))
    if accepted >= code.version:
        return redirect(_next_url(request))
    before = queries.code_revision_accepted(code, accepted)
    diff = revision_diff(before.raw, code.raw) if before is not None and before.raw != code.raw else None
    return render(
        request,
        "pages/accept.html",
        {"page": code, "form": form, "diff": diff, "next": _next_url(request), "accepted_version": accepted},
    )
