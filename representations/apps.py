from django.apps import AppConfig


class RepresentationsConfig(AppConfig):
    name = "representations"
    verbose_name = "Materialised representations"

    def ready(self):
        from publishing.changes import public_items_changed
        from representations.marking import items_changed

        public_items_changed.connect(items_changed, dispatch_uid="representations")
