"""Compile the interface's catalogues (.po -> .mo) with Babel, so no gettext tools are needed to run."""

from django.conf import settings
from django.core.management.base import BaseCommand

from agora.core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile agora/locale/*/LC_MESSAGES/django.po into .mo files (only those that changed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, changed or not.")

    def handle(self, *args, force=False, **options):
        compiled = compile_catalogues(settings.LOCALE_PATHS[0], force=force)
        if options["verbosity"]:
            self.stdout.write(f"Compiled: {', '.join(compiled)}" if compiled else "Catalogues up to date.")
