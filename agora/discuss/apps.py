from django.apps import AppConfig


class DiscussConfig(AppConfig):
    name = "agora.discuss"
    label = "discuss"
    verbose_name = "Discuss"

    def ready(self):
        from agora.core.page_cache import cache_views
        from agora.core.timed_jobs import add_timed_job

        from . import services, views

        add_timed_job(services.idempotency_keys_prune)

        # Visitors all see the same Discuss pages: serve them from the page cache (a person's page too,
        # whose tabs are their Discuss activity).
        cache_views(
            "discuss:home", "discuss:latest", "discuss:top", "discuss:unanswered", "discuss:categories",
            "discuss:category", "discuss:tags", "discuss:tag", "accounts:profile", "accounts:profile_tab",
        )  # fmt: skip
        cache_views("discuss:topic", on_hit=views.topic_view_from_cache)
