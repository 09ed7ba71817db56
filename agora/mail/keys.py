"""Reply keys: the per-person, per-post part of a notification's Reply-To address, made and read here so
the outgoing and incoming sides agree on one format (`local+KEY@domain`)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ReplyKey


def reply_address_parts() -> tuple[str, str]:
    """The local part and domain replies go to (AGORA_REPLY_ADDRESS, else `replies@` the sender's domain)."""
    address = settings.AGORA_REPLY_ADDRESS or f"replies@{_domain_of(settings.DEFAULT_FROM_EMAIL)}"
    local, _, domain = address.rpartition("@")
    return local.split("+", 1)[0], domain.lower()


def _domain_of(address: str) -> str:
    address = address.strip().rstrip(">")
    return address.rpartition("@")[2] or "localhost"


def reply_key_for(*, user: Any, topic: Any, post: Any = None) -> ReplyKey:
    """The person's key for replying to `post` (or to the topic when None); made on first use, reused after."""
    existing = ReplyKey.objects.filter(user=user, topic=topic, post=post).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ReplyKey.objects.create(user=user, topic=topic, post=post, key=secrets.token_hex(16))
    except IntegrityError:  # made meanwhile by another worker
        return ReplyKey.objects.get(user=user, topic=topic, post=post)


def reply_address(key: ReplyKey) -> str:
    local, domain = reply_address_parts()
    return f"{local}+{key.key}@{domain}"


UNSUBSCRIBE_TAG = "unsubscribe"


def _split_ours(address: str) -> str | None:
    """What follows the plus in `local+TAG@domain` when the address is our reply address, else None."""
    local, domain = reply_address_parts()
    addr_local, _, addr_domain = address.strip().strip("<>").rpartition("@")
    base, plus, tag = addr_local.partition("+")
    if not plus or base.lower() != local.lower() or addr_domain.lower() != domain:
        return None
    return tag.lower()


def is_unsubscribe_address(address: str) -> bool:
    """Whether `address` is the mailto of List-Unsubscribe (`replies+unsubscribe@domain`)."""
    return _split_ours(address) == UNSUBSCRIBE_TAG


def key_from_address(address: str) -> str | None:
    """The key in a reply address (`replies+KEY@domain`, any case for the domain), or None when the address
    is not ours or carries no key."""
    key = _split_ours(address)
    return key if key is not None and len(key) == 32 and all(c in "0123456789abcdef" for c in key) else None


def live_reply_key(key: str) -> ReplyKey | None:
    """The stored key, if it exists and is younger than AGORA_REPLY_KEY_DAYS."""
    oldest = timezone.now() - timedelta(days=settings.AGORA_REPLY_KEY_DAYS)
    return ReplyKey.objects.select_related("user", "topic", "post").filter(key=key, created_at__gte=oldest).first()
