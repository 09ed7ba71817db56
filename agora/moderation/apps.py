from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # Discuss cannot import us: its moderator tools tell the staff log through a hook.
        from agora.discuss import hooks

        from . import services

        hooks.moderator_acted.connect(services.action_log)
