from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "agora.groups"
    label = "agora_groups"
    verbose_name = "Groups"
