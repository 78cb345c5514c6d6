"""
Error reports to Sentry (or a service speaking its protocol) when SENTRY_DSN is set.

A report must never carry personal data: readers' searches can name their illness, and
enquiries carry names, addresses and messages. So the SDK is told to send none
(`send_default_pii`, no request bodies, no local variables), and `scrub_event` removes
what could still slip in before anything leaves the process: request bodies, cookies,
query strings, every header but a few harmless ones, the user, log arguments, and any
field whose name says it is personal or secret, wherever it sits in the extra data.
"""

import re

from django.conf import settings

FILTERED = "[Filtered]"

# Headers worth having in a report, none of them personal or secret. Everything else goes:
# Authorization, Cookie, forwarding addresses, Referer (it may hold a search).
KEPT_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "content-length",
        "content-type",
        "host",
        "user-agent",
        "x-request-id",
    }
)
# Field names that hold personal data (an enquiry's, a user's) or secrets, compared after
# lowercasing and turning "-" into "_"; a name containing one of SECRET_PARTS is a secret.
PERSONAL_FIELDS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "email",
        "email_address",
        "phone",
        "phone_number",
        "telephone",
        "mobile",
        "message",
        "body",
        "address",
        "date_of_birth",
        "ip_address",
        "remote_addr",
        "user",
        "username",
    }
)
SECRET_PARTS = ("token", "password", "passwd", "secret", "authorization", "cookie", "session",
                "csrf", "api_key", "apikey", "dsn", "signature")  # fmt: skip
# Free text (an exception's message, a log line) may quote what a person typed.
EMAIL = re.compile(r"[^\s@<>()\"',;]+@[^\s@<>()\"',;]+\.[A-Za-z]{2,}")
# International numbers (+44 20 7946 0958) and North American ones ((555) 123-4567).
PHONE = re.compile(r"\+\d[\d ().-]{7,}\d|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")
# Contexts the SDK itself fills (interpreter, system, trace ids): nothing personal in them.
SDK_CONTEXTS = frozenset({"runtime", "os", "trace", "device", "app", "browser"})


def configure():
    """Report errors to the DSN of the settings; do nothing when none is set."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )
    return True


def is_personal(key):
    key = str(key).lower().replace("-", "_")
    return key in PERSONAL_FIELDS or any(part in key for part in SECRET_PARTS)


def scrub(value):
    """Return the value with every personal or secret field filtered, at any depth."""
    if isinstance(value, dict):
        return {key: FILTERED if is_personal(key) else scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_text(text):
    return PHONE.sub(FILTERED, EMAIL.sub(FILTERED, text))


def scrub_request(request):
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        "url": request.get("url"),
        "headers": {name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS},
    }


def scrub_event(event, hint=None):
    """Sentry's `before_send`: return the event without personal data or secrets."""
    if "request" in event:
        event["request"] = scrub_request(event["request"])
    event.pop("user", None)
    for section in ("extra", "tags", "contexts"):
        if section in event:
            event[section] = {
                key: value
                if section == "contexts" and key in SDK_CONTEXTS
                else FILTERED
                if is_personal(key)
                else scrub(value)
                for key, value in event[section].items()
            }
    if "logentry" in event:
        # The template says what happened; its arguments are what somebody typed.
        template = event["logentry"].get("message") or ""
        event["logentry"] = {"message": template, "formatted": scrub_text(template)}
    if isinstance(event.get("message"), str):
        event["message"] = scrub_text(event["message"])
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        breadcrumbs["values"] = [scrub_breadcrumb(crumb) for crumb in breadcrumbs.get("values", [])]
    return event


def scrub_breadcrumb(crumb, hint=None):
    """Sentry's `before_breadcrumb`: keep what happened, not the data it happened to."""
    crumb = dict(crumb)
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub_text(crumb["message"])
    if "data" in crumb:
        crumb["data"] = scrub(crumb["data"])
    return crumb
