"""The ready-made groups work on translations as on entries: editors write, reviewers sign off,
publishers publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Editor": ("view", "add", "change", "delete"),
    "Medical reviewer": ("view",),
    "Publisher": ("view", "change"),
}


def grant(apps, schema_editor):
    # Permissions are made after all migrations ran (post_migrate): make them now, for the
    # models of this migration's state (editorial's records are publishing's today).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, actions in PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="editorial",
                codename__in=[f"{action}_translation" for action in actions],
            )
        )


def revoke(apps, schema_editor):
    permission_model = apps.get_model("auth", "Permission")
    translations = permission_model.objects.filter(
        content_type__app_label="editorial", codename__endswith="_translation"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS):
        group.permissions.remove(*translations)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0005_translation"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
