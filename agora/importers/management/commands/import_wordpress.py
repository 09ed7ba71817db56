"""manage.py import_wordpress EXPORT.xml: bring a WordPress blog's posts and comments into the blog."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.importers.report import ProgressLine, counts_line, write_outcome
from agora.importers.wordpress import WordPressImporter, WXRError
from agora.moderation.limits import posting_limits_off


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): posts become stories (authors, dates, categories, tags), "
        "comments replies in each story's discussion. Safe to run again: what is there is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the WXR file (Tools → Export in WordPress)")
        parser.add_argument(
            "--source",
            help="what the items are remembered under (default: wxr:<the site's URL>); keep it the same between runs",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        verbosity = options["verbosity"]
        progress = ProgressLine(self.stderr, verbosity=verbosity)
        importer = WordPressImporter(source=options.get("source"), progress=progress)
        try:
            with posting_limits_off():
                summary = importer.run(path)
        except WXRError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        finally:
            progress.close()
        if verbosity < 1:
            return
        out = self.stdout
        out.write(f"Read {summary.items} items from {path} (source “{importer.source_key}”).")
        out.write(counts_line("Stories", summary.stories_created, summary.stories_existing))
        out.write(counts_line("Comments", summary.comments_created, summary.comments_existing))
        out.write(
            f"Users created: {summary.users_created}; "
            f"categories created: {summary.categories_created}; tags created: {summary.tags_created}."
        )
        write_outcome(out, self.style, summary, ignored_as="not blog posts")
