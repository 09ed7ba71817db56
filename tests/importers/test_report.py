"""The report every importer shares: one item per transaction, skips with reasons, the progress line."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style

from agora.accounts.models import User
from agora.importers.report import ProgressLine, Report, SkipItem, counts_line, write_outcome
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_item_that_fails_is_rolled_back_and_reported_while_the_next_goes_in():
    report = Report()

    def half_then_error():
        factories.UserFactory(username="Half-made")
        raise ValueError("the date is no date")

    def skipped():
        factories.UserFactory(username="Left-out")
        raise SkipItem("it has no title")

    assert report.run_item("item 1", half_then_error) is False
    assert report.run_item("item 2", skipped) is False
    assert report.run_item("item 3", lambda: factories.UserFactory(username="Whole")) is True

    assert list(User.objects.values_list("username", flat=True)) == ["Whole"]
    assert report.skipped == [
        ("item 1", "could not be imported: ValueError: the date is no date"),
        ("item 2", "it has no title"),
    ]


def test_ignored_kinds_are_counted_and_the_outcome_lists_them_and_each_skip():
    report = Report()
    for kind in ("page", "attachment", "page"):
        report.ignore(kind)
    report.skip("item 4", "it is empty")
    out = StringIO()
    write_outcome(OutputWrapper(out), no_style(), report, ignored_as="not blog posts")
    assert out.getvalue() == (
        "Not imported (not blog posts): 1 attachment, 2 page.\nSkipped 1:\n  item 4: it is empty\n"
    )

    out = StringIO()
    write_outcome(OutputWrapper(out), no_style(), Report(), ignored_as="not messages")
    assert out.getvalue() == "Nothing was skipped.\n"
    assert counts_line("Stories", 3, 1) == "Stories: 3 created, 1 already imported."


def test_the_progress_line_is_rewritten_in_place_and_ended_once():
    err = StringIO()
    progress = ProgressLine(OutputWrapper(err), noun="messages")
    progress(1, 3)
    progress(3, 3)
    progress.close()
    progress.close()
    assert err.getvalue() == (
        f"\rImporting: [{'#' * 10}{'.' * 20}] 1/3 messages\rImporting: [{'#' * 30}] 3/3 messages\n"
    )


def test_the_progress_line_is_silent_when_asked_or_when_the_total_is_unknown():
    err = StringIO()
    quiet = ProgressLine(OutputWrapper(err), verbosity=0)
    quiet(1, 2)
    quiet.close()
    unknown = ProgressLine(OutputWrapper(err))
    unknown(5, 0)
    unknown.close()
    assert err.getvalue() == ""
