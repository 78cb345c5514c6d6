"""Whether the worker can do its work: for the /readyz/worker probe."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from webhooks.models import OutboxEvent

logger = logging.getLogger(__name__)

# An event due for longer than this many relay intervals means nobody is relaying.
STALLED_INTERVALS = 6


def broker_answers():
    from celery import current_app as app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            connection.default_channel  # noqa: B018 opening a channel talks to the broker
    except Exception as error:
        logger.warning("Worker readiness: the broker does not answer: %r", error)
        return False
    return True


def outbox_relayed():
    late = timezone.now() - datetime.timedelta(
        seconds=max(30, settings.WEBHOOK_RELAY_INTERVAL_SECONDS * STALLED_INTERVALS)
    )
    return not OutboxEvent.objects.due(now=late).exists()


def worker_checks():
    return {
        "broker": "ok" if broker_answers() else "unavailable",
        "outbox": "ok" if outbox_relayed() else "stalled",
    }
