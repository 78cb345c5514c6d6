"""Webhook endpoints, the outbox of publishing events and the deliveries of each event."""

import base64
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from content import registry
from taxonomy.models import Condition
from webhooks.delivery import TargetRefused, check_url, resolve


class EventType(models.TextChoices):
    PUBLISHED = "content.published", "Published"
    UPDATED = "content.updated", "Updated"
    UNPUBLISHED = "content.unpublished", "Unpublished"
    DELETED = "content.deleted", "Deleted"


def new_secret():
    """Return a signing secret as the Standard Webhooks libraries take it: whsec_ + base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subscribed_to(self, event_type, content_type, conditions):
        """Return the active endpoints that want this event, as a list (scopes are JSON)."""
        return [
            endpoint
            for endpoint in self.active()
            if endpoint.wants(event_type, content_type, conditions)
        ]


class WebhookEndpoint(models.Model):
    """An address that is sent the publishing events it subscribes to, signed with its secret."""

    url = models.URLField(max_length=2000, help_text="Where events are POSTed (http or https).")
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="The event types it is sent.")
    content_types = models.JSONField(
        default=list, blank=True, help_text="Only events of these content types; empty: all."
    )
    conditions = models.JSONField(
        default=list,
        blank=True,
        help_text="Only events of items tagged with one of these condition slugs; empty: all.",
    )
    is_active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="First failed attempt since a success."
    )
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        if self.is_active:
            # Activated again by staff: its failures so far are forgiven.
            self.disabled_at = self.failing_since = None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if not isinstance(self.events, list) or not self.events:
            errors["events"] = "Give at least one event type."
        elif unknown := sorted(set(self.events) - set(EventType.values)):
            errors["events"] = f"Unknown event types: {', '.join(map(str, unknown))}."
        if not isinstance(self.content_types, list):
            errors["content_types"] = "Give a list of content types."
        elif unknown := sorted(set(self.content_types) - set(registry.type_names())):
            errors["content_types"] = f"Unknown content types: {', '.join(map(str, unknown))}."
        if not isinstance(self.conditions, list):
            errors["conditions"] = "Give a list of condition slugs."
        else:
            known = set(
                Condition.objects.filter(slug__in=self.conditions).values_list("slug", flat=True)
            )
            if unknown := sorted(set(map(str, self.conditions)) - known):
                # Valid, but not with the conditions stored: a 409, like any unknown tag.
                errors["conditions"] = ValidationError(
                    f"Unknown conditions: {', '.join(unknown)}.", code="does_not_exist"
                )
        if self.url:
            try:
                _scheme, host, port = check_url(self.url)
                resolve(host, port)
            except TargetRefused as error:
                errors["url"] = str(error)
            except ConnectionError:
                pass  # not resolvable yet: every delivery checks again
        if errors:
            raise ValidationError(errors)

    def wants(self, event_type, content_type, conditions):
        return (
            event_type in self.events
            and (not self.content_types or content_type in self.content_types)
            and (not self.conditions or bool(set(self.conditions) & set(conditions)))
        )


def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


class OutboxEventQuerySet(models.QuerySet):
    def due(self, now=None):
        """Events not yet handed to their endpoints whose time has come."""
        return self.filter(dispatched_at__isnull=True, due_at__lte=now or timezone.now())

    def scheduled_for(self, content_type, object_id):
        """Events waiting for a publish date still to come: cancelled when the item changes."""
        return self.filter(
            content_type=content_type,
            object_id=object_id,
            dispatched_at__isnull=True,
            due_at__gt=timezone.now(),
        )


class OutboxEvent(models.Model):
    """
    One change to public content, written in the transaction of the change.

    A relay task hands it to the subscribed endpoints (as deliveries) once it is due: at
    once, or at a scheduled publish date. Nothing is lost when the broker is down at commit
    time: the row waits for the next relay.
    """

    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    type = models.CharField(max_length=32, choices=EventType.choices)
    content_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    slug = models.SlugField(max_length=120, db_index=False)
    generation = models.BigIntegerField(
        null=True, blank=True, help_text="The content generation after the change."
    )
    # Conditions and topics of the item, kept for a deleted item; read at relay time otherwise.
    tags = models.JSONField(null=True, blank=True)
    payload = models.JSONField(null=True, blank=True, help_text="As sent, once relayed.")
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxEventQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["due_at"], name="outbox_pending", condition=Q(dispatched_at__isnull=True)
            ),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.type} {self.content_type}/{self.slug}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__is_active=True,
        )


class WebhookDelivery(models.Model):
    """One event for one endpoint: its attempts so far and the last answer, for the log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    retry_until = models.DateTimeField(help_text="Given up if not delivered by then.")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"
