"""The media library in the ready-made groups: editors manage images, the others see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_ACTIONS = {
    "Editor": ("view", "add", "change", "delete"),
    "Medical reviewer": ("view",),
    "Publisher": ("view",),
}


def add_permissions(apps, schema_editor):
    # Permissions are made after all migrations ran (post_migrate): make them now.
    app_config = apps.get_app_config("images")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, actions in GROUP_ACTIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="images",
                codename__in=[f"{action}_image" for action in actions],
            )
        )


def remove_permissions(apps, schema_editor):
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        permission__content_type__app_label="images"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_review_groups"),
        ("images", "0001_image_library"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
