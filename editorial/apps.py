"""
Keep the change log in step with every content type, start a new generation on deploy, and
write entries through the editorial services.
"""

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def start_new_generation(using, **kwargs):
    """A deploy may change representations: answers cached before it must not be reused."""
    from editorial.changes import content_changed
    from editorial.models import ContentVersion

    # Migrating only part of the way (`migrate app 0001`) may leave the table missing.
    if ContentVersion._meta.db_table in connections[using].introspection.table_names():
        content_changed()


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from editorial import services, signals

        signals.connect()
        # The write serializer and viewset of entries (entries/) write through the services.
        services.plug_in()
        post_migrate.connect(start_new_generation, sender=self)
