"""
CAPTCHA verification (Cloudflare Turnstile or hCaptcha), when ENQUIRY_CAPTCHA_PROVIDER is set.

Both providers take the same request, a form POST of `secret`, `response` (the widget's token)
and `remoteip`, and answer JSON with `success`.
"""

import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


class CaptchaUnavailable(Exception):
    """The provider did not answer, or answered something other than its JSON."""


def captcha_enabled():
    return bool(settings.ENQUIRY_CAPTCHA_PROVIDER)


def captcha_verify(token, client_address):
    """Return whether the provider accepts the widget's token."""
    url = settings.ENQUIRY_CAPTCHA_VERIFY_URL
    if not url.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
        raise CaptchaUnavailable("The verify URL must be https (or on the loopback interface).")
    body = urllib.parse.urlencode(
        {"secret": settings.ENQUIRY_CAPTCHA_SECRET, "response": token, "remoteip": client_address}
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 checked above
    try:
        # The scheme is checked above: https, or http on the loopback interface (tests).
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310  # nosec B310
            verdict = json.load(answer)
    except (OSError, ValueError) as error:
        logger.warning("CAPTCHA verification unavailable: %s", type(error).__name__)
        raise CaptchaUnavailable from error
    if not isinstance(verdict, dict):
        raise CaptchaUnavailable("The provider's answer is not a JSON object.")
    return verdict.get("success") is True
