from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "agora.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up

        from agora.accounts import hooks as account_hooks
        from agora.blog import hooks as blog_hooks
        from agora.discuss import hooks as discuss_hooks
        from agora.events import hooks as event_hooks

        from . import receivers

        discuss_hooks.post_created.connect(receivers.post_created)
        discuss_hooks.post_edited.connect(receivers.post_changed)
        discuss_hooks.post_deleted.connect(receivers.post_changed)
        discuss_hooks.post_restored.connect(receivers.post_changed)
        discuss_hooks.moderator_acted.connect(receivers.moderator_acted)
        blog_hooks.story_changed.connect(receivers.story_changed)
        event_hooks.event_saved.connect(receivers.event_saved)
        account_hooks.profile_updated.connect(receivers.profile_updated)
        # allauth's own extension point, as trust uses it: a new member is found by name at once.
        user_signed_up.connect(receivers.user_signed_up, dispatch_uid="search.user_signed_up")
