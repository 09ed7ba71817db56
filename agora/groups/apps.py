from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "agora.groups"
    label = "agora_groups"
    verbose_name = "Groups"

    def ready(self):
        from agora.core.page_cache import cache_views

        cache_views("groups:list", "groups:detail", "groups:members")
