from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "agora.pages"
    verbose_name = "Site pages"
