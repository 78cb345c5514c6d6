"""
The worker's tasks: relay the outbox to endpoints, and deliver one event to one endpoint.

`relay_outbox` runs every WEBHOOK_RELAY_INTERVAL_SECONDS (Celery beat) and after each commit
that records an event. It claims rows with conditional UPDATEs, so any number of relays and
workers may run at once on any number of machines: an event is fanned out once, and a
delivery is handed to one worker at a time (a lease; a worker that dies loses it after
LEASE). Deliveries are at least once: a receiver may see a message id twice.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apibase.cache_tags import change_tags
from entries.references import content_models
from publishing.changes import content_version_get
from publishing.models import ContentVersion
from webhooks import delivery as http
from webhooks.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

BATCH = 200


def lease():
    """How long a claimed delivery is left to its worker before it is handed out again."""
    return datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 6)


# A database that hiccups (a lock, a failover) costs a task a retry, not a lease's wait.
RETRY_ON_DATABASE_ERRORS = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 1,
    "retry_backoff_max": 10,
    "max_retries": 5,
}


@shared_task(name="webhooks.tasks.relay_outbox", **RETRY_ON_DATABASE_ERRORS)
def relay_outbox():
    """Fan out the events that are due, then hand the deliveries due to workers."""
    # Publishes what was scheduled for by now: the generation moves on with nobody asking.
    content_version_get()
    fanned_out = sum(fan_out(event) for event in OutboxEvent.objects.due()[:BATCH])
    handed_out = 0
    for pk, next_attempt_at in WebhookDelivery.objects.due().values_list("pk", "next_attempt_at")[
        :BATCH
    ]:
        claimed = WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=next_attempt_at
        ).update(next_attempt_at=timezone.now() + lease())
        if claimed:
            deliver.delay(pk)
            handed_out += 1
    return {"fanned_out": fanned_out, "handed_out": handed_out}


def fan_out(event):
    """Create one delivery per subscribed endpoint; return how many."""
    now = timezone.now()
    with transaction.atomic():
        if not OutboxEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(
            dispatched_at=now
        ):
            return 0  # another relay has it
        event.dispatched_at = now
        model = {model.reference_type: model for model in content_models()}[event.content_type]
        tags = event.tags or _current_tags(model, event.object_id)
        if event.generation is None:  # a scheduled publish: the generation now
            event.generation = ContentVersion.objects.values_list("generation", flat=True).get()
        event.payload = payload(event, model, tags)
        event.save(update_fields=["generation", "payload", "dispatched_at"])
        endpoints = WebhookEndpoint.objects.subscribed_to(
            event.type, event.content_type, tags["conditions"]
        )
        retry_until = now + datetime.timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    event=event, endpoint=endpoint, next_attempt_at=now, retry_until=retry_until
                )
                for endpoint in endpoints
            ],
            ignore_conflicts=True,
        )
    return len(endpoints)


def _current_tags(model, pk):
    item = model.objects.filter(pk=pk).first()
    if item is None:
        return {"conditions": [], "topics": []}
    return {
        relation: list(getattr(item, relation).values_list("slug", flat=True))
        for relation in ("conditions", "topics")
    }


def payload(event, model, tags):
    """What a receiver is sent: the event, the item's addresses and the cache tags to purge."""
    path = reverse(f"{event.content_type}-detail", kwargs={"slug": event.slug})
    frontend = None
    if settings.FRONTEND_BASE_URL:
        frontend = settings.FRONTEND_BASE_URL + settings.FRONTEND_PATHS[event.content_type].format(
            slug=event.slug
        )
    return {
        "type": event.type,
        "timestamp": event.due_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "content_type": event.content_type,
            "slug": event.slug,
            "api_url": settings.API_BASE_URL + path,
            "frontend_url": frontend,
            "generation": event.generation,
            "cache_tags": change_tags(
                event.content_type,
                model.reference_group,
                event.slug,
                tags["conditions"],
                tags["topics"],
            ),
        },
    }


@shared_task(name="webhooks.tasks.deliver", **RETRY_ON_DATABASE_ERRORS)
def deliver(delivery_pk):
    """Make one attempt at one delivery and record how it went."""
    item = (
        WebhookDelivery.objects.select_related("event", "endpoint")
        .filter(pk=delivery_pk, status=WebhookDelivery.Status.PENDING, endpoint__is_active=True)
        .first()
    )
    if item is None:
        return "skipped"
    endpoint, event = item.endpoint, item.event
    body = http.encode_payload(event.payload)
    started = timezone.now()
    headers = http.signed_headers(endpoint.secret, event.message_id, int(started.timestamp()), body)
    attempt = http.post(endpoint.url, body, headers)
    record_attempt(item, attempt, started)
    return item.status


def record_attempt(item, attempt, started):
    now = timezone.now()
    item.attempts += 1
    item.last_attempt_at = started
    item.response_status = attempt.status
    item.response_excerpt = attempt.excerpt
    item.error = attempt.error
    endpoint = item.endpoint
    if attempt.succeeded:
        item.status = WebhookDelivery.Status.DELIVERED
        item.delivered_at = now
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
            failing_since=None
        )
    else:
        if now >= item.retry_until:
            item.status = WebhookDelivery.Status.FAILED
        else:
            item.next_attempt_at = now + datetime.timedelta(
                seconds=http.backoff_seconds(item.attempts)
            )
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=started
        )
        logger.info("Webhook delivery %s failed: %s", item.pk, attempt.error)
    item.save()
    if not attempt.succeeded:
        disable_if_failing_too_long(endpoint.pk, now)


def disable_if_failing_too_long(endpoint_pk, now):
    """Disable an endpoint that has failed for the whole retry window, and tell staff."""
    window = datetime.timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint_pk, is_active=True, failing_since__lte=now - window
    ).update(is_active=False, disabled_at=now)
    if not disabled:
        return
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_pk)
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, error="The endpoint was disabled."
    )
    logger.warning("Webhook endpoint %s disabled after failing since %s", endpoint.pk, now)
    send_mail(
        f"Webhook endpoint disabled: {endpoint.url}",
        f"The webhook endpoint {endpoint.url} (#{endpoint.pk}) has failed every delivery "
        f"since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC and was disabled. Its delivery "
        "log is in the admin; once it answers again, activate it there or through the API "
        "and replay what it missed.",
        None,
        staff_emails(),
        fail_silently=True,
    )


def staff_emails():
    """Staff who may change webhook endpoints, and superusers, with an email address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(is_superuser=True)
        | Q(is_staff=True, user_permissions__codename="change_webhookendpoint")
        | Q(is_staff=True, groups__permissions__codename="change_webhookendpoint")
    )
    return sorted(set(users.values_list("email", flat=True)))
