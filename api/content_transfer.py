"""
Export every entry to a folder of Markdown files with YAML front matter, and import it back.

The folder has the layout of demo/: taxonomy.yaml (conditions, topics, safety notices) and
one file per entry in articles/, faqs/ and research/, named by slug, in every state. An import
reads and validates everything before it writes anything, and lists every problem.
"""

from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from api.content_files import (
    CONTENT_KINDS,
    PUBLISHING_FIELDS,
    TAG_RELATIONS,
    TAXONOMY_KINDS,
    ContentFileError,
    read_content_folder,
    read_yaml,
    write_content_file,
    write_yaml,
)
from editorial.history import record_revision
from editorial.models import Status


class ImportProblems(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class PlannedEntry:
    model: type
    slug: str
    fields: dict
    relations: dict = field(default_factory=dict)  # relation name -> tag slugs
    source: str = ""


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _progress(items, desc, show):
    return tqdm(items, desc=desc, unit="entry", disable=not show, leave=False)


def export_content(folder, *, show_progress=False):
    """Write every entry and the taxonomy to `folder`; return how many entries were written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    taxonomy = {}
    for key, (label, names) in TAXONOMY_KINDS.items():
        model = apps.get_model(label)
        taxonomy[key] = []
        for item in model.objects.order_by("slug"):
            data = {"slug": item.slug, **{name: _plain(getattr(item, name)) for name in names}}
            if key == "safety_notices":
                data["conditions"] = sorted(item.conditions.values_list("slug", flat=True))
            taxonomy[key].append(data)
    write_yaml(folder / "taxonomy.yaml", taxonomy)
    written = 0
    for kind in CONTENT_KINDS:
        model = apps.get_model(kind.model)
        (folder / kind.folder).mkdir(exist_ok=True)
        entries = model.objects.prefetch_related(*TAG_RELATIONS).order_by("slug")
        for entry in _progress(entries, f"Exporting {kind.folder}", show_progress):
            front = {name: _plain(getattr(entry, name)) for name in kind.fields}
            for key, mapping in kind.nested.items():
                front[key] = {
                    outer: _plain(getattr(entry, inner)) for outer, inner in mapping.items()
                }
            for relation in TAG_RELATIONS:
                front[relation] = sorted(tag.slug for tag in getattr(entry, relation).all())
            front.update({name: _plain(getattr(entry, name)) for name in PUBLISHING_FIELDS})
            write_content_file(
                folder / kind.folder / f"{entry.slug}.md", front, getattr(entry, kind.body_field)
            )
            written += 1
    return written


def _convert(model_field, raw):
    if raw is None:
        if model_field.null:
            return None
        return "" if isinstance(model_field, (models.CharField, models.TextField)) else raw
    if isinstance(model_field, models.DateTimeField):
        value = parse_datetime(str(raw))
        if value is None:
            raise ValidationError("Give an ISO 8601 date-time, such as 2026-01-31T09:00:00Z.")
        return value
    if isinstance(model_field, models.DateField):
        value = parse_date(str(raw))
        if value is None:
            raise ValidationError("Give an ISO 8601 date, such as 2026-01-31.")
        return value
    if isinstance(model_field, (models.CharField, models.TextField)):
        return str(raw)
    return raw


def _fields(model, values, problems, source):
    converted = {}
    for name, raw in values.items():
        try:
            converted[name] = _convert(model._meta.get_field(name), raw)
        except ValidationError as error:
            problems.extend(f"{source}: {name}: {message}" for message in error.messages)
    return converted


def _read_plan(folder, problems):
    folder = Path(folder)
    plan = []
    taxonomy_path = folder / "taxonomy.yaml"
    taxonomy = read_yaml(taxonomy_path) if taxonomy_path.exists() else {}
    for key in sorted(set(taxonomy) - set(TAXONOMY_KINDS)):
        problems.append(f"{taxonomy_path}: {key}: unknown section.")
    for key, (label, names) in TAXONOMY_KINDS.items():
        model = apps.get_model(label)
        for index, item in enumerate(taxonomy.get(key) or []):
            source = f"{taxonomy_path}: {key}[{index}]"
            allowed = {"slug", *names, *(("conditions",) if key == "safety_notices" else ())}
            for name in sorted(set(item) - allowed):
                problems.append(f"{source}: {name}: unknown field.")
            values = {name: item[name] for name in names if name in item}
            relations = (
                {"conditions": item.get("conditions") or []} if "conditions" in allowed else {}
            )
            plan.append(
                PlannedEntry(
                    model,
                    str(item.get("slug", "")),
                    _fields(model, values, problems, source),
                    relations,
                    source,
                )
            )
    for kind in CONTENT_KINDS:
        model = apps.get_model(kind.model)
        try:
            files = read_content_folder(folder / kind.folder)
        except ContentFileError as error:
            problems.append(str(error))
            continue
        for entry in files:
            meta = entry.front_matter
            nested = {key: meta.get(key) or {} for key in kind.nested}
            allowed = {*kind.fields, *PUBLISHING_FIELDS, *TAG_RELATIONS, *kind.nested}
            for name in sorted(set(meta) - allowed):
                problems.append(f"{entry.path}: {name}: unknown field.")
            values = {
                name: meta[name] for name in (*kind.fields, *PUBLISHING_FIELDS) if name in meta
            }
            values.setdefault("status", Status.PUBLISHED)  # as in demo/: no status, published
            for key, mapping in kind.nested.items():
                for name in sorted(set(nested[key]) - set(mapping)):
                    problems.append(f"{entry.path}: {key}.{name}: unknown field.")
                values.update({mapping[k]: v for k, v in nested[key].items() if k in mapping})
            # Stored trimmed, as the admin and the API store what editors type.
            values[kind.body_field] = entry.body.strip()
            relations = {name: meta.get(name) or [] for name in TAG_RELATIONS}
            plan.append(
                PlannedEntry(
                    model,
                    entry.slug,
                    _fields(model, values, problems, str(entry.path)),
                    relations,
                    str(entry.path),
                )
            )
    return plan


def _validate(plan, problems):
    """Check every planned entry on its model and every tag it names; collect the problems."""
    known_tags = {}
    for name, label in (("conditions", "taxonomy.Condition"), ("topics", "taxonomy.Topic")):
        known_tags[name] = set(apps.get_model(label).objects.values_list("slug", flat=True))
        known_tags[name] |= {p.slug for p in plan if p.model._meta.label == label}
    for planned in plan:
        for relation, slugs in planned.relations.items():
            for slug in set(slugs) - known_tags[relation]:
                problems.append(f"{planned.source}: {relation}: no such slug {slug!r}.")
        instance = _instance(planned)
        try:
            instance.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.extend(f"{planned.source}: {name}: {message}" for message in messages)


def _instance(planned):
    instance = planned.model.objects.filter(slug=planned.slug).first() or planned.model(
        slug=planned.slug
    )
    for name, value in planned.fields.items():
        setattr(instance, name, value)
    return instance


def plan_import(folder):
    """Read and validate a folder; return the plan, or raise ImportProblems listing them all."""
    problems = []
    plan = _read_plan(folder, problems)
    _validate(plan, problems)
    if problems:
        raise ImportProblems(problems)
    return plan


def apply_import(plan, *, actor=None, comment="Imported.", show_progress=False):
    """Create or update every planned entry by slug, in one transaction and one revision."""
    changed = 0
    with transaction.atomic(), reversion.create_revision():
        for planned in _progress(plan, "Importing", show_progress):
            instance = _instance(planned)
            relations = {
                name: list(
                    planned.model._meta.get_field(name).related_model.objects.filter(slug__in=slugs)
                )
                for name, slugs in planned.relations.items()
            }
            if instance.pk is not None and not _differs(instance, planned, relations):
                continue
            instance.save()
            for name, tags in relations.items():
                getattr(instance, name).set(tags)
            changed += 1
        record_revision(actor=actor, comment=comment)
    return changed


def _differs(instance, planned, relations):
    stored = planned.model.objects.get(pk=instance.pk)
    if any(getattr(stored, name) != value for name, value in planned.fields.items()):
        return True
    return any(
        set(getattr(stored, name).values_list("pk", flat=True)) != {t.pk for t in tags}
        for name, tags in relations.items()
    )
