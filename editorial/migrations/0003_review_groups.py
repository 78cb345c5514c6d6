"""The ready-made groups: Editor, Medical reviewer and Publisher (see the README for who does what)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = [("articles", "article"), ("articles", "faq"), ("research", "researchsummary")]
TAGS = [("taxonomy", "condition"), ("taxonomy", "topic")]


def _all(actions, models):
    return [(app, f"{action}_{model}") for app, model in models for action in actions]


GROUPS = {
    "Editor": _all(("view", "add", "change", "delete"), CONTENT + TAGS),
    "Medical reviewer": [
        *_all(("view",), CONTENT + TAGS),
        ("editorial", "sign_off_medical_review"),
        ("editorial", "view_reviewer"),
    ],
    "Publisher": [
        *_all(("view", "change"), CONTENT),
        *_all(("view",), TAGS),
        ("editorial", "publish_content"),
        *_all(("view", "add", "change"), [("editorial", "reviewer")]),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are made after all migrations ran (post_migrate): make them now, for the
    # models of this migration's state (editorial's records are publishing's today).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0002_reviewer_signoff"),
        ("articles", "0005_reviewers_from_free_text"),
        ("research", "0005_reviewers_from_free_text"),
        ("taxonomy", "0006_seed_search_vocabulary"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
