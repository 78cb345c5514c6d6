"""Webhook endpoints through the write API: permissions, validation, the secret shown once."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_user
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

WEBHOOK_PERMISSIONS = [
    ("webhooks", f"{action}_webhookendpoint") for action in ("view", "add", "change", "delete")
]
NEW = {"url": "https://hooks.example.org/ketamine", "events": ["content.published"]}


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def integrator(db):
    return make_user("integrator", permissions=WEBHOOK_PERMISSIONS)


@pytest.fixture
def integrator_api(integrator):
    return api_for(integrator)


@pytest.fixture(autouse=True)
def public_names_resolve(monkeypatch):
    """hooks.example.org resolves to a public address, without asking any DNS server."""
    import socket

    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host.endswith("example.org"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        if host == "rebinding.example.net":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_create_answers_the_secret_once_and_never_again(integrator_api):
    created = integrator_api.post("/api/v1/webhooks/", NEW, format="json")
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    import base64

    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    endpoint_id = created.json()["id"]
    assert created.json()["content_types"] == []
    assert created.json()["is_active"] is True
    detail = integrator_api.get(f"/api/v1/webhooks/{endpoint_id}/")
    listing = integrator_api.get("/api/v1/webhooks/")
    changed = integrator_api.patch(
        f"/api/v1/webhooks/{endpoint_id}/", {"description": "CDN"}, format="json"
    )
    for answer in (detail, listing, changed):
        assert answer.status_code == 200
        assert secret not in answer.content.decode()
        assert b'"secret"' not in answer.content
    assert WebhookEndpoint.objects.get().secret == secret


def test_two_endpoints_get_different_secrets(integrator_api):
    first = integrator_api.post("/api/v1/webhooks/", NEW, format="json").json()["secret"]
    second = integrator_api.post("/api/v1/webhooks/", NEW, format="json").json()["secret"]
    assert first != second


@pytest.mark.parametrize(
    ("user", "method", "expected"),
    [
        (None, "get", 401),
        (None, "post", 401),
        ("non-staff", "get", 403),
        ("staff-without-permission", "get", 403),
        ("staff-without-permission", "post", 403),
        ("viewer", "get", 200),
        ("viewer", "post", 403),
    ],
)
def test_only_staff_with_the_permission_manage_endpoints(user, method, expected):
    api = APIClient()
    if user == "non-staff":
        api.force_authenticate(make_user(user, staff=False, permissions=WEBHOOK_PERMISSIONS))
    elif user == "staff-without-permission":
        api.force_authenticate(make_user(user))
    elif user == "viewer":
        api.force_authenticate(make_user(user, permissions=[("webhooks", "view_webhookendpoint")]))
    if method == "post":
        answer = api.post("/api/v1/webhooks/", NEW, format="json")
    else:
        answer = api.get("/api/v1/webhooks/")
    assert answer.status_code == expected
    assert answer["Content-Type"] in {"application/json", "application/problem+json"}
    assert not WebhookEndpoint.objects.exists()


def test_staff_without_permission_cannot_change_or_delete(integrator_api):
    endpoint_id = integrator_api.post("/api/v1/webhooks/", NEW, format="json").json()["id"]
    viewer = api_for(make_user("viewer", permissions=[("webhooks", "view_webhookendpoint")]))
    assert viewer.patch(f"/api/v1/webhooks/{endpoint_id}/", {"is_active": False}).status_code == 403
    assert viewer.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 403
    assert WebhookEndpoint.objects.get().is_active
    assert integrator_api.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": "https://hooks.example.org/", "events": ["content.exploded"]}, "/events/0"),
        ({"url": "https://hooks.example.org/", "events": []}, "/events"),
        ({"url": "https://hooks.example.org/"}, "/events"),
        ({"events": ["content.published"]}, "/url"),
        ({"url": "ftp://hooks.example.org/", "events": ["content.published"]}, "/url"),
        ({"url": "not a url", "events": ["content.published"]}, "/url"),
        ({"url": "https://user:pw@hooks.example.org/", "events": ["content.published"]}, "/url"),
        ({**NEW, "content_types": ["podcast"]}, "/content_types/0"),
        ({**NEW, "secret": "whsec_AAAA"}, "/secret"),
        ({**NEW, "failing_since": "2026-01-01T00:00:00Z"}, "/failing_since"),
        ({**NEW, "colour": "blue"}, "/colour"),
        ({**NEW, "url": "https://hooks.example.org/" + "é" * 3000}, "/url"),
        ({**NEW, "events": "content.published"}, "/events"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(integrator_api, body, pointer):
    answer = integrator_api.post("/api/v1/webhooks/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert pointer in {error["pointer"] for error in answer.json()["errors"]}
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_condition_is_a_conflict_with_what_is_stored(integrator_api):
    answer = integrator_api.post(
        "/api/v1/webhooks/", {**NEW, "conditions": ["no-such-condition"]}, format="json"
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["errors"] == [
        {"detail": "Unknown conditions: no-such-condition.", "pointer": "/conditions"}
    ]
    assert not WebhookEndpoint.objects.exists()


def test_scope_by_content_type_and_condition_round_trips(integrator_api):
    from tests.factories import ConditionFactory

    ConditionFactory(slug="ptsd")
    body = {
        **NEW,
        "events": ["content.published", "content.deleted"],
        "content_types": ["faq", "research"],
        "conditions": ["ptsd"],
        "description": "Ärzte-App 📱",
    }
    created = integrator_api.post("/api/v1/webhooks/", body, format="json").json()
    for name, value in body.items():
        assert created[name] == value


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://rebinding.example.net/hook",
    ],
)
def test_private_targets_are_refused_unless_allowed(integrator_api, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    answer = integrator_api.post("/api/v1/webhooks/", {**NEW, "url": url}, format="json")
    assert answer.status_code == 400, answer.content
    assert "private, loopback or link-local" in answer.json()["errors"][0]["detail"]
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    assert (
        integrator_api.post("/api/v1/webhooks/", {**NEW, "url": url}, format="json").status_code
        == 201
    )


def test_activating_a_disabled_endpoint_forgives_its_failures(integrator_api):
    from django.utils import timezone

    endpoint_id = integrator_api.post("/api/v1/webhooks/", NEW, format="json").json()["id"]
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        is_active=False, disabled_at=timezone.now(), failing_since=timezone.now()
    )
    answer = integrator_api.patch(
        f"/api/v1/webhooks/{endpoint_id}/", {"is_active": True}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["disabled_at"] is None
    assert answer.json()["failing_since"] is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("is_active", "true"), ("is_active", 1), ("is_active", "on"), ("events", "content.published")],
)
def test_fields_take_their_json_type_only(integrator_api, field, value):
    """`"true"` or `1` is not a boolean: a 400 naming the field, and nothing saved."""
    response = integrator_api.post("/api/v1/webhooks/", {**NEW, field: value}, format="json")
    assert response.status_code == 400, response.content
    assert [error["pointer"] for error in response.json()["errors"]] == [f"/{field}"]
    assert not WebhookEndpoint.objects.exists()
