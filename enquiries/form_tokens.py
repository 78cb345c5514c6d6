"""
Signed, expiring form tokens: proof that a submission comes from a form fetched a while ago.

The token holds the time it was issued, signed with SECRET_KEY; a submission sooner than
ENQUIRY_MIN_FILL_SECONDS after that was typed by no person, and one later than
ENQUIRY_FORM_MAX_AGE_SECONDS asks the frontend to fetch a new form.
"""

import time

from django.conf import settings
from django.core import signing

SALT = "enquiries.form-token"


class FormTokenInvalid(Exception):
    """The token is malformed, tampered with or expired; the message says which."""


def form_token_issue():
    return signing.TimestampSigner(salt=SALT).sign_object({"issued": time.time()})


def form_token_age(token):
    """Return the seconds since the token was issued, or raise FormTokenInvalid."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign_object(token, max_age=settings.ENQUIRY_FORM_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise FormTokenInvalid("The form has expired. Fetch a new form token.") from None
    except (signing.BadSignature, ValueError):
        raise FormTokenInvalid("Not a form token from this server.") from None
    if not isinstance(value, dict) or not isinstance(value.get("issued"), float):
        raise FormTokenInvalid("Not a form token from this server.")
    return time.time() - value["issued"]
