"""Point the images by address in already stored HTML at our origin (/img/remote/), once, after the
upgrade that started serving remote images ourselves. New content is rewritten when it is rendered; this
command is for what was rendered before. Safe to run again: rewritten HTML is left as it is."""

from django.apps import apps
from django.core.management.base import BaseCommand

from agora.core.remote_images import rewrite_images

# Every stored rendering of user Markdown, by app label, model and field (named, not imported: core
# imports no other app).
HTML_FIELDS = [
    ("discuss", "Post", "html"),
    ("accounts", "User", "bio_html"),
    ("groups", "Group", "description_html"),
    ("blog", "Story", "body_html"),
    ("blog", "EditorialComment", "html"),
    ("pages", "SitePage", "html"),
]


class Command(BaseCommand):
    help = "Point images by address in stored HTML at /img/remote/, so readers never load them from their host."

    def handle(self, *args, **options):
        for app_label, model_name, field in HTML_FIELDS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            changed = 0
            rows = model._default_manager.filter(**{f"{field}__contains": "<img"}).values_list("pk", field)
            for pk, markup in rows.iterator(chunk_size=500):
                rewritten = rewrite_images(markup)
                if rewritten != markup:
                    # update(): no save() side effects, and no "edited" time for a change nobody made.
                    model._default_manager.filter(pk=pk).update(**{field: rewritten})
                    changed += 1
            if options["verbosity"]:
                self.stdout.write(f"{app_label}.{model_name}.{field}: {changed} rewritten")
