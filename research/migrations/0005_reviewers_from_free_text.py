"""Turn the free-text reviewer of every research summary into a Reviewer record and a sign-off."""

from django.db import migrations

from editorial.free_text_review import adopt_free_text_review

# The reviewed fields as they are at this migration (ResearchSummary.reviewed_fields).
REVIEWED_FIELDS = {
    "researchsummary": (
        "title",
        "summary",
        "body",
        "key_findings",
        "limitations",
        "study_design",
        "population",
        "sample_size",
        "intervention",
        "comparator",
        "evidence_level",
        "grade_certainty",
        "doi",
        "pmid",
    )
}


def adopt_reviews(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model_name, fields in REVIEWED_FIELDS.items():
        model = apps.get_model("research", model_name)
        content_type, _ = content_types.objects.get_or_create(
            app_label="research", model=model_name
        )
        for entry in model._base_manager.order_by("pk"):
            adopt_free_text_review(
                entry,
                reviewer_model=apps.get_model("editorial", "Reviewer"),
                sign_off_model=apps.get_model("editorial", "SignOff"),
                content_type=content_type,
                fields=fields,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0004_sign_off_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0002_reviewer_signoff"),
    ]

    operations = [migrations.RunPython(adopt_reviews, migrations.RunPython.noop)]
