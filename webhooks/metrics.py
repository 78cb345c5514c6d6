"""
Numbers for monitoring the worker and the webhooks, for /metrics (Prometheus) to expose.

`snapshot()` reads them from where every process sees them: the database (outbox and
deliveries), the broker (queue depth) and the default cache (task failures, counted by the
workers; shared with REDIS_URL). Suggested Prometheus names:

| key                  | type    | name                                             |
| -------------------- | ------- | ------------------------------------------------ |
| queue_depth          | gauge   | worker_queue_depth (None: broker unreachable)    |
| outbox_due           | gauge   | webhook_outbox_due_events                        |
| outbox_scheduled     | gauge   | webhook_outbox_scheduled_events                  |
| deliveries[outcome]  | gauge   | webhook_deliveries{outcome="pending|delivered|failed"} |
| failed_attempts      | counter | webhook_delivery_failed_attempts_total           |
| task_failures[task]  | counter | worker_task_failures_total{task="..."}           |
"""

import logging

from amqp.exceptions import NotFound
from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone
from kombu.exceptions import ChannelError

from webhooks.models import OutboxEvent, WebhookDelivery

logger = logging.getLogger(__name__)

TASKS = ("webhooks.tasks.relay_outbox", "webhooks.tasks.deliver")


def _failure_key(task_name):
    return f"worker:task-failures:{task_name}"


def count_task_failure(task_name):
    """Add one to a task's failure count; a cache that does not answer loses the count."""
    key = _failure_key(task_name)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception as error:
        logger.warning("Cannot count a task failure: %r", error)


def queue_depth():
    """Messages waiting in the broker's default queue, or None if it does not answer."""
    from celery import current_app as app

    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            try:
                declared = connection.default_channel.queue_declare(
                    queue=app.conf.task_default_queue, passive=True
                )
            except (ChannelError, NotFound):
                return 0  # brokers such as Redis drop a queue once it is empty
            return declared.message_count
    except Exception as error:
        logger.warning("Cannot read the queue depth: %r", error)
        return None


def snapshot():
    now = timezone.now()
    pending = OutboxEvent.objects.filter(dispatched_at__isnull=True)
    by_status = dict(
        WebhookDelivery.objects.values_list("status").annotate(total=Count("pk")).order_by()
    )
    attempts = WebhookDelivery.objects.aggregate(total=Sum("attempts"))["total"] or 0
    try:
        failures = cache.get_many([_failure_key(task) for task in TASKS])
    except Exception:
        failures = {}
    return {
        "queue_depth": queue_depth(),
        "outbox_due": pending.filter(due_at__lte=now).count(),
        "outbox_scheduled": pending.filter(due_at__gt=now).count(),
        "deliveries": {status: by_status.get(status, 0) for status in WebhookDelivery.Status},
        # Every attempt but the one that succeeded.
        "failed_attempts": attempts - by_status.get(WebhookDelivery.Status.DELIVERED, 0),
        "task_failures": {task: failures.get(_failure_key(task), 0) for task in TASKS},
    }
