"""
Translations in content files: `<folder>/<language>/<prefix>/<slug>.md`, the entry's reviewed
fields in that language (its Markdown body, the rest in the front matter) and the review
fields, as in the entry's own file; conditions, topics, safety notices and images' alt text in
`<folder>/<language>/taxonomy.yaml`. `load_demo_content` loads demo/translations/.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from editorial.free_text_review import PLACEHOLDER_MARK
from editorial.services import translation_save
from publishing.models import Reviewer, SignOff, Translation, TranslationStatus
from publishing.translatable import translated_columns, translation_languages
from transfer.files import ContentFileError, content_kinds, load_yaml, read_content_file

# The translations of what is not a content file, in `<folder>/<language>/taxonomy.yaml`: by
# section, the model and the key its entries are found by.
SHARED_SECTIONS = {
    "conditions": ("taxonomy.Condition", "slug"),
    "topics": ("taxonomy.Topic", "slug"),
    "safety_notices": ("taxonomy.SafetyNotice", "slug"),
    "images": ("images.Image", "slug"),
}


def load_translations(folder):
    """Load every translation file under `folder`; return how many translations changed."""
    changed = 0
    for language in translation_languages():
        for kind in content_kinds():
            model = apps.get_model(kind.model)
            if not translated_columns(model, kind.body_field):
                continue
            for path in sorted((folder / language / kind.folder).glob("*.md")):
                file = read_content_file(path)
                entry = model.objects.filter(slug=file.slug).first()
                if entry is None:
                    raise ContentFileError(
                        file.path, 1, f"there is no {kind.folder} entry '{file.slug}'."
                    )
                meta = file.front_matter
                fields = {
                    name: meta[name] for name in entry.translated_reviewed_fields() if name in meta
                }
                fields[kind.body_field] = file.body.strip()
                changed += _load(entry, language, fields, meta)
        shared = folder / language / "taxonomy.yaml"
        if shared.exists():
            changed += _load_shared(shared, language)
    return changed


def _load_shared(path, language):
    """
    Load the translations of conditions, topics, safety notices and images' alt text: one
    review (reviewer and date) for the file, each entry's translated fields, and an optional
    `review_note` that its sign-off keeps (what is still to check).
    """
    document = load_yaml(path.read_text(), path)
    changed = 0
    for section, (label, key) in SHARED_SECTIONS.items():
        model = apps.get_model(label)
        for item in document.get(section, ()):
            entry = model.objects.filter(**{key: item[key]}).first()
            if entry is None:
                raise ContentFileError(
                    path, item.line, f"there is no {section} entry '{item[key]}'."
                )
            fields = {
                name: item[name] for name in entry.translated_reviewed_fields() if name in item
            }
            review = {**document, "review_note": item.get("review_note", "")}
            changed += _load(entry, language, fields, review)
    return changed


@transaction.atomic
def _load(entry, language, fields, review):
    """
    Write one translation, signed off by the reviewer `review` names and published, unless
    it is so already. Like an import, this reproduces a state: it makes no workflow move.
    """
    translation = Translation.objects.of(entry).filter(language=language).first()
    if (
        translation is not None
        and translation.status == TranslationStatus.PUBLISHED
        and not translation.is_out_of_date(entry)
        and all(getattr(entry, f"{name}_{language}") == value for name, value in fields.items())
    ):
        return 0
    translation = translation_save(entry=entry, language=language, fields=fields, actor=None)
    entry.refresh_from_db()
    name, credentials = review["reviewer_name"], review["reviewer_credentials"]
    reviewer, _ = Reviewer.objects.get_or_create(
        name=name,
        credentials=credentials,
        defaults={"is_placeholder": PLACEHOLDER_MARK in f"{name} {credentials}".lower()},
    )
    note = "Carried over from the translation file's review fields."
    if review.get("review_note"):
        note = f"{note} To review: {review['review_note']}"
    translation.sign_off = SignOff.objects.create(
        content_type=ContentType.objects.get_for_model(Translation),
        object_id=translation.pk,
        entry_version=entry.version,
        text_digest=entry.translated_text_digest(language),
        reviewer=reviewer,
        signed_by=None,
        reviewed_on=review["last_reviewed"],
        note=note[:300],
    )
    translation.source_digest = entry.text_digest
    translation.status = TranslationStatus.PUBLISHED
    translation.save()
    return 1
