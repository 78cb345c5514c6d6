"""
Turn a review typed as free text (reviewer name, credentials, date) into a Reviewer record and
a sign-off: for the data migration and for imports of files that carry those fields.

It takes the models as arguments, so a migration can pass its historical ones.
"""

from publishing.translatable import text_digest

PLACEHOLDER_MARK = "placeholder"


def adopt_free_text_review(entry, *, reviewer_model, sign_off_model, content_type, fields):
    """
    Give `entry` a sign-off of its current text by the reviewer its free-text fields name.

    A reviewer whose name or credentials say "placeholder" is recorded as one. An entry
    without a reviewer name, or whose text is signed off already, is left as it is. Return
    the sign-off.
    """
    name = entry.reviewer_name.strip()
    digest = text_digest({field: getattr(entry, field) for field in fields})
    if not name or (entry.sign_off_id is not None and entry.sign_off.text_digest == digest):
        return None
    credentials = entry.reviewer_credentials.strip()
    reviewer, _ = reviewer_model.objects.get_or_create(
        name=name,
        credentials=credentials,
        defaults={"is_placeholder": PLACEHOLDER_MARK in f"{name} {credentials}".lower()},
    )
    sign_off = sign_off_model.objects.create(
        content_type=content_type,
        object_id=entry.pk,
        entry_version=entry.version,
        text_digest=digest,
        reviewer=reviewer,
        signed_by=None,
        reviewed_on=entry.last_reviewed or entry.updated_at.date(),
        note="Carried over from the free-text review fields.",
    )
    # An update, not a save: adopting a review is no edit of the entry.
    type(entry)._base_manager.filter(pk=entry.pk).update(sign_off=sign_off, text_digest=digest)
    entry.sign_off_id, entry.text_digest = sign_off.pk, digest
    return sign_off
