from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "agora.trust"
    verbose_name = "Trust levels"
