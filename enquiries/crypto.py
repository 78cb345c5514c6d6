"""
Encryption at rest of what people write in the contact form, and keyed hashes to find it.

Fields are Fernet tokens (AES-128-CBC with HMAC-SHA256) made with the first key of
ENQUIRY_ENCRYPTION_KEYS; every key listed decrypts, so keys rotate by putting a new one first
and running `manage.py reencrypt_enquiries` before the old one is dropped. Email addresses and
phone numbers are also kept as HMAC-SHA256 digests under ENQUIRY_LOOKUP_KEY, so that one
person's enquiries can be found for erasure without decrypting every row.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


def _keys():
    # Built on each use (a few microseconds) so that a changed setting takes effect at once.
    return MultiFernet([Fernet(key) for key in settings.ENQUIRY_ENCRYPTION_KEYS])


def encrypt(text):
    return _keys().encrypt(text.encode()).decode("ascii")


def decrypt(token):
    return _keys().decrypt(token.encode("ascii")).decode()


def normalised_email(email):
    return email.strip().lower()


def lookup_digest(value):
    """Return the keyed hash of a normalised email address or E.164 phone number."""
    return hmac.new(
        settings.ENQUIRY_LOOKUP_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and decrypted as it is read; "" stays ""."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
