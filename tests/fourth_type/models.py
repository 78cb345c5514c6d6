from django.db import models

from content.models import PublishableContent
from search.querysets import SearchableQuerySet
from search.registry import IndexComponents


class Note(PublishableContent):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    conditions = models.ManyToManyField("taxonomy.Condition", blank=True, related_name="notes")
    topics = models.ManyToManyField("taxonomy.Topic", blank=True, related_name="notes")

    objects = SearchableQuerySet.as_manager()

    reference_type = "note"
    reference_group = "notes"
    reviewed_fields = ("title", "body")
    file_body_field = "body"
    file_fields = ("title",)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def index_components(self):
        return IndexComponents(title=self.title, summary="", body=self.body)
