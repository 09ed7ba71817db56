from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "agora.blog"
    label = "blog"
    verbose_name = "Blog"

    def ready(self):
        # The floors below the blog name it nowhere: it adds its own block and job to them.
        from agora.core.timed_jobs import add_timed_job
        from agora.discuss.sidebar import add_block

        from . import queries, services

        add_block("latest_news", queries.sidebar_latest_news)
        add_timed_job(services.stories_publish_due)
