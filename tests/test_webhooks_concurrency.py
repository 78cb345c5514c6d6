"""Relays running at once on several workers hand out each event and delivery once."""

import threading
from unittest import mock

import pytest
from django.db import connection

from tests.factories import ArticleFactory
from webhooks import tasks
from webhooks.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_relays_fan_out_and_hand_out_each_row_once():
    for n in range(2):
        WebhookEndpoint.objects.create(
            url=f"https://hooks{n}.example.org/", events=["content.published"]
        )
    for n in range(20):
        ArticleFactory(slug=f"item-{n}")
    assert OutboxEvent.objects.due().count() == 20
    barrier = threading.Barrier(4)
    sent = []
    errors = []

    def relay():
        try:
            barrier.wait(timeout=10)
            tasks.relay_outbox()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(tasks.deliver, "delay", side_effect=sent.append):
        threads = [threading.Thread(target=relay) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert WebhookDelivery.objects.count() == 40
    # Every delivery handed to exactly one worker.
    assert sorted(sent) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
