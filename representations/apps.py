from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RepresentationsConfig(AppConfig):
    name = "representations"
    verbose_name = "Materialised representations"

    def ready(self):
        from publishing.changes import public_items_changed
        from representations.marking import items_changed, rerender_everything

        public_items_changed.connect(items_changed, dispatch_uid="representations")
        post_migrate.connect(rerender_everything, sender=self, dispatch_uid="representations")
