"""Mail reads: a person's email choices (the defaults when they never saved any) and the staff's list addresses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from agora.notifications.models import NotificationSettings

from .models import ListAddress


def email_settings_for(user: Any) -> NotificationSettings:
    """The person's settings row, or an unsaved one holding the defaults."""
    return NotificationSettings.objects.filter(user_id=user.pk).first() or NotificationSettings(user_id=user.pk)


def list_addresses() -> QuerySet[ListAddress]:
    return ListAddress.objects.select_related("category").order_by("address", "pk")


def list_address(pk: str) -> ListAddress | None:
    """One list address by its id as a form sent it, or None (not a number, or removed meanwhile)."""
    return ListAddress.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
