"""manage.py search_reindex: empty the search index and write it again from every topic, reply, published
story, event and person, counting on stderr as it goes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from agora.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the live rows (topics, replies, stories, events, people)."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(count: int) -> None:
            self.stderr.write(f"\rIndexed {count} documents…", ending="")
            self.stderr.flush()

        total = index_rebuild(progress=progress)
        if total:
            self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"The search index holds {total} documents."))
