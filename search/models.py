"""
The search index: one row per public-status content item and language, whatever its type.

Each content model says what goes in the weighted slots (`index_components()`); the rows are
kept in step by the signals in `search/indexing.py`. Full-text structures live beside this
table and are made by a migration for each database: a weighted `tsvector` with a GIN index
on PostgreSQL, an FTS5 table for each language on SQLite.
"""

from django.db import models
from django.db.models import Exists, OuterRef

from content.models import published_q


class Weight(models.TextChoices):
    """The slots a document's text goes in, strongest first (PostgreSQL's A, B and C)."""

    TITLE = "A", "Title"
    SUMMARY = "B", "Summary and tags"
    BODY = "C", "Body"


class Language(models.TextChoices):
    """The languages of the index (their analysis: search.languages)."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


class SearchDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def in_language(self, code):
        return self.filter(language=code)

    def of_types(self, types):
        return self.filter(type__in=types)

    def for_conditions(self, slugs):
        return self._tagged_with(SearchTag.Facet.CONDITION, slugs)

    def for_topics(self, slugs):
        return self._tagged_with(SearchTag.Facet.TOPIC, slugs)

    def _tagged_with(self, facet, slugs):
        return self.filter(
            Exists(SearchTag.objects.filter(document=OuterRef("pk"), facet=facet, slug__in=slugs))
        )


class SearchDocument(models.Model):
    type = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    title = models.TextField()
    summary = models.TextField(blank=True)
    # Names and other names of the item's conditions and topics, so that naming one finds it.
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Descriptions of those conditions and topics: searched, weighted least, never shown.
    context = models.TextField(blank=True)
    # An item's own text is English; each of its published translations has a row of its own.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    # Copied from the item so that the one public rule, published_q(), applies here too.
    status = models.CharField(max_length=16)
    published_at = models.DateTimeField(null=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["type", "object_id", "language"], name="search_document_unique"
            )
        ]
        indexes = [models.Index(fields=["published_at", "status"])]

    def __str__(self):
        return f"{self.type} {self.slug} ({self.language})"


class SearchTag(models.Model):
    """A condition or topic of a document, for filters and facet counts."""

    class Facet(models.TextChoices):
        CONDITION = "condition"
        TOPIC = "topic"

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="tag_rows")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["facet", "slug"])]

    def __str__(self):
        return f"{self.facet} {self.slug}"


class SearchWord(models.Model):
    """
    A word seen in indexed text of a language, with how many of that language's documents
    have it (Spanish words with their accents folded): the vocabulary that
    misspelled words are corrected against, and that tells which words nearly every document
    has ("ketamine", on a ketamine clinic's site), which then do not decide what matches.

    A word is kept when its count falls to zero (a rebuild starts afresh); a correction is
    offered only when it finds public documents, so a word left over from a deleted or draft
    item is never shown. The row with the empty word counts the language's documents.
    """

    TOTAL = ""

    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    word = models.CharField(max_length=64)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="search_word_unique")
        ]

    def __str__(self):
        return self.word


# What a process remembers of each language's vocabulary at the current content generation,
# by prefix: {language: (generation, total, counts)}, read by
# search.backends.vocabulary_near(); whatever writes to the index forgets it.
VOCABULARY_MEMORY = {}


def forget_vocabulary():
    VOCABULARY_MEMORY.clear()
