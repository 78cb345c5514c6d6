"""
Editors' writes: create, change, move between states and delete entries, and translate them.

"Entry" is anything editors write and that keeps a history: articles, FAQs, research summaries,
conditions and topics. Each function validates on the model (`full_clean`, as the admin does),
writes in one transaction and records a version naming the actor, so a failed write changes
nothing and a successful one can be undone.

A change is a read-modify-write of the entry as it is when the write commits: the row is
locked and read again, only the fields given are set on it, and a workflow move is checked
against its state then. Two editors changing different fields at once both keep their
change, and an edit racing an archive cannot publish the entry again.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from content.models import Status
from editorial.workflow import MOVES_BY_NAME, check_move, check_translation_move
from entries import writing
from entries.history import keep_final_version, record_revision
from entries.writing import entry_lock
from publishing.changes import content_write_lock
from publishing.kinds import translated_model
from publishing.models import Reviewer, SignOff, Translation, TranslationStatus

SIGN_OFF_PERMISSION = "publishing.sign_off_medical_review"
PUBLISH_PERMISSION = "publishing.publish_content"


def _has_workflow(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)


def check_publishable(entry, *, actor):
    """
    Raise unless `actor` may publish the entry as it is: PermissionDenied without the publish
    permission, ValidationError on `status` without a sign-off of its current text by someone
    other than its last author.
    """
    if actor is not None and not actor.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Publishing needs the permission 'Can publish content'.")
    problem = entry.publishing_problem()
    if problem:
        raise ValidationError({"status": ValidationError(problem, code="not_signed_off")})


def _save(entry, *, tags, actor, comment):
    with reversion.create_revision():
        if _has_workflow(type(entry)) and entry.status == Status.PUBLISHED:
            entry.published_at = entry.published_at or timezone.now()
        entry.full_clean()
        entry.save()
        for name, values in (tags or {}).items():
            getattr(entry, name).set(values)
        record_revision(actor=actor, comment=comment)
    return entry


@transaction.atomic
def entry_create(*, model, fields, tags=None, actor, comment="Created."):
    """Create an entry from field values and its tags ({"conditions": [...], ...})."""
    content_write_lock()
    entry = model(**fields)
    if _has_workflow(model):
        check_move(None, entry.status)
        entry.note_text_change(actor)
    return _save(entry, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_update(*, entry, fields, tags=None, actor, comment="Changed.", expected_version=None):
    """
    Set these fields and tags on the entry as stored now; return it saved.

    A new `status` must be an allowed move from the stored state.
    """
    current = entry_lock(entry, expected_version=expected_version)
    source = current.status if _has_workflow(type(current)) else None
    for name, value in fields.items():
        setattr(current, name, value)
    if "status" in fields:
        check_move(source, fields["status"])
    if source is not None:
        current.note_text_change(actor)
        if current.status == Status.PUBLISHED and source != Status.PUBLISHED:
            check_publishable(current, actor=actor)
    return _save(current, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_move(*, entry, move, actor, expected_version=None):
    """Make one of the workflow's moves by name, such as "publish", if it is allowed."""
    current = entry_lock(entry, expected_version=expected_version)
    target = MOVES_BY_NAME[move].target
    if current.status == target:
        raise ValidationError({"status": f"The entry is already '{target}'."}, code="no_move")
    check_move(current.status, target)
    if target == Status.PUBLISHED:
        check_publishable(current, actor=actor)
    comment = f"Moved from '{current.status}' to '{target}'."
    current.status = target
    return _save(current, tags=None, actor=actor, comment=comment)


@transaction.atomic
def entry_delete(*, entry, actor, expected_version=None):
    """Delete an entry, keeping its last version so it can be recovered from the history."""
    current = entry_lock(entry, expected_version=expected_version)
    keep_final_version(current, actor=actor, comment=f"Deleted {current}.")
    current.delete()


@transaction.atomic
def entry_sign_off(*, entry, actor, minor_edit=False, note="", expected_version=None):
    """
    Sign off the entry's current text as the medical reviewer linked to `actor`.

    A full review dates the review today. `minor_edit` marks a change made since the last
    review as a typo fix needing no new review: the text is covered again, the review keeps
    its date (and so its next due date). Every sign-off is kept and named in the history.
    """
    if not actor.has_perm(SIGN_OFF_PERMISSION):
        raise PermissionDenied("Signing off needs the permission 'Can sign off medical review'.")
    reviewer = Reviewer.objects.filter(user=actor).first()
    if reviewer is None:
        raise PermissionDenied("Your account is not linked to a reviewer record.")
    current = entry_lock(entry, expected_version=expected_version)
    digest = current.current_text_digest()
    if current.text_author_id == actor.pk:
        raise ValidationError(
            {"sign_off": "You last changed this text: someone else must sign it off."},
            code="own_text",
        )
    if current.sign_off_id is not None and current.sign_off.text_digest == digest:
        raise ValidationError({"sign_off": "The current text is already signed off."})
    reviewed_on = timezone.localdate()
    kind = SignOff.Kind.REVIEW
    if minor_edit:
        last_review = (
            SignOff.objects.filter(
                content_type=ContentType.objects.get_for_model(current),
                object_id=current.pk,
                kind=SignOff.Kind.REVIEW,
            )
            .order_by("-signed_at", "-pk")
            .first()
        )
        if last_review is None:
            raise ValidationError(
                {"sign_off": "Only a change to reviewed text can be a typo fix; review it."}
            )
        reviewed_on, kind = last_review.reviewed_on, SignOff.Kind.MINOR_EDIT
    sign_off = SignOff.objects.create(
        entry=current,
        entry_version=current.version,
        text_digest=digest,
        kind=kind,
        reviewer=reviewer,
        signed_by=actor,
        reviewed_on=reviewed_on,
        note=note,
    )
    current.sign_off = sign_off
    # The free-text fields follow the record: exports and older readers see the same review.
    current.reviewer_name = reviewer.name
    current.reviewer_credentials = reviewer.credentials
    current.last_reviewed = reviewed_on
    comment = (
        f"Signed off by {reviewer} ({sign_off.get_kind_display()}, version {current.version})."
    )
    return _save(current, tags=None, actor=actor, comment=comment)


@transaction.atomic
def translation_save(*, entry, language, fields, actor):
    """
    Write the entry's text in `language` (`{"title": ...}`), starting its translation as a
    draft. A change to signed-off text drops the sign-off: a published translation goes back
    to review. The English text, its state and its sign-off are left as they are.
    """
    current = entry_lock(entry)
    translation, _ = Translation.objects.select_for_update().get_or_create(
        kind=current.reference_type, object_id=current.pk, language=language
    )
    before = current.translated_text_digest(language)
    for name, value in fields.items():
        setattr(current, f"{name}_{language}", value)
    if current.translated_text_digest(language) != before:
        if actor is not None and actor.is_authenticated:
            translation.text_author = actor
        if translation.sign_off_id is not None:
            translation.sign_off, translation.source_digest = None, ""
            if translation.status == TranslationStatus.PUBLISHED:
                translation.status = TranslationStatus.IN_REVIEW
    _save(current, tags=None, actor=actor, comment=f"Changed the '{language}' translation.")
    translation.save()
    return translation


def _translated_entry(translation):
    model = translated_model(translation.kind)
    return entry_lock(model(pk=translation.object_id))


@transaction.atomic
def translation_sign_off(*, translation, actor, note=""):
    """
    Sign off the translation's current text, against the English text as it is now, as the
    medical reviewer linked to `actor`: the same rules as an entry's sign-off.
    """
    if not actor.has_perm(SIGN_OFF_PERMISSION):
        raise PermissionDenied("Signing off needs the permission 'Can sign off medical review'.")
    reviewer = Reviewer.objects.filter(user=actor).first()
    if reviewer is None:
        raise PermissionDenied("Your account is not linked to a reviewer record.")
    entry = _translated_entry(translation)
    translation = Translation.objects.select_for_update().get(pk=translation.pk)
    digest = entry.translated_text_digest(translation.language)
    if translation.text_author_id == actor.pk:
        raise ValidationError(
            {"sign_off": "You last changed this translation: someone else must sign it off."},
            code="own_text",
        )
    if (
        translation.sign_off_id is not None
        and translation.sign_off.text_digest == digest
        and not translation.is_out_of_date(entry)
    ):
        raise ValidationError({"sign_off": "The current translation is already signed off."})
    translation.sign_off = SignOff.objects.create(
        content_type=ContentType.objects.get_for_model(Translation),
        object_id=translation.pk,
        entry_version=entry.version,
        text_digest=digest,
        reviewer=reviewer,
        signed_by=actor,
        reviewed_on=timezone.localdate(),
        note=note,
    )
    translation.source_digest = entry.text_digest
    translation.save()
    return translation


def translation_publishing_problem(translation, entry):
    """Return why the translation as it is cannot be published, or None."""
    missing = entry.untranslated_fields(translation.language)
    if missing:
        return f"The translation has no {', '.join(missing)}."
    sign_off = translation.sign_off
    if sign_off is None or sign_off.text_digest != entry.translated_text_digest(
        translation.language
    ):
        return "Publishing needs a medical reviewer's sign-off of the current translation."
    if translation.is_out_of_date(entry):
        return (
            "The English text changed after the sign-off: bring the translation up to date "
            "and have it signed off again."
        )
    if (
        translation.text_author_id is not None
        and sign_off.signed_by_id == translation.text_author_id
    ):
        return "The sign-off must come from someone other than the translation's last author."
    return None


@transaction.atomic
def translation_move(*, translation, target, actor):
    """Move the translation to `target` ("in_review", "published", "draft") if allowed."""
    entry = _translated_entry(translation)
    translation = Translation.objects.select_for_update().get(pk=translation.pk)
    check_translation_move(translation.status, target)
    if target == TranslationStatus.PUBLISHED:
        if not actor.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("Publishing needs the permission 'Can publish content'.")
        problem = translation_publishing_problem(translation, entry)
        if problem:
            raise ValidationError({"status": ValidationError(problem, code="not_signed_off")})
    translation.status = target
    translation.save()
    return translation


def plug_in():
    """Have the entry machinery's write serializer and viewset write through these services."""
    writing.plug_in(create=entry_create, update=entry_update, delete=entry_delete)
