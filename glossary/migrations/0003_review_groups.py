"""Glossary entries in the ready-made groups, as the other content types are (editorial 0003)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_ACTIONS = {
    "Editor": ("view", "add", "change", "delete"),
    "Medical reviewer": ("view",),
    "Publisher": ("view", "change"),
}


def add_permissions(apps, schema_editor):
    # Permissions are made after all migrations ran (post_migrate): make them now.
    app_config = apps.get_app_config("glossary")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, actions in GROUP_ACTIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="glossary",
                codename__in=[f"{action}_glossaryentry" for action in actions],
            )
        )


def remove_permissions(apps, schema_editor):
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__content_type__app_label="glossary"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_review_groups"),
        ("glossary", "0002_sign_off_and_seo_fields"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
