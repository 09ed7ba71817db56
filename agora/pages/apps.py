from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "agora.pages"
    verbose_name = "Site pages"

    def ready(self):
        from agora.core.page_cache import cache_views

        # Visitors all read the same pages; an edit invalidates the cache (services.page_save).
        cache_views("pages:page")
