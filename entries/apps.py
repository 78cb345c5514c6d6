"""The entry machinery as a Django app: no models of its own, only abstract ones."""

from django.apps import AppConfig


class EntriesConfig(AppConfig):
    name = "entries"
    verbose_name = "Entries"
