from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "agora.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        # The worker sends the outbox, mails notifications and digests on each beat; new posts and
        # published stories queue mailing-list mode's emails and cross-posts (after their commit).
        from agora.blog import hooks as blog_hooks
        from agora.core.timed_jobs import add_timed_job
        from agora.discuss import hooks as discuss_hooks

        from . import receivers, services

        add_timed_job(services.notification_mail_sweep)
        add_timed_job(services.digests_send_due)
        add_timed_job(services.outbox_send_due)
        discuss_hooks.post_created.connect(receivers.post_created)
        blog_hooks.story_changed.connect(receivers.story_changed)
