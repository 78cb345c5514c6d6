"""Sending the contact form as the website does: fetch a form, fill it in, send it."""

import contextlib
import time
from unittest import mock

FORM_URL = "/api/v1/enquiries/form/"
ENQUIRIES_URL = "/api/v1/enquiries/"

PERSON = {
    "name": "Zoë Ørsted-Nakamura",
    "email": "Zoe.Orsted@Example.com",
    "phone": "(202) 555-0143",
    "preferred_contact": "phone",
    "preferred_time": "Tuesday after 4pm",
    "message": "I would like to hear whether a consultation would suit me.",
}
# What must never appear in a log line, an email or an answer.
PERSONAL_STRINGS = [
    "Zoë",
    "Ørsted",
    "Zoe.Orsted",
    "zoe.orsted",
    "555-0143",
    "5550143",
    "Tuesday after 4pm",
    "consultation would suit",
]


@contextlib.contextmanager
def clock_ahead(seconds):
    """Run the block as if `seconds` had passed since now (form tokens read time.time)."""
    moved = time.time() + seconds
    with mock.patch("time.time", return_value=moved):
        yield


def new_form(client):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    return response.json()


def enquiry_body(client, **overrides):
    """A complete, valid enquiry on a form just fetched, with `overrides` applied."""
    form = new_form(client)
    body = {
        **PERSON,
        "consent": True,
        "privacy_notice_version": form["privacy_notice_version"],
        "form_token": form["form_token"],
        "website": "",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not OMIT}


OMIT = object()


def send(client, body, after_seconds=30, **extra):
    """Send the enquiry as a person would: some seconds after the form was fetched."""
    with clock_ahead(after_seconds):
        return client.post(ENQUIRIES_URL, body, format="json", **extra)
