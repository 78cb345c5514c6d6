"""What every piece of published content shares: its publishing state and its medical review."""

import calendar
import datetime
from types import MappingProxyType

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils import translation as i18n

from apibase.languages import DEFAULT_LANGUAGE
from apibase.preconditions import VersionedModel
from content.glossary_terms import published_terms
from content.readability import measure
from entries.markdown import RendersMarkdown, render_markdown
from entries.orm_internals import TagReferencesMixin, own_table_where
from publishing.models import Translation
from publishing.translatable import (
    TranslatedQuerySet,
    TranslatedText,
    translated_columns,
    translation_languages,
)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def published_q(prefix=""):
    """Return the one rule of what is public: published, with a publish date already passed."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


def months_before(day, months):
    """Return the same day `months` earlier, or the last day of that month if it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_interval_months(model):
    """Return how many months after its last medical review an entry of `model` is due again."""
    # A type the settings do not name (a new one) is due yearly, as the others by default.
    return settings.EDITORIAL_REVIEW_INTERVAL_MONTHS.get(model._meta.label_lower, 12)


class PublishableQuerySet(TagReferencesMixin, TranslatedQuerySet):
    def published(self):
        return self.filter(published_q())

    def scheduled_after(self, moment):
        """Items published with a publish date after `moment`: they become public then."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=moment)

    def visible_to(self, user):
        """Everything for staff who may change this content type; what is public for others."""
        opts = self.model._meta
        if (
            user is not None
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        ):
            return self.all()
        return self.published()

    def review_overdue(self, today=None):
        """Published or scheduled entries never reviewed, or last reviewed an interval ago."""
        today = today or timezone.localdate()
        cutoff = months_before(today, review_interval_months(self.model))
        return self.filter(status=Status.PUBLISHED).filter(
            Q(last_reviewed__isnull=True) | Q(last_reviewed__lte=cutoff)
        )

    def hard_to_read(self):
        """Published or scheduled items above the readability target (PlainLanguageContent)."""
        return self.filter(
            status=Status.PUBLISHED, reading_grade__gt=settings.READABILITY_TARGET_GRADE
        )

    def for_conditions(self, slugs):
        return self._tagged_with("conditions", slugs)

    def for_topics(self, slugs):
        return self._tagged_with("topics", slugs)

    def for_condition_codes(self, codes):
        """Items tagged with a condition carrying any of these codes, in any coding system."""
        conditions = self.model._meta.get_field("conditions")
        through = conditions.remote_field.through
        own_column = self.model._meta.model_name
        return self.filter(
            Exists(
                through.objects.filter(
                    conditions.related_model.code_q(codes, prefix="condition__"),
                    **{own_column: OuterRef("pk")},
                )
            )
        )

    def with_review(self):
        """Read the sign-off and its reviewer with each item: what a detail's review shows."""
        return self.select_related("sign_off__reviewer")

    def without_detail_fields(self):
        """Leave the columns only a detail shows (bodies, outlines...) in the database."""
        names = [*self.model.detail_fields]
        for name in self.model.detail_fields:
            names += translated_columns(self.model, name)
        return self.defer(*names)

    def sharing_tags_sql(self, condition_ids, topic_ids, name, limit, language=DEFAULT_LANGUAGE):
        """
        Return SQL and parameters selecting the `limit` best of these items carrying the tags,
        each titled in `language` where its translation into it is published.

        Returns `(cte, cte_params, sql, params)`: `cte` defines the common table `name`,
        each tagged item's id and `shared_tags` count, aggregated from the through tables'
        rows through their tag index, to go in a WITH; `sql` selects the reference type,
        slug, title, publish date and count of the items this QuerySet keeps, unordered, to
        be one part of a UNION. An item can only rank among the best `limit` of all types if
        it does among its own type's, so `sql` keeps only items sharing at least as many tags
        as this type's `limit`-th best: that threshold comes from the counts in descending
        order, each checked against the item's row until `limit` pass, so only the rows of
        the best tiers are read instead of one per item sharing any tag.

        Raw SQL because related content runs it on every detail and sync page: through the
        ORM, the same query costs the server several times what the database takes.
        The rows are still those this QuerySet's own filters (published() ...) keep.
        """
        opts = self.model._meta
        quote = connections[self.db].ops.quote_name
        where, params = own_table_where(self)
        tagged, tag_params = [], []
        for relation, tag_ids in (("conditions", condition_ids), ("topics", topic_ids)):
            if not tag_ids:
                continue
            field = opts.get_field(relation)
            through = field.remote_field.through._meta
            own = through.get_field(field.m2m_field_name()).column
            tag = through.get_field(field.m2m_reverse_field_name()).column
            placeholders = ", ".join(["%s"] * len(tag_ids))
            # Only names from the models and placeholders go into the text (hence the noqa
            # and nosec below); the values travel as parameters.
            tagged.append(
                f"SELECT {quote(own)} AS item_id FROM {quote(through.db_table)} "  # noqa: S608  # nosec B608
                f"WHERE {quote(tag)} IN ({placeholders})"
            )
            tag_params += tag_ids
        table = quote(opts.db_table)
        pk = f"{table}.{quote(opts.pk.column)}"
        cte = (
            f"{name} AS (SELECT item_id, COUNT(*) AS total "  # noqa: S608  # nosec B608
            f"FROM ({' UNION ALL '.join(tagged)}) tagged GROUP BY item_id)"
        )
        kept = f" AND {where}" if where else ""

        def column(field_name):
            return f"{table}.{quote(opts.get_field(field_name).column)}"

        title, title_params = column(self.model.title_field), []
        translated = f"{self.model.title_field}_{language}"
        if translated in translated_columns(self.model, self.model.title_field):
            published, title_params = own_table_where(
                Translation.objects.published().filter(
                    kind=self.model.reference_type, language=language
                )
            )
            translations = quote(Translation._meta.db_table)
            object_id = quote(Translation._meta.get_field("object_id").column)
            title = (
                f"CASE WHEN EXISTS (SELECT 1 FROM {translations} "  # noqa: S608  # nosec B608
                f"WHERE {published} AND {translations}.{object_id} = {pk}) "
                f"THEN {column(translated)} ELSE {title} END"
            )
        sql = (
            f"SELECT %s, {column('slug')}, {title}, "  # noqa: S608  # nosec B608
            f"{column('published_at')}, {name}.total "
            f"FROM {table} INNER JOIN {name} ON {name}.item_id = {pk} "
            f"WHERE {name}.total >= COALESCE(("
            f"SELECT best.total FROM (SELECT item_id, total FROM {name} ORDER BY total DESC) best "
            f"WHERE EXISTS (SELECT 1 FROM {table} WHERE {pk} = best.item_id{kept}) "
            f"ORDER BY best.total DESC LIMIT 1 OFFSET %s), 0){kept}"
        )
        return (
            cte,
            tag_params,
            sql,
            [self.model.reference_type, *title_params, *params, limit - 1, *params],
        )

    def as_references(self, language=DEFAULT_LANGUAGE):
        """
        Read only what a reference to each item shows: its slug, publish date and
        `reference_title`, in `language` where its translation into it is published.

        Built in English whatever the active language: while Spanish is active,
        django-modeltranslation reads `title` from `title_es`, published or not.
        """
        title = self.model.title_field
        with i18n.override(DEFAULT_LANGUAGE):
            reference_title = models.F(title)
            if f"{title}_{language}" in translated_columns(self.model, title):
                published = Translation.objects.published_in(language, self.model.reference_type)
                reference_title = models.Case(
                    models.When(Exists(published), then=models.F(f"{title}_{language}")),
                    default=reference_title,
                )
            return self.only("slug", "published_at").annotate(reference_title=reference_title)

    def _tag_model(self, relation):
        return self.model._meta.get_field(relation).related_model

    def _tagged_with(self, relation, slugs):
        # EXISTS rather than a join, so an item tagged with several of the slugs is listed once
        # without a DISTINCT over the whole row.
        through = self.model._meta.get_field(relation).remote_field.through
        own_column = self.model._meta.model_name
        tag_column = self._tag_model(relation)._meta.model_name
        return self.filter(
            Exists(
                through.objects.filter(
                    **{own_column: OuterRef("pk"), f"{tag_column}__slug__in": slugs}
                )
            )
        )


class PublishableContent(TranslatedText, RendersMarkdown, VersionedModel):
    """Fields and rules shared by articles, FAQs and research summaries."""

    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Public from this moment on, once the status is Published.",
    )
    reviewer_name = models.CharField(
        "medical reviewer", max_length=200, blank=True, help_text="Needed to publish."
    )
    reviewer_credentials = models.CharField(max_length=200, blank=True)
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Date of the last medical review; needed to publish."
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The page's title for search engines, if not its title; 70 characters at most.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="The page's description for search results; 160 characters at most.",
    )
    sign_off = models.ForeignKey(
        "publishing.SignOff",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The medical sign-off of the current text; none once the text changed.",
    )
    text_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the reviewed fields: never the one who signs them off.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PublishableQuerySet.as_manager()

    # Each content type names itself as the API does: `type` in references to its items
    # ("article", its `reference_type`), its group in condition and topic hubs ("articles"),
    # and its title field.
    reference_group = None
    title_field = "title"
    # Columns only a detail shows: lists leave them unread (without_detail_fields()).
    detail_fields = ()
    # Its `markdown_fields`: images they place must be in the library, which keeps them from
    # deletion. Its `reviewed_fields`: what a medical reviewer signs off (TranslatedText).
    # Content files (transfer/): the Markdown field that is a file's body, the other fields its
    # front matter holds besides the publishing ones, and nested objects of it ("citation")
    # as {key: {part: field}}. A type without a body field has no content files.
    file_body_field = None
    file_fields = ()
    file_nested = MappingProxyType({})

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def index_translations(self):
        """
        Yield (language, IndexComponents) for each published translation: what search indexes
        of it (search/registry.py). `in_language()` tells which are published, if it annotated
        the item; else they are read.
        """
        if self.pk is None or not translated_columns(type(self), self.title_field):
            return
        annotated = {
            code: getattr(self, f"translated_{code}", None) for code in translation_languages()
        }
        if None in annotated.values():
            published = Translation.objects.published().filter(
                kind=self.reference_type, object_id=self.pk
            )
            annotated = dict.fromkeys(published.values_list("language", flat=True), True)
        for language, is_published in annotated.items():
            if is_published:
                with i18n.override(language):
                    yield language, self.index_components()

    def note_text_change(self, actor):
        """
        Before an editor's save: if the reviewed text changed, name its author, and send a
        signed-off entry back to review, its sign-off no longer covering the text.
        """
        digest = self.current_text_digest()
        if digest == self.text_digest:
            return
        if actor is not None and actor.is_authenticated:
            self.text_author = actor
        if self.sign_off_id is not None and self.sign_off.text_digest != digest:
            self.sign_off = None
            if self.status == Status.PUBLISHED:
                self.status = Status.IN_REVIEW

    def publishing_problem(self):
        """Return why the entry as it is cannot be published, or None."""
        if self.sign_off_id is None or self.sign_off.text_digest != self.current_text_digest():
            return (
                "Publishing needs a medical reviewer's sign-off of the current text; the text "
                "has none (never signed off, or changed since)."
            )
        if self.text_author_id is not None and self.sign_off.signed_by_id == self.text_author_id:
            return "The sign-off must come from someone other than the text's last author."
        return None

    def clean(self):
        super().clean()
        errors = {}
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "A review date cannot be in the future."
        for name in self.markdown_fields:
            missing = render_markdown(getattr(self, name)).missing_images
            if missing:
                errors[name] = f"No image in the library has the slug {', '.join(missing)}."
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def review_due(self):
        """The date the next medical review is due, or None if there never was one."""
        if self.last_reviewed is None:
            return None
        months = review_interval_months(type(self))
        # Adding months is subtracting a negative number of them.
        return months_before(self.last_reviewed, -months)


READABILITY_FIGURES = ("grade", "reading_ease", "sentences", "words", "long_word_share")


class PlainLanguageContent(models.Model):
    """
    Content whose Markdown body is read by patients: glossary terms marked, readability measured.

    Both are derived on save from the body named by `marked_field` ("body" renders into
    `body_html` and `body_text`), so reads cost nothing more.
    """

    glossary_terms = models.JSONField(
        default=list, editable=False, help_text="Glossary entries marked in the body, in order."
    )
    reading_grade = models.FloatField(
        "Flesch-Kincaid grade",
        null=True,
        editable=False,
        db_index=True,
        help_text="The school grade a reader needs; lower is easier.",
    )
    reading_ease = models.FloatField("Flesch reading ease", null=True, editable=False)
    sentence_count = models.PositiveIntegerField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    long_word_share = models.FloatField(
        null=True, editable=False, help_text="The share of words of more than six letters."
    )
    translated_figures = models.JSONField(
        default=dict,
        editable=False,
        help_text="The readability figures of each translation's text, by language.",
    )

    marked_field = "body"

    class Meta:
        abstract = True

    def render_body(self):
        """Render the body against the published glossary; set what derives from it."""
        rendered = render_markdown(getattr(self, self.marked_field), terms=published_terms())
        setattr(self, f"{self.marked_field}_html", rendered.html)
        setattr(self, f"{self.marked_field}_text", rendered.text)
        self.glossary_terms = rendered.glossary_terms
        figures = measure(rendered.text)
        self.reading_grade = figures["grade"]
        self.reading_ease = figures["reading_ease"]
        self.sentence_count = figures["sentences"]
        self.word_count = figures["words"]
        self.long_word_share = figures["long_word_share"]
        self.render_translations()
        return rendered

    def render_translations(self):
        """
        Render each translation's Markdown into its own columns, as `render_body()` the
        English; return the results by language. Nothing is marked: the glossary is English.
        """
        results, figures = {}, {}
        for language in translated_columns(type(self), self.marked_field):
            code = language.rsplit("_", 1)[1]
            rendered = render_markdown(getattr(self, language))
            setattr(self, f"{self.marked_field}_html_{code}", rendered.html)
            setattr(self, f"{self.marked_field}_text_{code}", rendered.text)
            results[code] = rendered
            figures[code] = measure(rendered.text, code)
        self.translated_figures = figures
        return results

    @property
    def readability(self):
        """The figures of the text in the active language: a Spanish answer's, its Spanish."""
        translated = self.translated_figures.get(i18n.get_language())
        if translated:
            return {name: translated[name] for name in READABILITY_FIGURES}
        return {
            "grade": self.reading_grade,
            "reading_ease": self.reading_ease,
            "sentences": self.sentence_count,
            "words": self.word_count,
            "long_word_share": self.long_word_share,
        }
