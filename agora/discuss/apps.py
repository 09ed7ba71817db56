from django.apps import AppConfig


class DiscussConfig(AppConfig):
    name = "agora.discuss"
    label = "discuss"
    verbose_name = "Discuss"
