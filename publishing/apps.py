"""Start a new generation on deploy."""

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def start_new_generation(using, **kwargs):
    """A deploy may change representations: answers cached before it must not be reused."""
    from publishing.changes import content_changed
    from publishing.models import ContentVersion

    # Migrating only part of the way (`migrate app 0001`) may leave the table missing.
    if ContentVersion._meta.db_table in connections[using].introspection.table_names():
        content_changed()


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        post_migrate.connect(start_new_generation, sender=self)
