"""
Events reach a receiver through a real Celery worker: signed, retried, scheduled, safe.

Each test runs a worker and beat in threads on the in-memory broker (one on Redis), and a
receiver on 127.0.0.1 that verifies signatures with the `standardwebhooks` library.
"""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from api.worker import app
from publishing.models import ContentVersion
from tests.conftest import make_user
from tests.factories import ArticleFactory, ConditionFactory, TopicFactory
from tests.webhook_receivers import PATIENCE, Receiver, running_worker
from webhooks.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def integrator_api(db):
    user = make_user(
        "integrator",
        permissions=[("webhooks", f"{a}_webhookendpoint") for a in ("view", "add", "change")]
        + [("articles", f"{a}_article") for a in ("view", "add", "change", "delete")]
        + [("publishing", "publish_content")],
    )
    api = APIClient()
    api.force_authenticate(user)
    return api


def subscribe(api, receiver, **scope):
    body = {
        "url": receiver.url,
        "events": [
            "content.published",
            "content.updated",
            "content.unpublished",
            "content.deleted",
        ],
        **scope,
    }
    answer = api.post("/api/v1/webhooks/", body, format="json")
    assert answer.status_code == 201, answer.content
    receiver.secret = answer.json()["secret"]
    return answer.json()


def write(api, method, path, body=None):
    """
    Make a write as a client would, trying again after a 503 (as `Retry-After` asks).

    The tests' SQLite database lives in shared memory, where a write meeting the worker's
    read of the same table fails at once instead of waiting ("database table is locked").
    """
    for _ in range(20):
        answer = getattr(api, method)(path, body, format="json")
        if answer.status_code != 503:
            return answer
        time.sleep(0.05)
    return answer


def publish(api, slug):
    answer = write(api, "patch", f"/api/v1/articles/{slug}/", {"status": "published"})
    assert answer.status_code == 200, answer.content


def test_publish_is_delivered_signed_within_five_seconds(integrator_api, receiver, settings):
    settings.FRONTEND_BASE_URL = "https://www.clinic.example"
    settings.API_BASE_URL = "https://api.clinic.example"
    ArticleFactory(
        slug="nmda-explained",
        in_review=True,
        conditions=[ConditionFactory(slug="depression")],
        topics=[TopicFactory(slug="nmda-receptor")],
    )
    subscribe(integrator_api, receiver)
    with running_worker(app):
        started = time.monotonic()
        publish(integrator_api, "nmda-explained")
        (payload,) = receiver.wait_for(1, timeout=5)
        assert time.monotonic() - started < 5
    headers, _ = receiver.received[0]
    event = OutboxEvent.objects.get()
    assert headers["webhook-id"] == event.message_id
    assert headers["webhook-signature"].startswith("v1,")
    assert payload["type"] == "content.published"
    assert payload["data"] == {
        "content_type": "article",
        "slug": "nmda-explained",
        "api_url": "https://api.clinic.example/api/v1/articles/nmda-explained/",
        "frontend_url": "https://www.clinic.example/articles/nmda-explained/",
        "generation": ContentVersion.objects.get().generation,
        "cache_tags": [
            "article:nmda-explained",
            "condition:depression",
            "topic:nmda-receptor",
            "articles",
            "conditions",
            "topics",
            "search",
            "sync",
        ],
    }
    # The payload names what the API's own answers are tagged with.
    detail = APIClient().get("/api/v1/articles/nmda-explained/")
    assert set(detail["Cache-Tag"].split(",")) <= set(payload["data"]["cache_tags"])
    assert APIClient().get("/api/v1/articles/")["Cache-Tag"] in payload["data"]["cache_tags"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)
    assert receiver.refused == []
    assert OutboxEvent.objects.get().dispatched_at is not None


def test_scopes_choose_what_each_endpoint_is_sent(integrator_api, receiver):
    ptsd = ConditionFactory(slug="ptsd")
    ArticleFactory(slug="about-ptsd", in_review=True, conditions=[ptsd])
    ArticleFactory(slug="about-pain", in_review=True)
    subscribe(integrator_api, receiver, conditions=["ptsd"], content_types=["article"])
    other = Receiver()
    try:
        subscribe(integrator_api, other, content_types=["faq"])
        with running_worker(app):
            publish(integrator_api, "about-pain")
            publish(integrator_api, "about-ptsd")
            (payload,) = receiver.wait_for(1)
            time.sleep(0.5)  # a few relays more: nothing else comes
        assert payload["data"]["slug"] == "about-ptsd"
        assert len(receiver.received) == 1
        assert other.received == []
    finally:
        other.stop()


def test_receiver_down_is_retried_then_delivered_when_back(integrator_api, receiver):
    ArticleFactory(slug="retried", in_review=True)
    subscribe(integrator_api, receiver)
    receiver.stop()
    with running_worker(app):
        publish(integrator_api, "retried")
        deadline = time.monotonic() + PATIENCE
        while WebhookDelivery.objects.filter(attempts__gte=3).count() == 0:
            assert time.monotonic() < deadline, "not retried"
            time.sleep(0.05)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        assert "Connection refused" in delivery.error or "NewConnectionError" in delivery.error
        assert WebhookEndpoint.objects.get().failing_since is not None
        receiver.start()
        (payload,) = receiver.wait_for(1)
    assert payload["data"]["slug"] == "retried"
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.attempts >= 4
    assert WebhookEndpoint.objects.get().failing_since is None


def test_an_error_answer_is_retried_and_only_an_excerpt_kept(integrator_api, receiver):
    ArticleFactory(slug="error-answer", in_review=True)
    subscribe(integrator_api, receiver)
    receiver.answer = 503
    receiver.body = "Überlastet. ".encode() * 20_000  # 260 kB of error page
    with running_worker(app):
        publish(integrator_api, "error-answer")
        receiver.wait_for(2)
        receiver.answer = 200
        receiver.wait_for(3)
    time.sleep(0.1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    assert delivery.response_status == 200
    assert delivery.response_excerpt == ("Überlastet. " * 50)[:500]
    # Every attempt carries the same message id: receivers deduplicate with it.
    assert len({headers["webhook-id"] for headers, _ in receiver.received}) == 1


def test_a_broker_down_at_commit_loses_nothing(integrator_api, receiver, settings, caplog):
    ArticleFactory(slug="broker-outage", in_review=True)
    subscribe(integrator_api, receiver)
    # Nothing listens on this port: the broker is down while the change commits.
    from celery import Celery

    from tests.servers import free_port

    down = Celery("broker-down", set_as_current=False)
    down.config_from_object("django.conf:settings", namespace="CELERY")
    down.conf.broker_url = f"redis://127.0.0.1:{free_port()}/12"
    down.set_current()
    try:
        started = time.monotonic()
        publish(integrator_api, "broker-outage")
        assert time.monotonic() - started < 3, "a broker outage must not hold up the commit"
    finally:
        app.set_current()
    assert OutboxEvent.objects.get().dispatched_at is None
    assert "Broker unavailable" in caplog.text
    with running_worker(app):
        (payload,) = receiver.wait_for(1)
    assert payload["data"]["slug"] == "broker-outage"


def test_a_scheduled_publish_fires_at_its_time_with_nothing_else_to_run(integrator_api, receiver):
    at = timezone.now() + datetime.timedelta(seconds=2)
    ArticleFactory(slug="scheduled", in_review=True, published_at=at)
    subscribe(integrator_api, receiver)
    generation = ContentVersion.objects.get().generation
    with running_worker(app):
        publish(integrator_api, "scheduled")
        time.sleep(1)
        assert receiver.received == []
        (payload,) = receiver.wait_for(1, timeout=5)
        arrived = timezone.now()
    assert at <= arrived < at + datetime.timedelta(seconds=3)
    assert payload["type"] == "content.published"
    assert payload["data"]["slug"] == "scheduled"
    # The relay published it: the generation moved on without any request.
    assert payload["data"]["generation"] > generation
    assert ContentVersion.objects.get().generation == payload["data"]["generation"]


def test_private_targets_are_refused_at_delivery_time(integrator_api, receiver, settings):
    ArticleFactory(slug="ssrf", in_review=True)
    subscribe(integrator_api, receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with running_worker(app):
        publish(integrator_api, "ssrf")
        deadline = time.monotonic() + PATIENCE
        while not WebhookDelivery.objects.filter(attempts__gte=1).exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert receiver.received == [] and receiver.refused == []
    assert "private, loopback or link-local" in WebhookDelivery.objects.get().error


def test_redirects_are_not_followed(integrator_api, receiver):
    ArticleFactory(slug="redirected", in_review=True)
    subscribe(integrator_api, receiver)
    elsewhere = Receiver()
    try:
        elsewhere.secret = receiver.secret
        receiver.answer = 307
        receiver.headers = {"Location": elsewhere.url}
        with running_worker(app, beat=False):
            publish(integrator_api, "redirected")
            receiver.wait_for(1)
            time.sleep(0.3)
        assert elsewhere.received == []
        delivery = WebhookDelivery.objects.get()
        assert delivery.response_status == 307
        assert delivery.status == "pending"
        assert delivery.error == "Redirects are not followed."
    finally:
        elsewhere.stop()


def test_an_endpoint_failing_for_the_window_is_disabled_and_staff_told(
    integrator_api, receiver, settings
):
    settings.WEBHOOK_RETRY_WINDOW_SECONDS = 1
    ArticleFactory(slug="gave-up", in_review=True)
    endpoint = subscribe(integrator_api, receiver)
    receiver.stop()
    with running_worker(app):
        publish(integrator_api, "gave-up")
        deadline = time.monotonic() + PATIENCE
        while WebhookEndpoint.objects.get().is_active:
            assert time.monotonic() < deadline, "never disabled"
            time.sleep(0.05)
    disabled = WebhookEndpoint.objects.get()
    assert disabled.disabled_at is not None
    assert WebhookDelivery.objects.get().status == "failed"
    (message,) = mail.outbox
    assert message.to == ["integrator@example.com"]
    assert receiver.url in message.subject
    # Activated again through the API, then the delivery replayed: it arrives.
    receiver.start()
    answer = write(
        integrator_api, "patch", f"/api/v1/webhooks/{endpoint['id']}/", {"is_active": True}
    )
    assert answer.status_code == 200
    from webhooks.services import deliveries_replay

    with running_worker(app):
        deliveries_replay(deliveries=WebhookDelivery.objects.all())
        (payload,) = receiver.wait_for(1)
    assert payload["data"]["slug"] == "gave-up"


def test_every_kind_of_event_arrives_in_order(integrator_api, receiver):
    ArticleFactory(slug="lifecycle", in_review=True)
    subscribe(integrator_api, receiver)
    with running_worker(app):
        publish(integrator_api, "lifecycle")
        receiver.wait_for(1)
        write(integrator_api, "patch", "/api/v1/articles/lifecycle/", {"author": "New"})
        receiver.wait_for(2)
        write(integrator_api, "patch", "/api/v1/articles/lifecycle/", {"status": "draft"})
        receiver.wait_for(3)
        write(integrator_api, "patch", "/api/v1/articles/lifecycle/", {"status": "in_review"})
        publish(integrator_api, "lifecycle")
        receiver.wait_for(4)
        assert write(integrator_api, "delete", "/api/v1/articles/lifecycle/").status_code == 204
        payloads = receiver.wait_for_events(5)
    assert [payload["type"] for payload in payloads] == [
        "content.published",
        "content.updated",
        "content.unpublished",
        "content.published",
        "content.deleted",
    ]


def test_delivered_through_a_real_redis_broker(integrator_api, receiver):
    import redis
    from celery import Celery
    from django.db import connection

    # One database per engine, so the SQLite and PostgreSQL suites can run at once.
    url = f"redis://127.0.0.1:6379/{13 if connection.vendor == 'postgresql' else 12}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    redis.Redis.from_url(url).flushdb()
    redis_app = Celery("redis-broker", set_as_current=False)
    redis_app.config_from_object("django.conf:settings", namespace="CELERY")
    redis_app.conf.broker_url = url
    redis_app.conf.broker_transport_options = {"socket_connect_timeout": 2}
    ArticleFactory(slug="through-redis", in_review=True)
    subscribe(integrator_api, receiver)
    redis_app.set_current()
    try:
        with running_worker(redis_app):
            publish(integrator_api, "through-redis")
            (payload,) = receiver.wait_for(1)
    finally:
        # Celery's test worker made the Redis app the default of every thread as well.
        app.set_current()
        app.set_default()
        redis.Redis.from_url(url).flushdb()
    assert payload["data"]["slug"] == "through-redis"
