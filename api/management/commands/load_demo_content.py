"""Load the demo content in demo/ into the database; running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from api.content_files import read_content_folder, read_yaml
from articles.models import FAQ, Article
from editorial.models import Status
from research.models import ResearchSummary
from taxonomy.models import Condition, SafetyNotice, Topic

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


def _sync(model, slug, fields, relations):
    """Create or update one item, saving only when something differs (so dates stay put)."""
    item = model.objects.filter(slug=slug).first() or model(slug=slug)
    changed = item.pk is None
    for name, value in fields.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    current = {}
    if item.pk is not None:
        current = {name: set(getattr(item, name).all()) for name in relations}
    changed = changed or any(current.get(name) != set(tags) for name, tags in relations.items())
    if not changed:
        return False
    item.full_clean(exclude=list(relations))
    item.save()
    for name, tags in relations.items():
        getattr(item, name).set(tags)
    return True


def _tags(model, slugs, source):
    tags = list(model.objects.filter(slug__in=slugs or []))
    missing = set(slugs or []) - {tag.slug for tag in tags}
    if missing:
        raise ValueError(f"{source}: unknown {model._meta.verbose_name} {sorted(missing)}")
    return tags


def _publishing(meta):
    return {
        "status": meta.get("status", Status.PUBLISHED),
        "published_at": parse_datetime(str(meta["published_at"])),
        "reviewer_name": meta.get("reviewer_name", ""),
        "reviewer_credentials": meta.get("reviewer_credentials", ""),
        "last_reviewed": parse_date(str(meta["last_reviewed"]))
        if meta.get("last_reviewed")
        else None,
    }


def _relations(meta, source):
    return {
        "conditions": _tags(Condition, meta.get("conditions"), source),
        "topics": _tags(Topic, meta.get("topics"), source),
    }


class Command(BaseCommand):
    help = "Load the demo articles, FAQs, research summaries and taxonomy from demo/."

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=DEMO_DIR)

    @transaction.atomic
    def handle(self, *args, folder, **options):
        taxonomy = read_yaml(folder / "taxonomy.yaml")
        changes = 0
        for model, key in ((Condition, "conditions"), (Topic, "topics")):
            for tag in taxonomy.get(key, []):
                fields = {k: v for k, v in tag.items() if k != "slug"}
                changes += _sync(model, tag["slug"], fields, {})
        for notice in taxonomy.get("safety_notices", []):
            fields = {k: v for k, v in notice.items() if k not in {"slug", "conditions"}}
            relations = {"conditions": _tags(Condition, notice.get("conditions"), notice["slug"])}
            changes += _sync(SafetyNotice, notice["slug"], fields, relations)

        for entry in read_content_folder(folder / "articles"):
            meta = entry.front_matter
            fields = {
                "title": meta["title"],
                "summary": meta["summary"],
                "author": meta.get("author", ""),
                "body": entry.body,
                **_publishing(meta),
            }
            changes += _sync(Article, entry.slug, fields, _relations(meta, entry.path))

        for entry in read_content_folder(folder / "faqs"):
            meta = entry.front_matter
            fields = {
                "question": meta["question"],
                "answer": entry.body,
                "order": meta.get("order", 0),
                **_publishing(meta),
            }
            changes += _sync(FAQ, entry.slug, fields, _relations(meta, entry.path))

        for entry in read_content_folder(folder / "research"):
            meta = entry.front_matter
            citation = meta.get("citation", {})
            fields = {
                "title": meta["title"],
                "summary": meta["summary"],
                "body": entry.body,
                "key_findings": meta.get("key_findings", []),
                "limitations": meta.get("limitations", ""),
                "study_design": meta["study_design"],
                "evidence_level": str(meta["evidence_level"]),
                "grade_certainty": meta.get("grade_certainty", ""),
                "population": meta.get("population", ""),
                "sample_size": str(meta.get("sample_size", "")),
                "intervention": meta.get("intervention", ""),
                "comparator": meta.get("comparator", ""),
                "citation_authors": citation.get("authors", ""),
                "citation_title": citation.get("title", ""),
                "journal": citation.get("journal", ""),
                "year": citation.get("year"),
                "volume": str(citation.get("volume", "")),
                "issue": str(citation.get("issue", "")),
                "pages": str(citation.get("pages", "")),
                "doi": citation.get("doi", ""),
                "pmid": str(citation.get("pmid", "")),
                "url": citation.get("url", ""),
                **_publishing(meta),
            }
            changes += _sync(ResearchSummary, entry.slug, fields, _relations(meta, entry.path))

        self.stdout.write(f"Demo content loaded: {changes} item(s) created or changed.")
