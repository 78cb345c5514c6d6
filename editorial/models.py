"""What every piece of published content shares: its publishing state and its medical review."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def published_q(prefix=""):
    """Return the one rule of what is public: published, with a publish date already passed."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def for_conditions(self, slugs):
        return self._tagged_with("conditions", slugs)

    def for_topics(self, slugs):
        return self._tagged_with("topics", slugs)

    def with_tags(self):
        """
        Prefetch the slug and name of each tag, in two queries whatever the page size.

        The tags land in plain lists, `condition_tags` and `topic_tags`: filling a related
        manager per item instead costs more than the two queries on a list page.
        """
        return self.prefetch_related(
            *(
                Prefetch(
                    name,
                    queryset=self._tag_model(name).objects.only("slug", "name"),
                    to_attr=to_attr,
                )
                for name, to_attr in (("conditions", "condition_tags"), ("topics", "topic_tags"))
            )
        )

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


class PublishableContent(models.Model):
    """Fields and rules shared by articles, FAQs and research summaries."""

    # How the change log and the sync endpoint name the type, e.g. "article".
    type_name = None

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
    reviewer_name = models.CharField("medical reviewer", max_length=200, blank=True)
    reviewer_credentials = models.CharField(max_length=200, blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def whole_second(moment):
    return moment.replace(microsecond=0)


def whole_second_now():
    return whole_second(timezone.now())


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
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "seq"])]
        verbose_name_plural = "change log entries"

    def __str__(self):
        return f"{self.seq} {self.action} {self.content_type}/{self.slug}"
