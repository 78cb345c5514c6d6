"""Keep the change log in step with every content type, and write entries through the editorial
services."""

from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from editorial import services, signals

        signals.connect()
        # The write serializer and viewset of entries (entries/) write through the services.
        services.plug_in()
