"""The "blog" discussion category (where publishing opens a story's topic) and the editorial board group."""

from django.conf import settings
from django.db import migrations

SEE, REPLY = 1, 2


def forwards(apps, schema_editor):
    Group = apps.get_model("agora_groups", "Group")
    Category = apps.get_model("discuss", "Category")
    CategoryGrant = apps.get_model("discuss", "CategoryGrant")
    blog, created = Category.objects.get_or_create(
        slug="blog", defaults={"name": "Blog", "description": "Comments on the blog's stories."}
    )
    if created:
        # Everyone reads, members reply; nobody creates: a topic here is opened by publishing a story.
        for name, level in (("everyone", SEE), ("members", REPLY)):
            group = Group.objects.filter(name=name).first()
            if group is not None:
                CategoryGrant.objects.get_or_create(category=blog, group=group, defaults={"level": level})
    Group.objects.get_or_create(
        name=settings.AGORA_EDITORIAL_GROUP,  # "editorial-board" unless configured otherwise
        defaults={
            "full_name": "Editorial board",
            "visibility": "public",
            "joining": "ask",
            "members_visibility": "members",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("discuss", "0002_automatic_groups"),
        ("agora_groups", "0002_group_settings_requests_invitations"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
