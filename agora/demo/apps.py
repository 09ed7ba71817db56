from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "agora.demo"
    label = "demo"
    verbose_name = "Demo content"
