"""
The worker's and the webhooks' numbers, measured when /metrics is scraped.

`snapshot()` reads them from where every process sees them: the database (outbox and
deliveries), the broker (queue depth) and the default cache (task failures, counted by the
workers; shared with REDIS_URL). `WorkerCollector` turns them into Prometheus metrics for
api.views.MetricsView. Every server reports the same numbers: aggregate them over servers
with `max`, never `sum`.
"""

import logging

from amqp.exceptions import NotFound
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Min, Sum
from django.utils import timezone
from kombu.exceptions import ChannelError
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from webhooks.models import OutboxEvent, WebhookDelivery

logger = logging.getLogger(__name__)

# Every task of the worker (api/worker.py), for their failure counts.
TASKS = (
    "webhooks.tasks.relay_outbox",
    "webhooks.tasks.deliver",
    "enquiries.tasks.purge_enquiries",
)

# The longest a scrape waits for the broker, at each step.
BROKER_SECONDS = 2


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
        # A broker that accepts connections but does not answer gets 2 s, not the workers' 10.
        with app.connection_for_read(
            transport_options={
                **app.conf.broker_transport_options,
                "socket_timeout": BROKER_SECONDS,  # Redis
                "read_timeout": BROKER_SECONDS,  # RabbitMQ
                "write_timeout": BROKER_SECONDS,
            }
        ) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_SECONDS)
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
    """Measure the worker's numbers now; the queue depth is None if the broker does not answer."""
    now = timezone.now()
    pending = OutboxEvent.objects.filter(dispatched_at__isnull=True)
    due = pending.filter(due_at__lte=now).aggregate(count=Count("pk"), oldest=Min("due_at"))
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
        "outbox_due": due["count"],
        "outbox_oldest_due_age": (now - due["oldest"]).total_seconds() if due["oldest"] else 0,
        "outbox_scheduled": pending.filter(due_at__gt=now).count(),
        "deliveries": {status: by_status.get(status, 0) for status in WebhookDelivery.Status},
        # Every attempt but the one that succeeded.
        "failed_attempts": attempts - by_status.get(WebhookDelivery.Status.DELIVERED, 0),
        "task_failures": {task: failures.get(_failure_key(task), 0) for task in TASKS},
    }


def metric_families(numbers=None):
    """The worker's metrics, holding `numbers` (a snapshot), or empty to describe them."""
    depth = GaugeMetricFamily(
        "ketamine_worker_queue_depth",
        "Tasks waiting in the worker's queue; absent when the broker does not answer in 2 s.",
    )
    outbox = GaugeMetricFamily(
        "ketamine_webhook_outbox_events",
        "Publishing events not yet relayed, by state (due: to relay now; scheduled: later).",
        labels=["state"],
    )
    oldest_due = GaugeMetricFamily(
        "ketamine_webhook_outbox_oldest_due_age_seconds",
        "How long the oldest due event has waited for the relay (0 when none waits).",
    )
    deliveries = GaugeMetricFamily(
        "ketamine_webhook_deliveries",
        "Webhook deliveries in the log, by status (pending, delivered, failed: gave up).",
        labels=["status"],
    )
    failed_attempts = CounterMetricFamily(
        "ketamine_webhook_delivery_failed_attempts",
        "Delivery attempts that did not succeed, over the deliveries in the log.",
    )
    task_failures = CounterMetricFamily(
        "ketamine_task_failures",
        "Background tasks that failed, by task name.",
        labels=["task"],
    )
    if numbers:
        if numbers["queue_depth"] is not None:
            depth.add_metric([], numbers["queue_depth"])
        outbox.add_metric(["due"], numbers["outbox_due"])
        outbox.add_metric(["scheduled"], numbers["outbox_scheduled"])
        oldest_due.add_metric([], numbers["outbox_oldest_due_age"])
        for status, count in numbers["deliveries"].items():
            deliveries.add_metric([status], count)
        failed_attempts.add_metric([], numbers["failed_attempts"])
        for task, count in numbers["task_failures"].items():
            task_failures.add_metric([task], count)
    return [depth, outbox, oldest_due, deliveries, failed_attempts, task_failures]


class WorkerCollector:
    """A prometheus_client collector measuring `snapshot()` at each scrape."""

    def describe(self):
        return metric_families()

    def collect(self):
        try:
            numbers = snapshot()
        except DatabaseError as error:
            # The other metrics matter most when the database is in trouble: keep the scrape.
            logger.warning("Cannot measure the worker's numbers: %r", error)
            return []
        return metric_families(numbers)
