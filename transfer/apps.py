"""The transfer app: content import, export and the demo loader (see transfer/__init__.py)."""

from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "transfer"
    verbose_name = "Content import, export and demo"
