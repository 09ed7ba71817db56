from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from agora.discuss import hooks

        # New members' limits and the pace of posting; first posts held for approval (limits.py).
        from . import limits, receivers, services

        hooks.post_checking.connect(limits.check_post)
        hooks.message_checking.connect(limits.check_message)
        hooks.post_created.connect(limits.hold_first_posts)
        # An author's edit of a post the flags hid sends it back to the review queue; a post held for
        # approval joins the queue (after limits.hold_first_posts has held it).
        hooks.post_edited.connect(receivers.post_edited)
        hooks.post_created.connect(receivers.post_created)
        # Discuss cannot import us: its moderator tools tell the staff log through a hook.
        hooks.moderator_acted.connect(services.action_log)
