"""What every importer shares: the report of a run and the way a command shows it.

An import reads its source item by item. Each item is imported in its own transaction
(`Report.run_item`): an item that cannot be imported is rolled back, recorded with the reason and
skipped, and the others go on. What a run created and found already there is counted on the report
(each importer adds its own counters); items of a kind the importer does not bring in are counted
apart (`Report.ignore`). A management command shows the run with `ProgressLine` on stderr while it
goes, then `counts_line` and `write_outcome` on stdout, so every importer reads the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import transaction

PROGRESS_WIDTH = 30


class SkipItem(Exception):  # an outcome, not an error: the message says why the item was left out
    pass


@dataclass
class Report:
    items: int = 0
    ignored: dict[str, int] = field(default_factory=dict)  # kinds of item not imported, and how many
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (which item, why)

    def skip(self, what: str, why: str) -> None:
        self.skipped.append((what, why))

    def ignore(self, kind: str) -> None:
        self.ignored[kind] = self.ignored.get(kind, 0) + 1

    def run_item(self, label: str, work: Callable[[], object]) -> bool:
        """Import one item in its own transaction; True when it went in. SkipItem, or any error, rolls
        the item back and records it as skipped under `label`: one bad item must not stop the import."""
        try:
            with transaction.atomic():
                work()
        except SkipItem as why:
            self.skip(label, str(why))
        except Exception as error:  # noqa: BLE001 - one bad item must not stop the import
            self.skip(label, f"could not be imported: {type(error).__name__}: {error}")
        else:
            return True
        return False


class ProgressLine:
    """`Importing: [#########.....] 12/40 items` on a terminal's stream, rewritten in place as items go;
    `close()` ends the line. Silent at verbosity 0 and while the total is unknown."""

    def __init__(self, stream: Any, *, verbosity: int = 1, noun: str = "items") -> None:
        self.stream = stream
        self.verbosity = verbosity
        self.noun = noun
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.verbosity < 1 or not total:
            return
        filled = done * PROGRESS_WIDTH // total
        bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
        self.stream.write(f"\rImporting: [{bar}] {done}/{total} {self.noun}", ending="")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("")
            self.shown = False


def counts_line(what: str, created: int, existing: int) -> str:
    """`Stories: 3 created, 1 already imported.`"""
    return f"{what}: {created} created, {existing} already imported."


def write_outcome(out: TextIO | Any, style: Any, report: Report, *, ignored_as: str) -> None:
    """The end of every import's summary: what was not imported and why (`ignored_as` names what the
    importer brings in, e.g. "not blog posts"), then each skipped item with its reason, or that none was."""
    if report.ignored:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.ignored.items()))
        out.write(f"Not imported ({ignored_as}): {kinds}.")
    if report.skipped:
        out.write(style.WARNING(f"Skipped {len(report.skipped)}:"))
        for what, why in report.skipped:
            out.write(f"  {what}: {why}")
    else:
        out.write(style.SUCCESS("Nothing was skipped."))
