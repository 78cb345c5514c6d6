"""
Export every entry to a folder of Markdown files with YAML front matter, and import it back.

The folder has the layout of demo/: taxonomy.yaml (conditions, topics, safety notices) and
one file per entry in articles/, faqs/ and research/, named by slug, in every state. An import
reads and validates everything before it writes anything, and lists every problem, each at
its file and line: a slug given twice, a key given twice, characters the database cannot
store (NUL), values the models refuse.
"""

from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from content.models import Status
from editorial.free_text_review import adopt_free_text_review
from entries.history import record_revision
from glossary.marking import remarking_held
from publishing.changes import content_write_lock
from publishing.models import Reviewer, SignOff
from transfer.files import (
    PUBLISHING_FIELDS,
    TAG_RELATIONS,
    TAXONOMY_KINDS,
    ContentFileError,
    Located,
    content_kinds,
    read_content_file,
    read_yaml,
    write_content_file,
    write_yaml,
)


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
    path: str = ""
    label: str = ""  # which item of the file, such as "conditions[2]"
    line: int = 1
    lines: dict = field(default_factory=dict)  # field name -> line in the file
    refused: set = field(default_factory=set)  # fields left out for a problem already listed

    def at(self, name=None):
        """Where the field `name` (or the entry) is given: "path:line: label"."""
        where = f"{self.path}:{self.lines.get(name, self.line)}"
        return f"{where}: {self.label}" if self.label else where


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
    for kind in content_kinds():
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


# Text PostgreSQL cannot store (NUL), or that no encoding can (lone surrogates).
def _unstorable(value):
    """Describe the first character of `value` (a string, or strings nested in lists and
    mappings) that a database cannot store; None if there is none."""
    if isinstance(value, str):
        for character in value:
            if character == "\x00" or "\ud800" <= character <= "\udfff":
                return f"U+{ord(character):04X}"
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next(filter(None, map(_unstorable, value)), None)
    return None


def _unstorable_problem(value):
    found = _unstorable(value)
    if found is None:
        return None
    name = "NUL" if found == "U+0000" else "surrogate"
    return f"contains a {name} character ({found}), which the database cannot store."


def _fields(planned, values, problems):
    """Convert raw values for the model; the bad ones are problems and left out."""
    converted = {}
    for name, raw in values.items():
        unstorable = _unstorable_problem(raw)
        if unstorable:
            problems.append(f"{planned.at(name)}: {name}: {unstorable}")
            planned.refused.add(name)
            continue
        try:
            converted[name] = _convert(planned.model._meta.get_field(name), raw)
        except ValidationError as error:
            problems.extend(f"{planned.at(name)}: {name}: {message}" for message in error.messages)
            planned.refused.add(name)
    return converted


def _relations(planned, raw, problems):
    relations = {}
    for name, slugs in raw.items():
        if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
            problems.append(f"{planned.at(name)}: {name}: give a list of slugs.")
            slugs = []
        elif unstorable := _unstorable_problem(slugs):
            problems.append(f"{planned.at(name)}: {name}: {unstorable}")
            slugs = []
        relations[name] = slugs
    return relations


def _plan(planned, values, relations, problems):
    planned.fields = _fields(planned, values, problems)
    planned.relations = _relations(planned, relations, problems)
    return planned


def _read_taxonomy(folder, problems):
    path = folder / "taxonomy.yaml"
    if not path.exists():
        return []
    try:
        taxonomy = read_yaml(path)
    except ContentFileError as error:
        problems.append(str(error))
        return []
    for key in sorted(set(taxonomy) - set(TAXONOMY_KINDS), key=str):
        problems.append(f"{path}:{taxonomy.line_of(key)}: {key}: unknown section.")
    plan = []
    for key, (label, names) in TAXONOMY_KINDS.items():
        model = apps.get_model(label)
        items = taxonomy.get(key) or []
        if not isinstance(items, list):
            problems.append(f"{path}:{taxonomy.line_of(key)}: {key}: give a list of items.")
            continue
        for index, item in enumerate(items):
            if not isinstance(item, Located):
                problems.append(f"{path}:{taxonomy.line_of(key)}: {key}[{index}]: not a mapping.")
                continue
            planned = PlannedEntry(
                model,
                "",
                {},
                path=str(path),
                label=f"{key}[{index}]",
                line=item.line,
                lines=dict(item.key_lines),
            )
            allowed = {"slug", *names, *(("conditions",) if key == "safety_notices" else ())}
            for name in sorted(set(item) - allowed, key=str):
                problems.append(f"{planned.at(name)}: {name}: unknown field.")
            slug = item.get("slug", "")
            if unstorable := _unstorable_problem(slug):
                problems.append(f"{planned.at('slug')}: slug: {unstorable}")
                continue
            planned.slug = str(slug)
            values = {name: item[name] for name in names if name in item}
            relations = (
                {"conditions": item.get("conditions") or []} if "conditions" in allowed else {}
            )
            plan.append(_plan(planned, values, relations, problems))
    return plan


def _read_entries(folder, kind, problems):
    model = apps.get_model(kind.model)
    plan = []
    for path in sorted((folder / kind.folder).glob("*.md")):
        try:
            entry = read_content_file(path)
        except ContentFileError as error:
            problems.append(str(error))
            continue
        meta = entry.front_matter
        nested = {}
        lines = {name: meta.line_of(name) for name in meta}
        for key, mapping in kind.nested.items():
            nested[key] = meta.get(key) or Located()
            if not isinstance(nested[key], Located):
                problems.append(f"{path}:{meta.line_of(key)}: {key}: give a mapping.")
                nested[key] = Located()
            lines.update({inner: nested[key].line_of(outer) for outer, inner in mapping.items()})
        lines[kind.body_field] = entry.body_line
        planned = PlannedEntry(model, entry.slug, {}, path=str(path), line=1, lines=lines)
        allowed = {*kind.fields, *PUBLISHING_FIELDS, *TAG_RELATIONS, *kind.nested}
        for name in sorted(set(meta) - allowed, key=str):
            problems.append(f"{planned.at(name)}: {name}: unknown field.")
        values = {name: meta[name] for name in (*kind.fields, *PUBLISHING_FIELDS) if name in meta}
        values.setdefault("status", Status.PUBLISHED)  # as in demo/: no status, published
        for key, mapping in kind.nested.items():
            for name in sorted(set(nested[key]) - set(mapping), key=str):
                problems.append(f"{path}:{nested[key].line_of(name)}: {key}.{name}: unknown field.")
            values.update({mapping[k]: v for k, v in nested[key].items() if k in mapping})
        body_problem = _unstorable_problem(entry.body)
        if body_problem:
            index = next(i for i, c in enumerate(entry.body) if _unstorable(c))
            line = entry.body_line + entry.body[:index].count("\n")
            problems.append(f"{path}:{line}: {kind.body_field}: {body_problem}")
            planned.refused.add(kind.body_field)
        else:
            # Stored trimmed, as the admin and the API store what editors type.
            values[kind.body_field] = entry.body.strip()
        relations = {name: meta.get(name) or [] for name in TAG_RELATIONS}
        plan.append(_plan(planned, values, relations, problems))
    return plan


def _read_plan(folder, problems):
    folder = Path(folder)
    plan = _read_taxonomy(folder, problems)
    for kind in content_kinds():
        plan += _read_entries(folder, kind, problems)
    _refuse_duplicates(plan, problems)
    return plan


def _refuse_duplicates(plan, problems):
    """A slug given twice for one kind of entry: the second would silently replace the first."""
    first = {}
    for planned in plan:
        key = (planned.model, planned.slug)
        if key not in first:
            first[key] = planned
            continue
        earlier = first[key]
        where = f"{earlier.path}:{earlier.lines.get('slug', earlier.line)}"
        problems.append(
            f"{planned.at('slug')}: slug: {planned.slug!r} is given twice; "
            f"first at {where}{f' ({earlier.label})' if earlier.label else ''}."
        )


def _validate(plan, problems):
    """Check every planned entry on its model and every tag it names; collect the problems."""
    known_tags = {}
    for name, label in (("conditions", "taxonomy.Condition"), ("topics", "taxonomy.Topic")):
        known_tags[name] = set(apps.get_model(label).objects.values_list("slug", flat=True))
        known_tags[name] |= {p.slug for p in plan if p.model._meta.label == label}
    for planned in plan:
        for relation, slugs in planned.relations.items():
            for slug in sorted(set(slugs) - known_tags[relation]):
                problems.append(f"{planned.at(relation)}: {relation}: no such slug {slug!r}.")
        instance = _instance(planned)
        try:
            instance.full_clean(exclude=planned.refused)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.extend(f"{planned.at(name)}: {name}: {message}" for message in messages)


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
    """
    Create or update every planned entry by slug, in one transaction and one revision.

    A write the database still refuses rolls everything back, reported at its file.
    """
    changed = 0
    with transaction.atomic(), reversion.create_revision(), remarking_held():
        content_write_lock()
        for planned in _progress(plan, "Importing", show_progress):
            try:
                changed += _apply(planned)
            except DatabaseError as error:
                raise ImportProblems(
                    [f"{planned.at()}: the database refused it: {error}"]
                ) from None
        record_revision(actor=actor, comment=comment)
    return changed


def _apply(planned):
    """Write one planned entry if it differs from what is stored; return 1 if it did."""
    instance = _instance(planned)
    relations = {
        name: list(planned.model._meta.get_field(name).related_model.objects.filter(slug__in=slugs))
        for name, slugs in planned.relations.items()
    }
    if instance.pk is not None and not _differs(instance, planned, relations):
        return 0
    instance.save()
    for name, tags in relations.items():
        getattr(instance, name).set(tags)
    # Content files carry their entry's review; tags and notices have none of their own.
    if hasattr(instance, "reviewer_name"):
        adopt_free_text_review(
            instance,
            reviewer_model=Reviewer,
            sign_off_model=SignOff,
            content_type=ContentType.objects.get_for_model(instance),
            fields=instance.reviewed_fields,
        )
    return 1


def _differs(instance, planned, relations):
    stored = planned.model.objects.get(pk=instance.pk)
    if any(getattr(stored, name) != value for name, value in planned.fields.items()):
        return True
    return any(
        set(getattr(stored, name).values_list("pk", flat=True)) != {t.pk for t in tags}
        for name, tags in relations.items()
    )
