from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from agora.discuss import hooks

        from . import receivers

        # An author's edit of a post the flags hid sends it back to the review queue; a post held for
        # approval joins the queue.
        hooks.post_edited.connect(receivers.post_edited)
        hooks.post_created.connect(receivers.post_created)
