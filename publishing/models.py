"""
Publishing records: reviewers, medical sign-offs, translations' states, renamed entries'
redirects, the content generation and the change log.

The abstract content models they serve live in the content kernel (content/models.py). The
tables keep the names they had in editorial, where these models began.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone

from publishing.kinds import translated_model


class Reviewer(models.Model):
    """A clinician who reviews content medically, as the site may name them."""

    name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=200, blank=True, help_text="For example: MD, PhD.")
    speciality = models.CharField(max_length=200, blank=True)
    licence_id = models.CharField(
        "licence or registration id", max_length=100, blank=True, help_text="With its issuer."
    )
    profile_url = models.URLField(max_length=500, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewer",
        help_text="The account they sign off with in the admin.",
    )
    is_placeholder = models.BooleanField(
        default=False,
        help_text="A stand-in (demo content): never presented to readers as a real review.",
    )

    class Meta:
        db_table = "editorial_reviewer"
        ordering = ["name", "pk"]

    def __str__(self):
        suffix = f", {self.credentials}" if self.credentials else ""
        return f"{self.name}{suffix}{' (placeholder)' if self.is_placeholder else ''}"


class SignOff(models.Model):
    """
    A medical reviewer's sign-off of one version of an entry's text; never changed or deleted.

    Generic over content types, so every publishable type gets it from the shared base.
    """

    class Kind(models.TextChoices):
        REVIEW = "review", "Medical review"
        MINOR_EDIT = "minor_edit", "Typo fix, no new review needed"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    entry_version = models.PositiveIntegerField(help_text="The version of the entry signed.")
    text_digest = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REVIEW)
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="sign_offs")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="None for a review carried over from the earlier free-text fields.",
    )
    signed_at = models.DateTimeField(default=timezone.now)
    reviewed_on = models.DateField(
        help_text="The date of the medical review; a typo fix keeps the review's date."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "editorial_signoff"
        ordering = ["-signed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [
            ("sign_off_medical_review", "Can sign off medical review"),
            ("publish_content", "Can publish content"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of version {self.entry_version} by {self.reviewer}"


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class TranslationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TranslationStatus.PUBLISHED)

    def of(self, entry):
        return self.filter(kind=entry.reference_type, object_id=entry.pk)

    def published_in(self, language, kind, object_id=None):
        """
        The published translation into `language` of the `kind` row `object_id`, by default
        the outer query's row: to annotate rows with Exists() or Subquery().
        """
        object_id = OuterRef("pk") if object_id is None else object_id
        return self.published().filter(kind=kind, object_id=object_id, language=language)

    def out_of_date(self, models_by_kind):
        """
        Keep the signed-off translations whose English text changed after their sign-off.

        `models_by_kind` maps each reference type to its model. One query, whatever the types.
        """
        english_now = models.Case(
            *(
                models.When(
                    kind=kind,
                    then=models.Subquery(
                        model.objects.filter(pk=OuterRef("object_id")).values("text_digest")
                    ),
                )
                for kind, model in models_by_kind.items()
            ),
            output_field=models.CharField(),
        )
        return (
            self.filter(kind__in=list(models_by_kind), sign_off__isnull=False)
            .annotate(english_digest=english_now)
            .exclude(source_digest=models.F("english_digest"))
        )


class Translation(models.Model):
    """
    The state of one entry's translation into one language: its own workflow and sign-off.

    The translated text itself is in the entry's row, in columns per language
    (django-modeltranslation: `title_es`, `body_es` ...), so every query of the English text
    stays as it was. Only a published translation is ever served.
    """

    kind = models.CharField(max_length=16, help_text="The entry's type, as the API names it.")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    status = models.CharField(
        max_length=16, choices=TranslationStatus.choices, default=TranslationStatus.DRAFT
    )
    sign_off = models.ForeignKey(
        SignOff,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The medical sign-off of the translated text; none once that text changed.",
    )
    source_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Digest of the English text when the translation was signed off.",
    )
    text_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the translated text: never the one who signs it off.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        db_table = "editorial_translation"
        ordering = ["kind", "object_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"

    @property
    def entry(self):
        """The entry translated: read from its table, at a query each time."""
        return translated_model(self.kind)._base_manager.get(pk=self.object_id)

    def is_out_of_date(self, entry):
        """Whether the English text changed after this translation was signed off."""
        return self.sign_off_id is not None and self.source_digest != entry.text_digest


def whole_second(moment):
    return moment.replace(microsecond=0)


def whole_second_now():
    return whole_second(timezone.now())


class SlugRedirectQuerySet(models.QuerySet):
    def to_public(self, models_by_kind):
        """
        Annotate `slug` (the entry's current one) and keep the redirects to public entries.

        `models_by_kind` maps each reference type to its model. One query, whatever the types.
        """
        current = models.Case(
            *(
                models.When(
                    kind=kind,
                    then=models.Subquery(
                        model.objects.published().filter(pk=OuterRef("object_id")).values("slug")
                    ),
                )
                for kind, model in models_by_kind.items()
            ),
            output_field=models.SlugField(),
        )
        return (
            self.filter(kind__in=list(models_by_kind))
            .annotate(slug=current)
            .filter(slug__isnull=False)
        )


class SlugRedirect(models.Model):
    """An old slug an entry was public under: its address answers 301 to the current one."""

    kind = models.CharField(max_length=16, help_text="The entry's type, as the API names it.")
    old_slug = models.SlugField(max_length=120, db_index=False)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        db_table = "editorial_slugredirect"
        ordering = ["kind", "old_slug"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slug_redirect_unique")
        ]

    def __str__(self):
        return f"{self.kind}/{self.old_slug}"


class ContentVersion(models.Model):
    """
    The one row that changes with every change to public content.

    Every process reads it on each public request, so a change is seen everywhere at once:
    cache keys and validators carry `generation`. Writers update the row first, in the
    transaction of their change, which also makes content-changing transactions take turns
    and keeps the change log in commit order.
    """

    generation = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(
        default=whole_second_now, help_text="Whole seconds, one later at least than before."
    )
    next_scheduled_at = models.DateTimeField(
        null=True, blank=True, help_text="The earliest publish date still in the future."
    )
    pruned_through = models.BigIntegerField(
        default=0, help_text="The change log has been pruned up to this sequence number."
    )

    objects = models.Manager()

    class Meta:
        db_table = "editorial_contentversion"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="content_version_single_row")]

    def __str__(self):
        return f"generation {self.generation}"


class ChangeLogEntry(models.Model):
    """One item that became, stayed or stopped being public: what the sync endpoint replays."""

    class Action(models.TextChoices):
        UPSERT = "upsert", "Created or updated"
        REMOVE = "remove", "Deleted, unpublished or renamed"

    seq = models.BigAutoField(primary_key=True)
    content_type = models.CharField(max_length=16)
    slug = models.SlugField(max_length=120, db_index=False)
    action = models.CharField(max_length=8, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "editorial_changelogentry"
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "seq"])]
        verbose_name_plural = "change log entries"

    def __str__(self):
        return f"{self.seq} {self.action} {self.content_type}/{self.slug}"
