"""Site pages: read (anyone), edit and history (staff edit; history is public, as the pages are),
and the page where a member accepts a changed code of conduct."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora import permissions
from agora.core.interface_language import safe_next
from agora.core.languages import language_autonym, language_name, normalize_content_language
from agora.discuss.diff import revision_diff

from . import queries, services
from .forms import AcceptForm, PageForm, TranslationForm
from .middleware import remember_accepted
from .models import CODE_OF_CONDUCT, SitePage, SitePageTranslation


def _reader_translation(request: HttpRequest, site_page: SitePage) -> SitePageTranslation | None:
    """The page in the reader's interface language, or None for the original (asked for by ?original,
    or the reader reads the original's language, or nobody translated it yet)."""
    language = get_language() or ""
    if request.GET.get("original") or language.split("-")[0] == services.original_language().split("-")[0]:
        return None
    return queries.page_translation(site_page, language)


def page(request: HttpRequest, slug: str) -> HttpResponse:
    site_page = queries.page_by_slug(slug)
    return render(
        request,
        "pages/page.html",
        {
            "page": site_page,
            "translation": _reader_translation(request, site_page),
            "original_language": language_name(services.original_language()),
            "can_edit": permissions.can_edit_site_pages(request.user),
        },
    )


def page_translations(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: the page's translations, and a language to start or edit one in (any content language)."""
    site_page = queries.page_for_editing(request.user, slug)
    asked = request.GET.get("language", "").strip()
    if asked:
        code = normalize_content_language(asked)
        if code is not None:
            return redirect(f"/{site_page.slug}/translations/{code}")
        messages.error(request, _("“%(code)s” is not a language code we know.") % {"code": asked})
    existing = queries.page_translations(site_page)
    done = {t.language for t in existing}
    offered = [
        (code, language_autonym(code))
        for code in (normalize_content_language(c) for c, _name in settings.LANGUAGES)
        if code and code not in done and code.split("-")[0] != services.original_language().split("-")[0]
    ]
    context = {"page": site_page, "translations": existing, "offered": offered, "asked": asked}
    return render(request, "pages/translations.html", context, status=400 if asked else 200)


def page_translate(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Staff write or change the page's translation into `language`, the original beside it."""
    site_page = queries.page_for_editing(request.user, slug)
    code = normalize_content_language(language)
    if code is None:
        messages.error(request, _("“%(code)s” is not a language code we know.") % {"code": language})
        return redirect(f"/{site_page.slug}/translations")
    if code != language:
        return redirect(f"/{site_page.slug}/translations/{code}")
    translation = queries.page_translation(site_page, code)
    translation = translation if translation is not None and translation.language == code else None
    initial = {"title": translation.title, "raw": translation.raw} if translation else {}
    form = TranslationForm(request.POST or None, initial=initial, language=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.page_translation_save(
                page=site_page,
                user=request.user,
                language=code,
                title=form.cleaned_data["title"],
                raw=form.cleaned_data["raw"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect(f"/{site_page.slug}/translations")
    context = {
        "page": site_page,
        "form": form,
        "translation": translation,
        "language": code,
        "language_name": language_autonym(code),
    }
    return render(request, "pages/translate.html", context, status=400 if form.errors else 200)


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
    """Every saved version of a page (or, with ?language=, of its translation into that language), newest
    first, each with its diff from the one before."""
    site_page = queries.page_by_slug(slug)
    language = normalize_content_language(request.GET.get("language")) or ""
    revisions = queries.page_revisions(site_page, language)
    rows = [{"revision": r, "diff": None, "title_changed": False, "previous_title": ""} for r in revisions]
    for before, after in itertools.pairwise(rows):
        after["diff"] = revision_diff(before["revision"].raw, after["revision"].raw)
        after["title_changed"] = before["revision"].title != after["revision"].title
        after["previous_title"] = before["revision"].title
    context = {"page": site_page, "rows": rows, "language": language}
    if language:
        context["language_name"] = language_autonym(language)
    return render(request, "pages/history.html", context)


def _next_url(request: HttpRequest) -> str:
    # Where to go after accepting: a path on this site (the switcher's rule), never the accept page itself.
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return target if not target.startswith("/code-of-conduct/accept") else "/"


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
        {
            "page": code,
            "form": form,
            "diff": diff,
            "next": _next_url(request),
            "accepted_version": accepted,
            "translation": _reader_translation(request, code),
            "original_language": language_name(services.original_language()),
        },
    )
