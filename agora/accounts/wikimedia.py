"""Log in with a Wikimedia account: allauth's MediaWiki provider keeping what Agora reads of the wiki's
profile (edit count, registration, block), a local username derived from the wiki's under our rules,
and whether the wiki account has standing (trust level 1 at sign-up)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from allauth.socialaccount.providers.mediawiki.provider import MediaWikiProvider
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .usernames import (
    MAX_LENGTH,
    MIN_LENGTH,
    normalize_username,
    username_is_free,
    validate_username_characters,
)

PROVIDER_ID = "mediawiki"
# Names with a number after them, tried in turn when the wiki name is taken here.
MAX_SUFFIX = 50


class WikimediaProvider(MediaWikiProvider):
    """allauth's provider (accounts keyed on `sub`), keeping the figures standing is judged on."""

    # allauth's own URLs and views (/accounts/mediawiki/login/ and its callback) serve this class.
    package = "allauth.socialaccount.providers.mediawiki"
    name = "Wikimedia"

    def extract_extra_data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        extra = super().extract_extra_data(data)
        extra.update(
            editcount=data.get("editcount"),
            registered=data.get("registered"),
            blocked=bool(data.get("blocked")),
        )
        return extra

    def extract_common_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        # The real name stays on the wiki: it is not public there.
        fields = super().extract_common_fields(data)
        fields.pop("name", None)
        return fields


def is_wikimedia_login(sociallogin: Any) -> bool:
    return sociallogin is not None and sociallogin.account.provider == PROVIDER_ID


# --- The local username ----------------------------------------------------------------------------


def _fit(wiki_name: str) -> str:
    """The wiki name under our rules: characters we refuse (wikis allow ' , ! / and more) become spaces."""
    name = normalize_username(wiki_name)
    name = "".join(c if _char_ok(c) else " " for c in name)
    name = normalize_username(name)[:MAX_LENGTH].strip()
    return name


def _char_ok(char: str) -> bool:
    try:
        validate_username_characters(f"a{char}a" if char != " " else "a a")
    except ValidationError:
        return False
    return True


def username_derives_cleanly(wiki_name: str) -> bool:
    """True when the wiki name is itself a free, valid name here: the account is made without a form."""
    name = normalize_username(wiki_name)
    return bool(name) and _fit(name) == name and username_is_free(name)


def username_suggestion(wiki_name: str) -> str:
    """The name offered: the wiki name under our rules, or with a number after it when that is taken
    ("Jane Doe 2"); empty when nothing fits (the sign-up form asks)."""
    base = _fit(wiki_name)
    if len(base) < MIN_LENGTH or not re.search(r"\w", base):
        return ""
    if username_is_free(base):
        return base
    for n in range(2, MAX_SUFFIX + 1):
        suffix = f" {n}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip() + suffix
        if username_is_free(candidate):
            return candidate
    return ""


# --- Standing --------------------------------------------------------------------------------------


def _registered_at(value: Any) -> datetime | None:
    """MediaWiki gives a registration as 20140101120000 (its own format) or ISO 8601; None when unknown."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{14}", value):
            return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def wiki_standing(extra_data: Mapping[str, Any], *, now: datetime | None = None) -> str:
    """Why this wiki account has standing (its edits and age reach AGORA_WIKIMEDIA_TL1_EDITS and
    AGORA_WIKIMEDIA_TL1_DAYS), as the line kept in the trust log; "" when it has not."""
    now = now or timezone.now()
    try:
        edits = int(extra_data.get("editcount") or 0)
    except (TypeError, ValueError):
        return ""
    registered = _registered_at(extra_data.get("registered"))
    if extra_data.get("blocked") or registered is None:
        return ""
    days = (now - registered).days
    if edits < settings.AGORA_WIKIMEDIA_TL1_EDITS or days < settings.AGORA_WIKIMEDIA_TL1_DAYS:
        return ""
    return _("A Wikimedia account with %(edits)d edits, registered %(days)d days ago.") % {
        "edits": edits,
        "days": days,
    }
