"""
The QuerySet of searchable content models: `Article.objects.published().search("nmda")`.

Content models take it as their manager; the ranking is search/backends' (one function per
database vendor), over the index rows in search/models.py.
"""

from django.db import models

from content.models import PublishableQuerySet
from search.backends import search
from search.models import SearchDocument
from search.registry import type_of


class SearchableQuerySet(PublishableQuerySet):
    """Content QuerySets that can be narrowed and ranked by the search index."""

    def search(self, text):
        """Keep the items matching the words typed, best first; `search_score` says how well."""
        documents = SearchDocument.objects.published().filter(
            type=type_of(self.model), object_id__in=self.values("pk")
        )
        results = search(documents, text)
        scores = {hit.object_id: hit.score for hit in results.hits}
        return (
            self.filter(pk__in=list(scores))
            .annotate(
                search_score=models.Case(
                    *(models.When(pk=pk, then=models.Value(score)) for pk, score in scores.items()),
                    default=models.Value(0.0),
                    output_field=models.FloatField(),
                )
            )
            .order_by("-search_score", "pk")
        )
