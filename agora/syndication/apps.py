from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "agora.syndication"
    verbose_name = _("Syndication")

    def ready(self):
        # The worker polls the feeds whose time has come on each beat (a task per feed).
        from agora.core.timed_jobs import add_timed_job

        from . import services

        add_timed_job(services.feeds_poll_due)
