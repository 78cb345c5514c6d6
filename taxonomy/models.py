"""Conditions, topics and safety notices: the vocabulary every content type is tagged with."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from apibase.preconditions import VersionedModel
from content import registry
from entries.markdown import RendersMarkdown, render_markdown
from publishing.models import Translation
from publishing.translatable import TranslatedQuerySet, TranslatedText, translation_languages


def validate_other_names(value):
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValidationError("Give other names as a list of strings.")


class TagQuerySet(TranslatedQuerySet):
    def as_references(self):
        """Read only what content shows of a tag: slug, name and a condition's clinical codes."""
        return self.only(*self.model.reference_fields)

    def with_content_counts(self):
        """Annotate how many published items of each type carry the tag, one subquery each."""
        queryset = self
        if any(field.name == "image" for field in self.model._meta.concrete_fields):
            queryset = queryset.select_related("image")  # a condition's, in the same query
        # `article_count` and so on: every registered content type, none of them imported.
        return queryset.annotate(
            **{
                f"{content_type.name}_count": self._published_count(content_type.model)
                for content_type in registry.content_types()
            }
        )

    def _published_count(self, content_model):
        (relation,) = [
            field.name
            for field in content_model._meta.many_to_many
            if field.related_model is self.model
        ]
        counted = (
            content_model.objects.published()
            .filter(**{relation: OuterRef("pk")})
            .order_by()
            .annotate(total=Func("pk", function="COUNT"))
            .values("total")
        )
        return Coalesce(Subquery(counted), 0)


class Tag(TranslatedText, VersionedModel):
    """
    A condition or topic. Its name and description can be translated, with the workflow and
    medical sign-off of content: a name is a label, but a description says what an illness
    is ("a medical emergency when thoughts turn to plans"), and a mistranslated name of an
    illness misleads as much, so neither is served before a clinician signed it off.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    other_names = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_other_names],
        help_text='Other words people use for it, such as "TRD" or "post-traumatic stress".',
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = TagQuerySet.as_manager()

    reference_fields = ("slug", "name")
    reviewed_fields = ("name", "description")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def reference_translations(cls, path):
        """
        Return what a reference to a tag at `path` (a relation from content) reads besides
        `reference_fields`: its name in each language and whether that translation is
        published (see `served_name()`).
        """
        columns = {}
        for code in translation_languages():
            columns[f"name_{code}"] = F(f"{path}__name_{code}")
            columns[f"translated_{code}"] = Exists(
                Translation.objects.published_in(code, cls.reference_type, OuterRef(f"{path}_id"))
            )
        return columns


def served_name(tag, language=None):
    """
    The tag's name in `language` (the active one by default) if its translation there is
    published (annotated by `in_language()` or `reference_translations()`), else its English
    name: a draft's never.
    """
    language = language or get_language()
    if language in translation_languages() and getattr(tag, f"translated_{language}", False):
        return getattr(tag, f"name_{language}")
    # A model instance reads `name` in the active language; a reference's is the English.
    return getattr(tag, f"name_{settings.LANGUAGE_CODE}", None) or tag.name


# The coding systems a condition may carry a code in: the API's name for each, its field.
CODE_FIELDS = {"icd10cm": "icd10cm", "snomed": "snomed_ct", "mesh": "mesh"}


def condition_code_q(codes, system=None, prefix=""):
    """Match conditions with any of `codes` in `system` (any system when None); any case."""
    fields = [CODE_FIELDS[system]] if system else list(CODE_FIELDS.values())
    match = models.Q()
    for code in codes:
        for field in fields:
            match |= models.Q(**{f"{prefix}{field}__iexact": code})
    return match


class ConditionQuerySet(TagQuerySet):
    def with_codes(self, codes, system=None):
        return self.filter(condition_code_q(codes, system))

    def in_system(self, system):
        """Conditions that carry a code in this coding system."""
        return self.exclude(**{CODE_FIELDS[system]: ""})


class Condition(Tag):
    icd10cm = models.CharField(
        "ICD-10-CM code",
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$", "Not an ICD-10-CM code.")
        ],
    )
    snomed_ct = models.CharField(
        "SNOMED CT concept id",
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^[1-9][0-9]{5,17}$", "Not a SNOMED CT concept id.")],
    )
    mesh = models.CharField(
        "MeSH descriptor id",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^D[0-9]{6,9}$", "Not a MeSH descriptor id.")],
    )
    image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Shown on the condition's page.",
    )

    objects = ConditionQuerySet.as_manager()

    reference_type = "condition"
    # Content details describe their conditions in JSON-LD, codes included.
    reference_fields = (*Tag.reference_fields, "icd10cm", "snomed_ct", "mesh")
    # For content QuerySets, which match conditions by code without importing this module.
    code_q = staticmethod(condition_code_q)

    class Meta(Tag.Meta):
        pass


class Topic(Tag):
    reference_type = "topic"

    class Meta(Tag.Meta):
        pass


class Synonym(models.Model):
    """
    Words that mean the same to a searcher, beyond the names of conditions and topics.

    A synonym can work one way (searching "Zoloft" also finds "sertraline", not the other way
    round), and can be limited to a sense: "BP" means blood pressure unless the search also
    says "mood" or "mania", when a second entry, limited to those words, means bipolar.
    """

    class Direction(models.TextChoices):
        BOTH = "both", "Both ways"
        TO_TERM = "to-term", "Other names find the term, not the other way round"

    term = models.CharField(max_length=120)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of the searches it works in: each language has its own list.",
    )
    other_names = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_other_names],
        help_text="Words searched for as if they were the term, and the other way round, such as "
        '"Spravato" for "esketamine".',
    )
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.BOTH)
    sense = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_other_names],
        help_text="Use this synonym only when the search also has one of these words; a word "
        "with two meanings gets one entry per sense. Empty: always.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "language"], name="synonym_term_unique")
        ]

    def __str__(self):
        return self.term


@dataclass(frozen=True)
class SynonymGroup:
    """Names that mean the same: `names[0]` is the term, the rest its other names."""

    names: tuple
    direction: str = Synonym.Direction.BOTH
    sense: tuple = ()


def synonym_groups(language="en"):
    """
    Return every group of names that mean the same in searches in `language`: the synonyms
    of that language, with their direction and sense, and in English each tag's names too,
    its description left out.
    """
    rows = (
        Synonym.objects.order_by()
        .filter(language=language)
        .values_list("term", "other_names", "direction", "sense")
    )
    if language == "en":
        both = Synonym.Direction.BOTH
        # Plain QuerySets of the English names: django-modeltranslation's values_list()
        # reorders the columns, which a UNION needs in the same order.
        condition_names, topic_names = (
            models.QuerySet(tag_model)
            .order_by()
            .annotate(direction=Value(both), sense=Value("[]", output_field=models.JSONField()))
            .values_list(f"name_{settings.LANGUAGE_CODE}", "other_names", "direction", "sense")
            for tag_model in (Condition, Topic)
        )
        rows = condition_names.union(topic_names, rows, all=True)
    return [
        SynonymGroup((name, *(other_names or [])), direction, tuple(sense or ()))
        for name, other_names, direction, sense in rows
    ]


class SafetyNoticeQuerySet(TranslatedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def applying_to(self, conditions):
        """Notices shown everywhere, and those attached to any of the given conditions."""
        return (
            self.active()
            .filter(Q(applies_everywhere=True) | Q(conditions__in=conditions))
            .distinct()
            .order_by("order", "pk")
            .in_language(get_language())
        )


class SafetyNoticeIndex:
    """Every active notice, read once, to find those of many items without a query each."""

    def __init__(self):
        self._notices = None

    def applying_to(self, conditions):
        """The same notices, in the same order, as `SafetyNotice.objects.applying_to()`."""
        if self._notices is None:
            self._notices = [
                (notice, {condition.pk for condition in notice.conditions.all()})
                for notice in SafetyNotice.objects.active()
                .in_language(get_language())
                .prefetch_related(models.Prefetch("conditions", Condition.objects.only("pk")))
                .order_by("order", "pk")
            ]
        wanted = set(conditions)
        return [
            notice
            for notice, tagged in self._notices
            if notice.applies_everywhere or tagged & wanted
        ]


class SafetyNotice(TranslatedText, RendersMarkdown, VersionedModel):
    """
    A notice shown beside content: crisis lines, warnings. Crisis content is medical, so its
    translations have content's workflow and sign-off, and only a published one is shown.
    """

    class Severity(models.TextChoices):
        INFO = "info", "Information"
        WARNING = "warning", "Warning"
        CRITICAL = "critical", "Critical"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.INFO)
    applies_everywhere = models.BooleanField(
        default=False, help_text="Show on every article, FAQ and research summary."
    )
    conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="safety_notices",
        help_text="Show on content tagged with any of these conditions.",
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SafetyNoticeQuerySet.as_manager()

    reference_type = "safety_notice"
    reviewed_fields = ("title", "body")
    markdown_fields = ("body",)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def render_body(self):
        """Render the body, and each translation's into its own column."""
        self.body_html = render_markdown(self.body).html
        for code in translation_languages():
            if hasattr(self, f"body_{code}"):
                translated = render_markdown(getattr(self, f"body_{code}") or "")
                setattr(self, f"body_html_{code}", translated.html)
