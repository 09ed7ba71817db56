from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "agora.trust"
    verbose_name = _("Trust levels")

    def ready(self):
        # Discuss names trust nowhere: trust listens to its hooks, and adds its daily job to the worker.
        from allauth.account.signals import user_signed_up

        from agora.core.timed_jobs import add_timed_job
        from agora.discuss import hooks

        from . import receivers, services

        hooks.topic_page_seen.connect(receivers.topic_page_seen)
        hooks.post_created.connect(receivers.post_created)
        hooks.post_liked.connect(receivers.post_liked)
        add_timed_job(services.trust_levels_daily)
        # allauth's own extension point: the level new members start at (AGORA_TRUST_LEVEL_FOR_NEW_MEMBERS).
        user_signed_up.connect(receivers.user_signed_up, dispatch_uid="trust.user_signed_up")
