"""Create the automatic groups and a first category, so a fresh site can be used at once."""

from django.db import migrations

AUTOMATIC = ["everyone", "members", "staff", "moderators"] + [f"trust_level_{n}" for n in range(5)]
SEE, REPLY, CREATE = 1, 2, 3


def forwards(apps, schema_editor):
    Group = apps.get_model("agora_groups", "Group")
    Category = apps.get_model("discuss", "Category")
    CategoryGrant = apps.get_model("discuss", "CategoryGrant")
    groups = {}
    for name in AUTOMATIC:
        groups[name], _ = Group.objects.get_or_create(
            name=name, defaults={"automatic": True, "visibility": "public", "joining": "invite"}
        )
    if not Category.objects.exists():
        general = Category.objects.create(
            name="General", slug="general", description="Anything that fits nowhere else.", color="blue"
        )
        CategoryGrant.objects.create(category=general, group=groups["everyone"], level=SEE)
        CategoryGrant.objects.create(category=general, group=groups["members"], level=CREATE)


class Migration(migrations.Migration):
    dependencies = [("discuss", "0001_initial"), ("agora_groups", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
