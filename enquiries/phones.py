"""Phone numbers of enquiries, checked and stored in E.164."""

import phonenumbers
from django.conf import settings


def phone_e164(value):
    """Return the number in E.164 (+12025550143), or None if it is not a valid number.

    Numbers without a country code are read as in ENQUIRY_PHONE_REGION.
    """
    try:
        number = phonenumbers.parse(value, settings.ENQUIRY_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
