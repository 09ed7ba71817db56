"""Writes on API keys: create one (the only moment its secret is known) and revoke one."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from .models import ApiKey, hash_api_key

KEY_PREFIX = "agora_"


def api_key_create(*, user: Any, name: str, scope: str = ApiKey.Scope.READ) -> tuple[ApiKey, str]:
    """Make a key for `user`; returns the row and the secret, which is shown once and stored only hashed."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        user=user, name=name.strip()[:100], scope=scope, prefix=raw[: len(KEY_PREFIX) + 4], key_hash=hash_api_key(raw)
    )
    return key, raw


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
