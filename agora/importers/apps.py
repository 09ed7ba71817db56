from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "agora.importers"
    label = "importers"
    verbose_name = "Importers"

    def ready(self):
        # Accounts, a lower floor, names no importer: verifying an address claims an archive's posts from it.
        from agora.accounts import hooks as account_hooks

        from . import claims

        account_hooks.email_verified.connect(claims.placeholders_claim_by_email)
