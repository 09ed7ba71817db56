from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "agora.blog"
    label = "blog"
    verbose_name = "Blog"
