"""Writes of the site pages: a staff edit (with its revision) and a member's acceptance of the code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agora.core.languages import language_name, normalize_content_language
from agora.core.markdown import render_markdown
from agora.core.page_cache import content_changed

from . import queries
from .models import CODE_OF_CONDUCT, CodeAcceptance, SitePage, SitePageRevision, SitePageTranslation


@transaction.atomic
def page_save(
    *, page: SitePage, user: Any, title: str, raw: str, raise_version: bool = False, note: str = ""
) -> SitePage:
    """Save a staff edit of a page, and a revision of what it now says. `raise_version` (the code of
    conduct only) makes it a change every member must accept again; a typo fix leaves it alone."""
    title, raw, note = title.strip(), raw.strip(), note.strip()
    if not title or not raw:
        raise ValidationError(_("A page needs a title and a text."))
    page = SitePage.objects.select_for_update().get(pk=page.pk)
    if title == page.title and raw == page.raw and not raise_version:
        return page  # nothing changed: no empty revision
    raised = raise_version and page.slug == CODE_OF_CONDUCT
    if raised:
        page.version += 1
        page.version_note = note
    page.title, page.raw, page.html, page.updated_by = title, raw, render_markdown(raw), user
    page.save()
    SitePageRevision.objects.create(
        page=page,
        number=_next_revision_number(page),
        title=title,
        raw=raw,
        version=page.version,
        version_raised=raised,
        note=note,
        user=user,
    )
    if raised:
        # Forget the cached version now (this process) and again once committed (in case a request read
        # the old one in between).
        cache.delete(queries.VERSION_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(queries.VERSION_CACHE_KEY))
    content_changed()  # visitors' cached copies of the page
    return page


def _next_revision_number(page: SitePage) -> int:
    return (page.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1


def original_language() -> str:
    """The language the site pages are written in: the site's default language."""
    return normalize_content_language(settings.LANGUAGE_CODE) or "en"


@transaction.atomic
def page_translation_save(
    *, page: SitePage, user: Any, language: str, title: str, raw: str, note: str = ""
) -> SitePageTranslation:
    """Save a staff translation of a page into `language`, and a revision of it in the page's history.
    It translates the page's current version (a translator works from the text in force)."""
    code = normalize_content_language(language)
    if code is None:
        raise ValidationError(
            _("“%(code)s” is not a language code we know.") % {"code": language}, code="unknown_language"
        )
    if code.split("-")[0] == original_language().split("-")[0]:
        raise ValidationError(
            _("The page is written in %(language)s already: edit the page itself.") % {"language": language_name(code)},
            code="original_language",
        )
    title, raw, note = title.strip(), raw.strip(), note.strip()
    if not title or not raw:
        raise ValidationError(_("A page needs a title and a text."))
    page = SitePage.objects.select_for_update().get(pk=page.pk)
    translation = SitePageTranslation.objects.filter(page=page, language=code).first()
    if translation is None:
        translation = SitePageTranslation(page=page, language=code)
    elif translation.title == title and translation.raw == raw and translation.version == page.version:
        return translation  # nothing changed: no empty revision
    translation.title, translation.raw, translation.html = title, raw, render_markdown(raw)
    translation.version, translation.updated_by = page.version, user
    translation.save()
    SitePageRevision.objects.create(
        page=page,
        language=code,
        number=_next_revision_number(page),
        title=title,
        raw=raw,
        version=page.version,
        note=note,
        user=user,
    )
    content_changed()
    return translation


@transaction.atomic
def coc_accept(*, user: Any, version: int) -> CodeAcceptance:
    """Record that `user` accepted this version of the code of conduct (at sign-up, at their first visit
    after a change, or when they arrive by a Wikimedia login). Accepting again is harmless."""
    current = queries.current_code_version()
    if version != current:
        raise ValidationError(_("The code of conduct changed while you were reading it. Please read it again."))
    try:
        with transaction.atomic():
            acceptance, _created = CodeAcceptance.objects.get_or_create(user=user, version=version)
    except IntegrityError:  # the same member accepting twice at once: the other request wrote it
        acceptance = CodeAcceptance.objects.get(user=user, version=version)
    return acceptance
