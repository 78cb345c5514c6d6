"""Mechanism articles and FAQs, written in Markdown and served as sanitised HTML."""

from django.db import models
from django.utils import translation as i18n
from django.utils.text import Truncator

from content.models import PlainLanguageContent, PublishableContent
from search.querysets import SearchableQuerySet
from search.registry import IndexComponents


class Article(PlainLanguageContent, PublishableContent):
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField(help_text="Markdown. Level 2 and 3 headings form the contents.")
    author = models.CharField(max_length=200, blank=True)
    image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="hero image",
        help_text="Shown above the article and in previews of it.",
    )
    conditions = models.ManyToManyField("taxonomy.Condition", blank=True, related_name="articles")
    topics = models.ManyToManyField("taxonomy.Topic", blank=True, related_name="articles")
    # Derived from body on save, so that reads never render Markdown.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    outline = models.JSONField(editable=False, default=list)
    reading_time_minutes = models.PositiveSmallIntegerField(editable=False, default=1)

    objects = SearchableQuerySet.as_manager()

    reference_type = "article"
    reference_group = "articles"
    detail_fields = ("body", "body_html", "body_text", "outline", "glossary_terms")
    markdown_fields = ("body",)
    reviewed_fields = ("title", "summary", "body")
    file_body_field = "body"
    file_fields = ("title", "summary", "author")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "mechanism article"

    def __str__(self):
        return self.title

    def render_body(self):
        rendered = super().render_body()
        self.outline = rendered.outline
        self.reading_time_minutes = rendered.reading_time_minutes
        return rendered

    def render_translations(self):
        results = super().render_translations()
        for code, rendered in results.items():
            setattr(self, f"outline_{code}", rendered.outline)
            self.translated_figures[code]["reading_time_minutes"] = rendered.reading_time_minutes
        return results

    @property
    def reading_time(self):
        """Minutes to read the text in the active language: a Spanish answer's, its Spanish."""
        translated = self.translated_figures.get(i18n.get_language(), {})
        return translated.get("reading_time_minutes", self.reading_time_minutes)

    def index_components(self):
        return IndexComponents(title=self.title, summary=self.summary, body=self.body_text)


class FAQ(PlainLanguageContent, PublishableContent):
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown.")
    order = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Lower numbers come first."
    )
    conditions = models.ManyToManyField("taxonomy.Condition", blank=True, related_name="faqs")
    topics = models.ManyToManyField("taxonomy.Topic", blank=True, related_name="faqs")
    answer_html = models.TextField(editable=False, default="")
    answer_text = models.TextField(editable=False, default="")

    objects = SearchableQuerySet.as_manager()

    reference_type = "faq"
    reference_group = "faqs"
    title_field = "question"
    marked_field = "answer"
    detail_fields = ("answer", "answer_html", "answer_text", "glossary_terms")
    markdown_fields = ("answer",)
    reviewed_fields = ("question", "answer")
    file_body_field = "answer"
    file_fields = ("question", "order")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def index_components(self):
        # An answer's opening words stand in for the summary questions do not have.
        return IndexComponents(
            title=self.question,
            summary=Truncator(self.answer_text).words(30),
            body=self.answer_text,
        )
