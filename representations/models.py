"""
Each public item's answers, rendered when it changes instead of when it is read.

A `Representation` holds one item's list entry and detail in one language (an item without a
published translation is the English text, marked as a fallback), as the API gives them, with
`ORIGIN` where the asking request's scheme and host go. Whether an item is public is never
read from here: the item's own table decides, in the same query that reads the representation.

Freshness is a pair of counters. Every change to what an item's answers show counts up
`changes`, in the transaction of the change (representations.marking); a rendering records
the count it read before it read the item, so it can only ever claim to show that change or
an older one. A row is fresh while `rendered_changes == changes`; anything else is answered
the long way (api.public_answers).
"""

from django.db import models

from apibase.languages import LANGUAGES


class RepresentationQuerySet(models.QuerySet):
    def create_missing(self, items):
        """Give each item ({kind: pks}) a row per language, stale until first rendered."""
        self.bulk_create(
            [
                Representation(kind=kind, object_id=pk, language=language)
                for kind, pks in items.items()
                for pk in pks
                for language in LANGUAGES
            ],
            ignore_conflicts=True,
        )


class Representation(models.Model):
    kind = models.CharField(max_length=40, help_text="The item's content type: `article` ...")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, help_text="The language asked for.")
    served_language = models.CharField(
        max_length=8, blank=True, help_text="The language of the text: English as a fallback."
    )
    list_item = models.TextField(blank=True, help_text="The item in a list, as JSON.")
    detail = models.TextField(blank=True, help_text="The item's detail, as JSON.")
    cache_tags = models.TextField(blank=True, help_text="The detail's Cache-Tag header.")
    related_floor = models.PositiveSmallIntegerField(
        default=0,
        help_text="Tags its last related item shares with it; 0 with room for more. An item "
        "newly sharing as many may now be related.",
    )
    changes = models.PositiveBigIntegerField(default=1)
    rendered_changes = models.PositiveBigIntegerField(default=0)

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="one_representation_a_language"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"


class RelatedLink(models.Model):
    """An item's detail shows `target` among its related items: a change to it is theirs."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    target_kind = models.CharField(max_length=40)
    target_slug = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "target_kind", "target_slug"],
                name="one_related_link",
            )
        ]
        indexes = [models.Index(fields=["target_kind", "target_slug"], name="related_link_target")]

    def __str__(self):
        return f"{self.kind} {self.object_id} → {self.target_kind}:{self.target_slug}"
