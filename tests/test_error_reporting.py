"""Errors go to Sentry only when SENTRY_DSN is set, and never carry personal data or secrets."""

import gzip
import json
import subprocess
import sys

import sentry_sdk

from telemetry.error_reporting import FILTERED, scrub_event
from tests.collectors import Collector
from tests.servers import ROOT, production_env

# What a reader or an enquiry could send, and the secrets a request carries.
PERSONAL = {
    "name": "Jane Roe",
    "email": "jane.roe@example.org",
    "phone": "+44 20 7946 0958",
    "message": "I have had depression for years",
}
SECRETS = ["tok-9c1e-secret-value", "sess-7f3a-secret-value", "csrf-secret-value"]


def django_event():
    """An event as the SDK builds it for an error in a request, with everything in it."""
    return {
        "level": "error",
        "request": {
            "method": "POST",
            "url": "https://api.clinic.example/api/v1/enquiries/",
            "query_string": "q=my+depression&email=jane.roe%40example.org",
            "data": dict(PERSONAL),
            "cookies": {"sessionid": SECRETS[1], "csrftoken": SECRETS[2]},
            "headers": {
                "Authorization": f"Token {SECRETS[0]}",
                "Cookie": f"sessionid={SECRETS[1]}",
                "X-Forwarded-For": "203.0.113.7",
                "Referer": "https://www.clinic.example/search?q=my+depression",
                "User-Agent": "Mozilla/5.0",
                "X-Request-ID": "req-1",
            },
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "user": {"id": 3, "email": PERSONAL["email"], "ip_address": "203.0.113.7"},
        "extra": {"enquiry": dict(PERSONAL), "api_token": SECRETS[0], "attempt": 2},
        "tags": {"phone_number": PERSONAL["phone"], "route": "enquiry-list"},
        "contexts": {"runtime": {"name": "CPython"}, "enquiry": {"Email": PERSONAL["email"]}},
        "logentry": {"message": "Enquiry from %s failed", "params": [PERSONAL["email"]]},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "Key (email)=(jane.roe@example.org) already exists; "
                    "call +44 20 7946 0958 or (555) 123-4567",
                    "stacktrace": {"frames": [{"function": "post", "vars": dict(PERSONAL)}]},
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {"message": "mail to jane.roe@example.org", "data": {"message": "hello"}},
                {"category": "api.access", "message": "GET /api/v1/articles/ 200"},
            ]
        },
    }


def assert_clean(text):
    for value in [*PERSONAL.values(), *SECRETS, "203.0.113.7", "my+depression", "555) 123"]:
        assert value not in text, value


def test_scrubbing_removes_personal_data_and_secrets():
    event = scrub_event(django_event(), hint={})
    assert_clean(json.dumps(event))
    assert event["request"] == {
        "method": "POST",
        "url": "https://api.clinic.example/api/v1/enquiries/",
        "headers": {"User-Agent": "Mozilla/5.0", "X-Request-ID": "req-1"},
    }
    assert "user" not in event
    assert event["extra"] == {
        "enquiry": dict.fromkeys(PERSONAL, FILTERED),
        "api_token": FILTERED,
        "attempt": 2,
    }
    assert event["tags"] == {"phone_number": FILTERED, "route": "enquiry-list"}
    assert event["contexts"] == {"runtime": {"name": "CPython"}, "enquiry": {"Email": FILTERED}}
    # What happened is kept; who it happened to is not.
    assert event["logentry"]["message"] == "Enquiry from %s failed"
    assert event["exception"]["values"][0]["type"] == "IntegrityError"
    assert event["exception"]["values"][0]["value"].startswith("Key (email)=([Filtered])")
    assert "vars" not in event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert event["breadcrumbs"]["values"][1]["message"] == "GET /api/v1/articles/ 200"


def test_scrubbing_keeps_dates_and_ids_readable():
    event = scrub_event({"message": "Article 12345 scheduled for 2026-11-30 10:59:48 failed"})
    assert event["message"] == "Article 12345 scheduled for 2026-11-30 10:59:48 failed"


def test_no_reporting_without_a_dsn(settings):
    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


# A production process with a DSN: an editor's request fails in a view that read an enquiry.
FAILING_REQUEST = """
import django, logging, sentry_sdk
django.setup()
from django.test import Client
from api.views import HealthView

assert sentry_sdk.get_client().is_active()

def post(self, request):
    enquiry = request.data
    logging.getLogger("enquiries").error(
        "Enquiry from %s not saved", enquiry["email"], extra={"phone": enquiry["phone"]}
    )
    raise RuntimeError(f"could not save the enquiry of {enquiry['email']}")

HealthView.post = post
response = Client(raise_request_exception=False, HTTP_HOST="localhost").post(
    "/healthz?email=jane.roe%40example.org&q=my+depression",
    data=PAYLOAD,
    content_type="application/json",
    HTTP_AUTHORIZATION="Bearer tok-9c1e-secret-value",
    HTTP_COOKIE="csrftoken=csrf-secret-value; preferences=sess-7f3a-secret-value",
    HTTP_X_FORWARDED_FOR="203.0.113.7",
)
assert response.status_code == 500, response.status_code
sentry_sdk.flush(timeout=10)
"""


def decoded(headers, body):
    encoding = {name.lower(): value for name, value in headers.items()}.get("content-encoding")
    if encoding == "gzip":
        return gzip.decompress(body).decode()
    if encoding == "br":
        import brotli

        return brotli.decompress(body).decode()
    return body.decode()


def test_a_failing_request_is_reported_without_personal_data(tmp_path):
    with Collector() as collector:
        env = production_env(
            f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            SENTRY_DSN=f"http://publickey@{collector.url.removeprefix('http://')}/1",
            DJANGO_SETTINGS_MODULE="api.settings",
        )
        script = f"PAYLOAD = {json.dumps(PERSONAL)!r}\n{FAILING_REQUEST}"
        result = subprocess.run(  # noqa: S603 our own code
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, timeout=60
        )
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        collector.wait_for("/api/1/envelope/")
    envelopes = "\n".join(
        decoded(headers, body)
        for path, headers, body in collector.received
        if path == "/api/1/envelope/"
    )
    assert "could not save the enquiry of [Filtered]" in envelopes  # the error arrived
    assert "Enquiry from %s not saved" in envelopes  # and the log line, as its template
    assert_clean(envelopes)
