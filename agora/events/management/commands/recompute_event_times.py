"""Recompute every event date's UTC start and end from its wall clock and zone (after a tzdata update)."""

from django.core.management.base import BaseCommand

from agora.events.services import occurrences_recompute_utc


class Command(BaseCommand):
    help = "Recompute the UTC times of every event date from its wall clock and time zone (run after a tzdata update)."

    def handle(self, *args, **options):
        moved = occurrences_recompute_utc()
        self.stdout.write(f"{moved} event dates moved on the UTC line.")
