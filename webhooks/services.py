"""Staff's writes to the delivery log."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from webhooks.models import WebhookDelivery
from webhooks.outbox import relay_soon


def deliveries_replay(*, deliveries):
    """Send deliveries again, whatever became of them, with a fresh retry window."""
    now = timezone.now()
    count = deliveries.update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=now,
        retry_until=now + datetime.timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS),
    )
    transaction.on_commit(relay_soon, robust=True)
    return count
