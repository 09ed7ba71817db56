"""Importers' rows: the placeholder people an archive's authors became until they claim their posts."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PlaceholderPerson(models.Model):
    """An inactive account (no usable password) made for an archive author whose address no member had
    verified. Their posts move to whoever later verifies the address (importers.claims), or to a person
    staff name with `manage.py claim_placeholder`. The address lives here, not on the account, so it never
    stands in the way of the real person signing up with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="placeholder"
    )
    email = models.CharField(max_length=254, db_index=True)  # lower-cased
    source = models.CharField(max_length=30, default="mbox")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"placeholder for {self.email}"
