"""The relevance suite as a Django app, so that `manage.py evaluate_search` is found."""

from django.apps import AppConfig


class RelevanceConfig(AppConfig):
    name = "relevance"
    verbose_name = "Search relevance"
