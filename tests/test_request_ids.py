"""Every answer and every log line written for it carry the request's id."""

import copy
import json
import logging
import logging.config

import pytest

pytestmark = pytest.mark.django_db


def test_an_id_is_made_when_none_is_sent(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_sane_incoming_id_is_echoed(client):
    response = client.get("/api/v1/articles/", HTTP_X_REQUEST_ID="lb-7f3a:9c1e.2")
    assert response["X-Request-ID"] == "lb-7f3a:9c1e.2"


@pytest.mark.parametrize("incoming", ["", "x" * 129, "bad id", "a\r\nSet-Cookie: x=1", "-x", "é"])
def test_an_insane_incoming_id_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_errors_carry_the_id_too(client):
    response = client.get("/nowhere", HTTP_X_REQUEST_ID="abc123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc123"


def test_log_lines_are_json_with_the_request_id(client, caplog):
    from django.conf import settings

    # A copy: configuring a formatter consumes its "()" key.
    formatter = logging.config.dictConfigClass(settings.LOGGING).configure_formatter(
        copy.deepcopy(settings.LOGGING["formatters"]["json"])
    )
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.get("/api/v1/articles/", HTTP_X_REQUEST_ID="trace-42")
    records = [r for r in caplog.records if r.name == "api.access"]
    assert records
    for record in records:  # the handler's filter stamped each while the request ran
        line = json.loads(formatter.format(record))
        assert line["request_id"] == "trace-42"
        assert line["level"] == "INFO"
        assert line["status"] == 200
        assert line["path"] == "/api/v1/articles/"
