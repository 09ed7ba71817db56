"""Reads of the site pages and of members' acceptance of the code of conduct."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Subquery
from django.http import Http404

from agora import permissions
from agora.core.translated_names import language_candidates

from .models import CODE_OF_CONDUCT, CodeAcceptance, SitePage, SitePageRevision, SitePageTranslation

VERSION_CACHE_KEY = "pages:code-of-conduct-version"
# Members who accepted no version are taken to have accepted the first one. Members who joined before
# the code of conduct existed here joined under the community's rules all the same, and asking every one
# of them to click through on the day it appears would only teach people to click without reading; a
# change staff mark "must accept again" raises the version above this and asks everyone. Everyone who
# signs up from now on accepts at sign-up, with a row.
BASELINE_VERSION = 1


def page_by_slug(slug: str) -> SitePage:
    """A site page, for anyone to read (all site pages are public), or 404."""
    page = SitePage.objects.filter(slug=slug).select_related("updated_by").first()
    if page is None:
        raise Http404
    return page


def page_for_editing(user: Any, slug: str) -> SitePage:
    """A site page the user may edit: staff only; anyone else gets 404, as for a page that is not there."""
    if not permissions.can_edit_site_pages(user):
        raise Http404
    return page_by_slug(slug)


def page_revisions(page: SitePage, language: str = "") -> list[SitePageRevision]:
    """The saves of the page itself ("") or of its translation into `language`, oldest first."""
    return list(page.revisions.filter(language=language).select_related("user").order_by("number"))


def page_translation(page: SitePage, language: str | None) -> SitePageTranslation | None:
    """The page's translation for a reader of `language` (or its base language), or None: the original."""
    if not language:
        return None
    candidates = language_candidates(language)
    found = {t.language: t for t in page.translations.filter(language__in=candidates)}
    for code in candidates:
        if code in found:
            found[code].page = page  # is_behind reads the page's version: no query
            return found[code]
    return None


def page_translations(page: SitePage) -> list[SitePageTranslation]:
    translations = list(page.translations.select_related("updated_by").order_by("language"))
    for translation in translations:
        translation.page = page
    return translations


def cached_code_version() -> int | None:
    """The code of conduct's version from the cache, or None when the cache does not know it (no query)."""
    return cache.get(VERSION_CACHE_KEY)


def current_code_version() -> int:
    """The code of conduct's version now (cached; one query when the cache does not know it)."""
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        version = SitePage.objects.filter(slug=CODE_OF_CONDUCT).values_list("version", flat=True).first()
        version = version or BASELINE_VERSION
        cache.set(VERSION_CACHE_KEY, version, settings.AGORA_CODE_OF_CONDUCT_CACHE_SECONDS)
    return version


def code_state(user: Any) -> tuple[int, int]:
    """(the code of conduct's version now, the highest version the user accepted), in one query."""
    accepted = CodeAcceptance.objects.filter(user=user.pk).values("user").annotate(top=Max("version")).values("top")
    row = (
        SitePage.objects.filter(slug=CODE_OF_CONDUCT)
        .annotate(accepted=Subquery(accepted[:1]))
        .values_list("version", "accepted")
        .first()
    )
    current, top = row if row is not None else (BASELINE_VERSION, None)
    cache.set(VERSION_CACHE_KEY, current, settings.AGORA_CODE_OF_CONDUCT_CACHE_SECONDS)
    return current, max(top or 0, BASELINE_VERSION)


def accepted_code_version(user: Any) -> int:
    top = CodeAcceptance.objects.filter(user=user.pk).aggregate(top=Max("version"))["top"]
    return max(top or 0, BASELINE_VERSION)


def code_revision_accepted(page: SitePage, version: int) -> SitePageRevision | None:
    """The last revision of the code of conduct at a version: what a member accepted, to diff against."""
    return page.revisions.filter(language="", version__lte=version).order_by("-number").first()
