"""
What people write in the contact form: encrypted at rest, kept 90 days, erased on request,
and never in logs, answers or notification emails.
"""

import datetime
import json
import logging

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from enquiries.models import Enquiry, SpamCount
from enquiries.services import enquiries_purge, spam_count_increment
from tests.enquiries import PERSON, PERSONAL_STRINGS, enquiry_body, send
from tests.timetravel import clock_moved

pytestmark = pytest.mark.django_db

ENCRYPTED_COLUMNS = ("name", "email", "phone", "preferred_time", "message")


def make_enquiry(**fields):
    values = {
        "name": "Ana Example",
        "email": "ana@example.com",
        "phone": "+12025550143",
        "preferred_contact": "email",
        "message": "Please call me back.",
        "privacy_notice_version": "1",
        "consented_at": datetime.datetime.now(datetime.UTC),
        **fields,
    }
    return Enquiry.objects.create(**values)


def raw_row(enquiry):
    """The enquiry's columns as the database holds them, past the model's decryption."""
    columns = ", ".join((*ENCRYPTED_COLUMNS, "email_digest", "phone_digest"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM enquiries_enquiry WHERE id = %s",  # noqa: S608 constants
            [Enquiry._meta.pk.get_db_prep_value(enquiry.pk, connection)],
        )
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_personal_fields_are_not_stored_in_plain_text(client, settings):
    response = send(client, enquiry_body(client))
    enquiry = Enquiry.objects.get(pk=response.json()["id"])
    row = raw_row(enquiry)
    key = Fernet(settings.ENQUIRY_ENCRYPTION_KEYS[0])
    for column in ENCRYPTED_COLUMNS:
        assert row[column] != getattr(enquiry, column)
        assert all(part.lower() not in row[column].lower() for part in PERSONAL_STRINGS)
        assert key.decrypt(row[column].encode()).decode() == getattr(enquiry, column)
    # The lookup digests are keyed hashes, not the address or number.
    assert len(row["email_digest"]) == 64
    assert "zoe" not in row["email_digest"].lower()
    assert "5550143" not in row["phone_digest"]


def test_keys_rotate_without_losing_an_enquiry(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENQUIRY_ENCRYPTION_KEYS = [old_key]
    enquiry = make_enquiry()
    # A new key goes first; the old one still decrypts what it encrypted.
    settings.ENQUIRY_ENCRYPTION_KEYS = [new_key, old_key]
    assert Enquiry.objects.get().message == "Please call me back."
    call_command("reencrypt_enquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Once re-encrypted, the old key can go.
    settings.ENQUIRY_ENCRYPTION_KEYS = [new_key]
    reread = Enquiry.objects.get()
    assert (reread.name, reread.email, reread.message) == (
        "Ana Example",
        "ana@example.com",
        "Please call me back.",
    )
    row = raw_row(enquiry)
    assert Fernet(new_key).decrypt(row["message"].encode()) == b"Please call me back."


def test_an_enquiry_under_a_dropped_key_cannot_be_read(settings):
    settings.ENQUIRY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    make_enquiry()
    settings.ENQUIRY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        Enquiry.objects.get()


def test_a_new_lookup_key_takes_effect_after_reencryption(settings):
    make_enquiry()
    settings.ENQUIRY_LOOKUP_KEY = "a-new-lookup-key"
    assert not Enquiry.objects.of_person(email="ana@example.com").exists()
    call_command("reencrypt_enquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Enquiry.objects.of_person(email="ana@example.com").exists()


def test_enquiries_past_retention_are_purged(settings, capsys):
    settings.ENQUIRY_RETENTION_DAYS = 90
    now = datetime.datetime.now(datetime.UTC)
    old = make_enquiry(created_at=now - datetime.timedelta(days=90, minutes=1))
    recent = make_enquiry(created_at=now - datetime.timedelta(days=89, hours=23))
    call_command("purge_enquiries")
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Enquiry.objects.filter(pk=old.pk).exists()
    assert "1 enquiries older than 90 days deleted." in capsys.readouterr().out
    # The function a scheduled job calls: a day later, the other is due too.
    with clock_moved(days=1):
        assert enquiries_purge() == 1
    assert not Enquiry.objects.exists()


def test_the_worker_purges_enquiries_past_retention_daily(settings):
    from celery.schedules import crontab

    from api.worker import app

    app.loader.import_default_modules()  # the worker's start: finds every app's tasks
    entry = app.conf.beat_schedule["purge enquiries past retention"]
    assert entry["schedule"] == crontab(hour=3, minute=30)
    settings.ENQUIRY_RETENTION_DAYS = 90
    now = datetime.datetime.now(datetime.UTC)
    make_enquiry(created_at=now - datetime.timedelta(days=90, minutes=1))
    recent = make_enquiry(created_at=now - datetime.timedelta(days=89, hours=23))
    assert app.tasks[entry["task"]].apply().get() == 1
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_one_persons_enquiries_are_found_and_erased_on_request(capsys):
    hers = [
        make_enquiry(email="Ana@Example.com", phone=""),
        make_enquiry(email="", phone="+12025550143", preferred_contact="phone"),
    ]
    other = make_enquiry(email="ben@example.com", phone="+12025550199")
    call_command("erase_enquiries", email=" ana@EXAMPLE.com ", phone="(202) 555-0143")
    assert "2 enquiries found" in capsys.readouterr().out
    assert Enquiry.objects.count() == 3  # only counted without --yes
    call_command("erase_enquiries", email="ana@example.com", phone="202-555-0143", yes=True)
    assert "2 enquiries erased." in capsys.readouterr().out
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [other.pk]
    assert not Enquiry.objects.filter(pk__in=[e.pk for e in hers]).exists()


def test_erasure_needs_an_address_or_a_valid_number():
    with pytest.raises(CommandError, match="Give --email, --phone or both"):
        call_command("erase_enquiries")
    with pytest.raises(CommandError, match="Not a valid phone number"):
        call_command("erase_enquiries", phone="12345")


def every_log_text(records):
    return "\n".join(
        json.dumps({key: str(value) for key, value in vars(record).items()}, ensure_ascii=False)
        + record.getMessage()
        for record in records
    )


def test_nothing_personal_is_logged(client, caplog, settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["clinic@example.com"]
    caplog.set_level(logging.DEBUG)
    send(client, enquiry_body(client))
    send(client, enquiry_body(client, email="not-an-address"))
    send(client, enquiry_body(client, website="spam"))
    logged = every_log_text(caplog.records)
    assert "Enquiry received" in logged
    assert "POST /api/v1/enquiries/ 400" in logged
    for personal in PERSONAL_STRINGS:
        assert personal.lower() not in logged.lower()


def test_staff_are_emailed_a_link_to_the_admin_and_nothing_else(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_NOTIFY_EMAILS = ["clinic@example.com", "nurse@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, enquiry_body(client))
    [email] = mail.outbox
    assert email.to == ["clinic@example.com", "nurse@example.com"]
    enquiry_id = response.json()["id"]
    assert f"http://testserver/admin/enquiries/enquiry/{enquiry_id}/change/" in email.body
    text = email.subject + email.body + json.dumps(email.extra_headers)
    for personal in [*PERSONAL_STRINGS, PERSON["message"][:20]]:
        assert personal.lower() not in text.lower()


def test_spam_sends_no_email(client, settings, django_capture_on_commit_callbacks):
    settings.ENQUIRY_NOTIFY_EMAILS = ["clinic@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        send(client, enquiry_body(client, website="spam"))
    assert mail.outbox == []


def test_a_mail_server_that_fails_loses_no_enquiry(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_NOTIFY_EMAILS = ["clinic@example.com"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, enquiry_body(client))
    assert response.status_code == 202
    assert Enquiry.objects.filter(pk=response.json()["id"]).exists()
    assert "Enquiry notification not sent: ConnectionRefusedError" in caplog.text


def test_spam_counts_add_up_per_day_and_reason():
    for _ in range(3):
        spam_count_increment(reason=SpamCount.Reason.HONEYPOT)
    spam_count_increment(reason=SpamCount.Reason.TOO_FAST)
    with clock_moved(days=1):
        spam_count_increment(reason=SpamCount.Reason.HONEYPOT)
    assert sorted(SpamCount.objects.values_list("reason", "count")) == [
        ("honeypot", 1),
        ("honeypot", 3),
        ("too_fast", 1),
    ]


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_spam_counted_at_once_by_many_requests_loses_no_count():
    import threading

    threads_count = 8
    barrier = threading.Barrier(threads_count)

    def count_one():
        try:
            barrier.wait(timeout=10)
            spam_count_increment(reason=SpamCount.Reason.TOO_FAST)
        finally:
            connection.close()

    threads = [threading.Thread(target=count_one) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert SpamCount.objects.get().count == threads_count
