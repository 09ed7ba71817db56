from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "agora.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from agora.core.timed_jobs import add_timed_job

        from . import services

        # Dates of recurring events up to their horizon, and reminders a day and an hour before.
        add_timed_job(services.occurrences_extend_due)
        add_timed_job(services.reminders_send_due)
