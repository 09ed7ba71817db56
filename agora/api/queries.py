"""Reads on API keys: who a presented key speaks for."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import ApiKey, hash_api_key

# last_used_at is written at most this often per key, so a busy client does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def api_key_for(raw: str | None) -> ApiKey | None:
    """The active key whose secret is `raw`, with its user, or None (unknown, revoked, or its owner inactive or
    suspended: a suspension ends keys at once, as it ends sessions)."""
    if not raw or len(raw) > 200:
        return None
    key = ApiKey.objects.select_related("user").filter(key_hash=hash_api_key(raw.strip())).first()
    if key is None or key.revoked_at is not None or not key.user.is_active or key.user.is_suspended:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
