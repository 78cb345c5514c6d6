"""Glossary entries: medical words explained in plain language, for readers to tap on."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from content.models import PublishableContent
from entries.markdown import render_markdown
from search.querysets import SearchableQuerySet
from search.registry import IndexComponents

DEFINITION_MAX_LENGTH = 300
# A sentence ends in ., ! or ? followed by a space or the end of the text.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def validate_definition(value):
    """A definition is one or two whole sentences."""
    text = value.strip()
    if not text:
        return
    if not _SENTENCE_END.search(text[-1:]):
        raise ValidationError("End the definition with a full stop, as a whole sentence.")
    sentences = len(_SENTENCE_END.findall(text))
    if sentences > 2:
        raise ValidationError(
            f"Keep the definition to one or two sentences (this one has {sentences}); "
            "put the rest in the explanation."
        )


def validate_names(value):
    if not isinstance(value, list) or not all(
        isinstance(name, str) and name.strip() for name in value
    ):
        raise ValidationError("Give a list of names, none of them blank.")
    if any(len(name) > 120 for name in value):
        raise ValidationError("A name is 120 characters at most.")


class GlossaryEntry(PublishableContent):
    term = models.CharField(
        max_length=120, unique=True, help_text='The word or phrase, e.g. "NMDA receptor".'
    )
    definition = models.TextField(
        max_length=DEFINITION_MAX_LENGTH,
        validators=[validate_definition],
        help_text="One or two plain sentences, shown when a reader taps the word.",
    )
    other_names = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_names],
        help_text="Other words for the same thing, e.g. spelled out or in everyday language.",
    )
    abbreviations = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_names],
        help_text='Short forms, matched with their exact capitals, e.g. "BDNF".',
    )
    explanation = models.TextField(
        blank=True, help_text="Optional: more about it, in Markdown, for its own page."
    )
    conditions = models.ManyToManyField(
        "taxonomy.Condition", blank=True, related_name="glossary_entries"
    )
    topics = models.ManyToManyField("taxonomy.Topic", blank=True, related_name="glossary_entries")
    explanation_html = models.TextField(editable=False, default="")
    explanation_text = models.TextField(editable=False, default="")

    objects = SearchableQuerySet.as_manager()

    reference_type = "glossary"
    reference_group = "glossary"
    title_field = "term"
    detail_fields = ("explanation", "explanation_html", "explanation_text")
    markdown_fields = ("explanation",)
    reviewed_fields = ("term", "definition", "other_names", "abbreviations", "explanation")
    file_body_field = "explanation"
    file_fields = ("term", "definition", "other_names", "abbreviations")

    class Meta:
        ordering = ["term", "pk"]
        verbose_name = "glossary entry"
        verbose_name_plural = "glossary entries"

    def __str__(self):
        return self.term

    def render_body(self):
        rendered = render_markdown(self.explanation)
        self.explanation_html = rendered.html
        self.explanation_text = rendered.text
        return rendered

    def index_components(self):
        # The other names go in the body: results show the title and summary as they are.
        names = ", ".join([*self.abbreviations, *self.other_names])
        return IndexComponents(
            title=self.term,
            summary=self.definition,
            body="\n\n".join(part for part in (names, self.explanation_text) if part),
        )
