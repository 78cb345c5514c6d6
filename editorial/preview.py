"""
Signed, expiring preview links: an editor shares a draft as the frontend would show it.

A token names one entry (its model and primary key) and nothing else; it is signed with the
project's secret key under its own salt and expires after EDITORIAL_PREVIEW_MAX_AGE_SECONDS.
"""

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "editorial.preview"


class PreviewTokenExpired(Exception):
    pass


class PreviewTokenInvalid(Exception):
    pass


def make_preview_token(entry):
    return signing.dumps([entry._meta.label_lower, entry.pk], salt=SALT, compress=True)


def preview_url(entry, request=None):
    """The address the admin's preview link points to: the frontend's, or the API's own."""
    token = make_preview_token(entry)
    if settings.EDITORIAL_PREVIEW_URL:
        return settings.EDITORIAL_PREVIEW_URL.replace("{token}", token)
    path = reverse("preview", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else path


def read_preview_token(token):
    """Return the entry a token names; raise PreviewTokenExpired or PreviewTokenInvalid."""
    try:
        label, pk = signing.loads(
            token, salt=SALT, max_age=settings.EDITORIAL_PREVIEW_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired:
        raise PreviewTokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise PreviewTokenInvalid from None
    # The payload is signed, so it is one this module made; the entry may be gone since.
    entry = apps.get_model(label).objects.with_tags().with_review().filter(pk=pk).first()
    if entry is None:
        raise PreviewTokenInvalid
    return entry
