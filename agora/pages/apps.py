from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "agora.pages"
    verbose_name = "Site pages"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from agora.core.page_cache import cache_views

        from .middleware import remember_on_login

        # Sign-in notes what the member accepted, so the code of conduct check costs their pages nothing.
        user_logged_in.connect(remember_on_login, dispatch_uid="agora.pages.remember_on_login")

        # Visitors all read the same pages; an edit invalidates the cache (services.page_save).
        cache_views("pages:page")
