"""
The website's contact form: a form token, a 202 with the id only, a 400 naming each bad field.

Spam (the honeypot filled in, a form sent faster than a person types) looks received but is
discarded and counted; each address has a small budget of enquiries.
"""

import json
import logging
from unittest import mock

import pytest

from enquiries.models import Enquiry, SpamCount
from tests.enquiries import (
    ENQUIRIES_URL,
    FORM_URL,
    OMIT,
    PERSON,
    PERSONAL_STRINGS,
    clock_ahead,
    enquiry_body,
    new_form,
    send,
)
from tests.factories import ConditionFactory
from tests.problems import assert_invalid_parameter, assert_problem

pytestmark = pytest.mark.django_db


def pointers(body):
    return {error["pointer"] for error in body["errors"]}


def test_the_form_gives_a_token_the_fields_and_the_privacy_notice_version(client, settings):
    settings.ENQUIRY_PRIVACY_NOTICE_VERSION = "2026-03"
    response = client.get(FORM_URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    form = response.json()
    assert form["privacy_notice_version"] == "2026-03"
    assert form["min_fill_seconds"] == 3
    assert form["captcha_provider"] == ""
    assert form["captcha_site_key"] == ""
    fields = {field["name"]: field for field in form["fields"]}
    assert list(fields) == [
        "name",
        "email",
        "phone",
        "preferred_contact",
        "preferred_time",
        "condition",
        "message",
        "consent",
    ]
    assert fields["message"]["max_length"] == 2000
    assert fields["preferred_contact"]["choices"] == ["email", "phone"]
    assert fields["consent"]["required"] is True
    # Each form has its own token: a cached one would be everybody's.
    assert new_form(client)["form_token"] != form["form_token"]


def test_the_form_refuses_query_parameters(client):
    assert_invalid_parameter(client.get(FORM_URL, {"lang": "en"}), "lang")


def test_an_enquiry_is_received_encrypted_and_answered_with_its_id_only(client):
    condition = ConditionFactory(slug="depression")
    response = send(client, enquiry_body(client, condition="depression"))
    assert response.status_code == 202
    assert response["Cache-Control"] == "no-store"
    assert set(response.json()) == {"id"}
    for personal in PERSONAL_STRINGS:
        assert personal.lower() not in response.content.decode().lower()
    enquiry = Enquiry.objects.get(pk=response.json()["id"])
    assert enquiry.name == PERSON["name"]
    assert enquiry.email == PERSON["email"]
    assert enquiry.phone == "+12025550143"  # E.164
    assert enquiry.preferred_contact == "phone"
    assert enquiry.preferred_time == PERSON["preferred_time"]
    assert enquiry.message == PERSON["message"]
    assert enquiry.condition == condition
    assert enquiry.privacy_notice_version == "1"
    assert enquiry.consented_at is not None
    assert enquiry.status == Enquiry.Status.NEW


def test_email_alone_or_phone_alone_is_enough(client, settings):
    settings.ENQUIRY_PHONE_REGION = "GB"
    by_email = enquiry_body(client, phone=OMIT, preferred_contact="email")
    by_phone = enquiry_body(client, email="", phone="020 7946 0958")
    assert send(client, by_email).status_code == 202
    assert send(client, by_phone).status_code == 202
    assert sorted(Enquiry.objects.values_list("phone", flat=True)) == ["", "+442079460958"]


@pytest.mark.parametrize(
    "name",
    ["李小龍", "Zoë Ørsted-Nakamura", "محمد الأمين", "Siobhán Ó Súilleabháin 🌿", "a" * 200],
)
def test_names_in_any_script_are_kept_exactly(client, name):
    response = send(client, enquiry_body(client, name=name))
    assert response.status_code == 202
    assert Enquiry.objects.get(pk=response.json()["id"]).name == name


INVALID = [
    pytest.param({"name": OMIT}, {"/name"}, id="name missing"),
    pytest.param({"name": "  "}, {"/name"}, id="name blank"),
    pytest.param({"name": "a" * 201}, {"/name"}, id="name too long"),
    pytest.param({"email": "not-an-address"}, {"/email"}, id="email malformed"),
    pytest.param({"email": "", "phone": ""}, {"/email", "/phone"}, id="neither email nor phone"),
    pytest.param({"phone": "12345"}, {"/phone"}, id="phone not a number"),
    pytest.param({"phone": "+1 202 555 0143 ext 9" * 5}, {"/phone"}, id="phone too long"),
    pytest.param({"preferred_contact": "pigeon"}, {"/preferred_contact"}, id="contact unknown"),
    pytest.param({"preferred_contact": OMIT}, {"/preferred_contact"}, id="contact missing"),
    pytest.param(
        {"phone": "", "preferred_contact": "phone"},
        {"/preferred_contact"},
        id="contact by phone without one",
    ),
    pytest.param({"preferred_time": "x" * 201}, {"/preferred_time"}, id="time too long"),
    pytest.param({"condition": "no-such-condition"}, {"/condition"}, id="condition unknown"),
    pytest.param({"message": "x" * 2001}, {"/message"}, id="message too long"),
    pytest.param({"message": "ü" * 500_000}, {"/message"}, id="message huge"),
    pytest.param({"consent": False}, {"/consent"}, id="consent false"),
    pytest.param({"consent": OMIT}, {"/consent"}, id="consent missing"),
    pytest.param({"privacy_notice_version": "0"}, {"/privacy_notice_version"}, id="old notice"),
    pytest.param({"privacy_notice_version": OMIT}, {"/privacy_notice_version"}, id="no notice"),
    pytest.param({"form_token": OMIT}, {"/form_token"}, id="token missing"),
    pytest.param({"form_token": "forged"}, {"/form_token"}, id="token forged"),
    pytest.param({"favourite_colour": "blue"}, {"/favourite_colour"}, id="unknown field"),
    pytest.param(
        {"favourite_colour": "blue", "phone": "12345"},
        {"/favourite_colour", "/phone"},
        id="unknown field and a bad one",
    ),
]


@pytest.mark.parametrize(("overrides", "named"), INVALID)
def test_invalid_input_is_a_400_naming_each_field_and_saves_nothing(client, overrides, named):
    response = send(client, enquiry_body(client, **overrides))
    body = assert_problem(response, 400)
    assert pointers(body) == named
    for pointer in named:
        assert pointer.lstrip("/") in body["detail"]
    assert not Enquiry.objects.exists()
    assert not SpamCount.objects.exists()


def test_a_body_that_is_not_a_json_object_is_a_400(client):
    assert_problem(send(client, ["name", "email"]), 400)
    response = client.post(ENQUIRIES_URL, "{not json", content_type="application/json")
    body = assert_problem(response, 400)
    assert body["errors"][0]["pointer"] == "/"
    assert body["errors"][0]["detail"].startswith("JSON parse error")
    assert not Enquiry.objects.exists()


def test_a_form_encoded_body_is_a_415(client):
    response = client.post(ENQUIRIES_URL, {"name": "A"})  # multipart, as a plain HTML form
    assert_problem(response, 415)


def test_a_body_over_the_size_limit_is_a_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    assert_problem(send(client, enquiry_body(client, message="x" * 5000)), 413)


def test_query_parameters_are_refused(client):
    response = send(client, enquiry_body(client), QUERY_STRING="utm_source=mail")
    assert_invalid_parameter(response, "utm_source")
    assert not Enquiry.objects.exists()


def test_an_expired_form_is_a_400_asking_for_a_new_one(client, settings):
    settings.ENQUIRY_FORM_MAX_AGE_SECONDS = 3600
    response = send(client, enquiry_body(client), after_seconds=3602)
    body = assert_problem(response, 400)
    assert body["errors"] == [
        {"detail": "The form has expired. Fetch a new form token.", "pointer": "/form_token"}
    ]
    assert not Enquiry.objects.exists()


def test_a_tampered_form_token_is_a_400(client):
    token = new_form(client)["form_token"]
    value, timestamp, signature = token.split(":")
    tampered = [
        f"{value}:{timestamp}:{signature[:-2]}xx",
        f"{value[:-1]}A:{timestamp}:{signature}",
        f"{value}:{timestamp}",
        "",
    ]
    for bad in tampered:
        body = assert_problem(send(client, enquiry_body(client, form_token=bad)), 400)
        assert pointers(body) == {"/form_token"}
    assert not Enquiry.objects.exists()


def test_a_token_signed_for_something_else_is_refused(client):
    from django.core import signing

    other = signing.TimestampSigner(salt="editorial.preview").sign_object({"issued": 1.0})
    body = assert_problem(send(client, enquiry_body(client, form_token=other)), 400)
    assert pointers(body) == {"/form_token"}


def test_the_honeypot_filled_in_looks_received_but_is_discarded_and_counted(client, caplog):
    caplog.set_level(logging.INFO, logger="enquiries")
    response = send(client, enquiry_body(client, website="http://spam.example"))
    assert response.status_code == 202
    assert set(response.json()) == {"id"}
    assert not Enquiry.objects.exists()
    assert SpamCount.objects.get().reason == SpamCount.Reason.HONEYPOT
    assert [r.reason for r in caplog.records if r.getMessage() == "Enquiry discarded as spam"] == [
        "honeypot"
    ]


def test_a_honeypot_bot_learns_nothing_from_bad_fields_either(client):
    response = send(client, {"website": "x", "email": "nonsense"})
    assert response.status_code == 202
    assert not Enquiry.objects.exists()


def test_a_form_sent_too_fast_looks_received_but_is_discarded_and_counted(client, settings):
    settings.ENQUIRY_MIN_FILL_SECONDS = 5
    for _ in range(2):
        response = send(client, enquiry_body(client), after_seconds=4)
        assert response.status_code == 202
        assert set(response.json()) == {"id"}
    assert not Enquiry.objects.exists()
    count = SpamCount.objects.get()
    assert (count.reason, count.count) == (SpamCount.Reason.TOO_FAST, 2)
    assert send(client, enquiry_body(client), after_seconds=6).status_code == 202
    assert Enquiry.objects.count() == 1


def test_each_address_has_a_small_budget_of_enquiries(client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "enquiries": "2/hour"}
    for _ in range(2):
        response = send(client, enquiry_body(client))
        assert response.status_code == 202
    assert '"enquiries";q=2;w=3600' in response["RateLimit-Policy"]
    refused = send(client, enquiry_body(client))
    assert_problem(refused, 429)
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["Cache-Control"] == "no-store"
    assert Enquiry.objects.count() == 2
    # Another address has its own budget; the form itself stays available.
    assert send(client, enquiry_body(client), REMOTE_ADDR="192.0.2.7").status_code == 202
    assert client.get(FORM_URL).status_code == 200


def test_get_is_not_allowed_on_the_collection(client):
    response = client.get(ENQUIRIES_URL)
    assert_problem(response, 405)
    assert response["Allow"] == "POST, OPTIONS"


class StubCaptcha:
    """A CAPTCHA provider's verify endpoint on the loopback interface, in a thread."""

    def __init__(self):
        import http.server
        import json
        import threading
        import urllib.parse

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                received.append({name: values[0] for name, values in form.items()})
                verdict = {"success": form.get("response") == ["passed"]}
                body = json.dumps(verdict).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/siteverify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def captcha(settings):
    stub = StubCaptcha()
    settings.ENQUIRY_CAPTCHA_PROVIDER = "turnstile"
    settings.ENQUIRY_CAPTCHA_SITE_KEY = "site-key-for-tests"
    settings.ENQUIRY_CAPTCHA_SECRET = "secret-for-tests"
    settings.ENQUIRY_CAPTCHA_VERIFY_URL = stub.url
    yield stub
    stub.stop()


def test_without_a_captcha_setting_no_provider_is_asked(client):
    with mock.patch("urllib.request.urlopen", side_effect=AssertionError("no CAPTCHA call")):
        assert new_form(client)["captcha_provider"] == ""
        assert send(client, enquiry_body(client, captcha_token="anything")).status_code == 202


def test_with_a_captcha_the_form_names_it_and_a_passed_one_is_received(client, captcha):
    form = new_form(client)
    assert form["captcha_provider"] == "turnstile"
    assert form["captcha_site_key"] == "site-key-for-tests"
    response = send(client, enquiry_body(client, captcha_token="passed"))
    assert response.status_code == 202
    assert Enquiry.objects.count() == 1
    assert captcha.received == [
        {"secret": "secret-for-tests", "response": "passed", "remoteip": "127.0.0.1"}
    ]


@pytest.mark.parametrize("token", ["failed", OMIT, ""])
def test_with_a_captcha_a_failed_or_missing_one_is_a_400(client, captcha, token):
    body = assert_problem(send(client, enquiry_body(client, captcha_token=token)), 400)
    assert pointers(body) == {"/captcha_token"}
    assert not Enquiry.objects.exists()


def test_with_a_captcha_provider_that_does_not_answer_it_is_a_503(client, captcha):
    captcha.stop()
    response = send(client, enquiry_body(client, captcha_token="passed"))
    assert_problem(response, 503)
    assert response["Retry-After"] == "5"
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"preferred_contact": "a\ud800b"},
        {"condition": "a\ud800b"},
        {"name": "a\ud800b"},
        {"message": "a\x00b"},
        {"\ud800": "x"},
    ],
    ids=["choice", "condition", "name", "nul", "field name"],
)
def test_unencodable_text_is_a_400_not_a_crash(client, overrides):
    body = json.dumps(enquiry_body(client, **overrides))  # \ud800 escaped, as a script may send
    with clock_ahead(30):
        response = client.post(ENQUIRIES_URL, body, content_type="application/json")
    assert_problem(response, 400)
    assert not Enquiry.objects.exists()


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_enquiries_and_spam_sent_at_once_are_all_kept_and_counted(settings):
    import threading

    from django.db import connection
    from rest_framework.test import APIClient

    settings.ENQUIRY_MIN_FILL_SECONDS = 5
    senders = 6
    # People fetched their forms ten seconds ago; bots fetch theirs and send at once.
    with clock_ahead(-10):
        people = [enquiry_body(APIClient(), name=f"Person {n}") for n in range(senders)]
    bots = [enquiry_body(APIClient(), name=f"Bot {n}") for n in range(senders)]
    barrier = threading.Barrier(senders * 2)
    statuses = []

    def send_one(body):
        try:
            barrier.wait(timeout=10)
            statuses.append(APIClient().post(ENQUIRIES_URL, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_one, args=(body,)) for body in people + bots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [202] * senders * 2
    assert sorted(Enquiry.objects.values_list("name", flat=True)) == sorted(
        f"Person {n}" for n in range(senders)
    )
    assert SpamCount.objects.get(reason=SpamCount.Reason.TOO_FAST).count == senders
