"""manage.py import_wordpress EXPORT.xml: bring a WordPress blog's posts and comments into the blog."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.blog.importers.wordpress import WordPressImporter, WXRError


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
        shown = {"width": 0}

        def progress(done: int, total: int) -> None:
            if verbosity < 1 or not total:
                return
            filled = done * 30 // total
            line = f"\rImporting: [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} items"
            shown["width"] = len(line)
            self.stderr.write(line, ending="")
            self.stderr.flush()

        importer = WordPressImporter(source=options.get("source"), progress=progress)
        try:
            summary = importer.run(path)
        except WXRError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        finally:
            if shown["width"]:
                self.stderr.write("")
        if verbosity < 1:
            return
        out = self.stdout
        out.write(f"Read {summary.items} items from {path} (source “{importer.source_key}”).")
        out.write(f"Stories: {summary.stories_created} created, {summary.stories_existing} already imported.")
        out.write(f"Comments: {summary.comments_created} created, {summary.comments_existing} already imported.")
        out.write(
            f"Users created: {summary.users_created}; "
            f"categories created: {summary.categories_created}; tags created: {summary.tags_created}."
        )
        if summary.ignored:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.ignored.items()))
            out.write(f"Not imported (not blog posts): {kinds}.")
        if summary.skipped:
            out.write(self.style.WARNING(f"Skipped {len(summary.skipped)}:"))
            for what, why in summary.skipped:
                out.write(f"  {what}: {why}")
        else:
            out.write(self.style.SUCCESS("Nothing was skipped."))
