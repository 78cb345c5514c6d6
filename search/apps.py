"""Connect the index to every registered content type and to tag and synonym changes."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from content import registry
        from search import indexing
        from search.backends import forget_synonyms
        from taxonomy.models import Condition, Synonym, Topic

        registry.subscribe(lambda content_type: indexing.connect(content_type.model))
        indexing.connect_tags()
        indexing.connect_translations()
        for model in (Condition, Topic, Synonym):
            uid = f"search-synonyms-{model._meta.label}"
            post_save.connect(forget_synonyms, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_synonyms, sender=model, dispatch_uid=uid)
