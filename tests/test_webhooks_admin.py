"""Webhook endpoints and the delivery log in the admin."""

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.factories import ArticleFactory
from webhooks.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("root", superuser=True))
    return client


def test_adding_an_endpoint_shows_its_secret_once(admin_client):
    answer = admin_client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {"url": "https://hooks.example.org/x", "events": ["content.published"], "is_active": "on"},
        follow=True,
    )
    assert answer.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in answer.content.decode()
    change = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert endpoint.secret not in change.content.decode()


def test_the_delivery_log_lists_attempts_and_replays_them(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("webhooks.services.relay_soon", lambda: sent.append(1))
    ArticleFactory(slug="logged")
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/x", events=["content.published"]
    )
    delivery = WebhookDelivery.objects.create(
        event=OutboxEvent.objects.get(),
        endpoint=endpoint,
        status="failed",
        attempts=7,
        error="The endpoint answered 500.",
        response_excerpt="<h1>oops</h1>",
        retry_until=timezone.now(),
    )
    listing = admin_client.get("/admin/webhooks/webhookdelivery/")
    assert b"article/logged" in listing.content
    detail = admin_client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/")
    assert b"&lt;h1&gt;oops&lt;/h1&gt;" in detail.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(
            "/admin/webhooks/webhookdelivery/",
            {"action": "replay", "_selected_action": [delivery.pk]},
        )
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.retry_until > timezone.now()
    assert sent == [1]
