from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "agora.mail"
    label = "mail"
    verbose_name = "Mail"
