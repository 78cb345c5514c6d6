"""Read content kept as files: Markdown with YAML front matter, and a taxonomy YAML file."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml


class ContentFileError(ValueError):
    pass


@dataclass(frozen=True)
class ContentFile:
    slug: str
    front_matter: dict
    body: str
    path: Path


def read_content_file(path):
    """Split a file into its YAML front matter and Markdown body; the file name is the slug."""
    text = Path(path).read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentFileError(f"{path}: must start with a '---' front matter line.")
    try:
        header, body = text[4:].split("\n---\n", 1)
        front_matter = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as error:
        raise ContentFileError(f"{path}: unreadable front matter ({error}).") from error
    if not isinstance(front_matter, dict):
        raise ContentFileError(f"{path}: front matter must be a mapping.")
    return ContentFile(Path(path).stem, front_matter, body.strip() + "\n", Path(path))


def read_content_folder(folder):
    return [read_content_file(path) for path in sorted(Path(folder).glob("*.md"))]


def read_yaml(path):
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


# What goes where: each content folder, its model, the field its Markdown body fills, and the
# fields its front matter carries. Research citations sit in a nested `citation` mapping.
@dataclass(frozen=True)
class ContentKind:
    folder: str
    model: str
    body_field: str
    fields: tuple
    nested: dict = field(default_factory=dict)


PUBLISHING_FIELDS = (
    "status",
    "published_at",
    "reviewer_name",
    "reviewer_credentials",
    "last_reviewed",
)
CONTENT_KINDS = (
    ContentKind("articles", "articles.Article", "body", ("title", "summary", "author")),
    ContentKind("faqs", "articles.FAQ", "answer", ("question", "order")),
    ContentKind(
        "research",
        "research.ResearchSummary",
        "body",
        (
            "title",
            "summary",
            "key_findings",
            "limitations",
            "study_design",
            "population",
            "sample_size",
            "intervention",
            "comparator",
            "evidence_level",
            "grade_certainty",
        ),
        nested={
            "citation": {
                "authors": "citation_authors",
                "title": "citation_title",
                "journal": "journal",
                "year": "year",
                "volume": "volume",
                "issue": "issue",
                "pages": "pages",
                "doi": "doi",
                "pmid": "pmid",
                "url": "url",
            }
        },
    ),
)
TAG_RELATIONS = ("conditions", "topics")
TAXONOMY_KINDS = {
    "conditions": (
        "taxonomy.Condition",
        ("name", "description", "other_names", "icd10cm", "snomed_ct", "mesh"),
    ),
    "topics": ("taxonomy.Topic", ("name", "description", "other_names")),
    "safety_notices": (
        "taxonomy.SafetyNotice",
        ("title", "body", "severity", "applies_everywhere", "order", "is_active"),
    ),
}


def write_content_file(path, front_matter, body):
    """Write Markdown with YAML front matter, in the form read_content_file reads."""
    header = yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True, width=100)
    Path(path).write_text(f"---\n{header}---\n{body.strip()}\n", encoding="utf-8")


def write_yaml(path, data):
    Path(path).write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
