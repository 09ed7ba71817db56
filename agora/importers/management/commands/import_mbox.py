"""manage.py import_mbox ARCHIVE --category SLUG: bring a mailing list's archive into a category."""

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.discuss.models import Category
from agora.importers.mbox import ATTACHMENT_MAX_BYTES, SUBJECT_WINDOW, MboxError, MboxImporter
from agora.importers.report import ProgressLine, counts_line, write_outcome
from agora.moderation.limits import posting_limits_off


class Command(BaseCommand):
    help = (
        "Import a mailing-list archive: an mbox file (a Google Groups takeout too) or a folder of "
        "Mailman/pipermail monthly .txt/.txt.gz archives. Each thread becomes a topic in the category, each "
        "message a post with its date; authors are matched by verified address or become placeholder people "
        "who can claim their posts later. Nobody is notified. Safe to run again: what is there is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="an mbox file (.mbox, .txt, .gz) or a folder of them")
        parser.add_argument("--category", required=True, help="the slug of the category the topics go in")
        parser.add_argument(
            "--max-attachment-mb",
            type=float,
            default=ATTACHMENT_MAX_BYTES / (1024 * 1024),
            help="attachments larger than this are named in the post but not kept (default: %(default)s)",
        )
        parser.add_argument(
            "--subject-window-days",
            type=int,
            default=SUBJECT_WINDOW.days,
            help="a reply with no known parent joins a thread of the same subject active this many days "
            "before it (default: %(default)s)",
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder.")
        category = Category.objects.filter(slug=options["category"]).first()
        if category is None:
            raise CommandError(f"There is no category “{options['category']}”. Nothing was imported.")
        if options["max_attachment_mb"] < 0 or options["subject_window_days"] < 0:
            raise CommandError("--max-attachment-mb and --subject-window-days cannot be negative.")
        verbosity = options["verbosity"]
        progress = ProgressLine(self.stderr, verbosity=verbosity, noun="messages")
        importer = MboxImporter(
            category=category,
            progress=progress,
            attachment_max_bytes=int(options["max_attachment_mb"] * 1024 * 1024),
            subject_window=timedelta(days=options["subject_window_days"]),
        )
        try:
            with posting_limits_off():
                summary = importer.run(path)
        except MboxError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        finally:
            progress.close()
        if verbosity < 1:
            return
        out = self.stdout
        out.write(f"Read {summary.items} messages from {summary.files} file(s) in {path}.")
        out.write(f"Threads: {summary.threads_created} new topics in “{category.slug}”.")
        out.write(counts_line("Posts", summary.posts_created, summary.posts_existing))
        out.write(
            f"People: {summary.people_matched} matched to members by a verified address; "
            f"{summary.placeholders_created} placeholder people created, {summary.placeholders_reused} reused."
        )
        if summary.attachments_kept or summary.attachments_too_large:
            out.write(
                f"Attachments: {summary.attachments_kept} kept, {summary.attachments_too_large} too large (named only)."
            )
        write_outcome(out, self.style, summary, ignored_as="not messages")
