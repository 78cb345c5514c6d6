"""The content kernel as a Django app: no models of its own, only abstract ones."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content kernel"
