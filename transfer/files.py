"""
Read content kept as files: Markdown with YAML front matter, and a taxonomy YAML file.

What is read knows where it came from: every mapping is a `Located` dict holding the line
of each of its keys in the file, so a problem found later can name the file and the line.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from content import registry


class ContentFileError(ValueError):
    """A file that cannot be read at all, at a line of it."""

    def __init__(self, path, line, message):
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {message}")


class Located(dict):
    """A mapping read from YAML that remembers the line (1-based) of each of its keys."""

    line = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


class _LocatingLoader(yaml.SafeLoader):
    """Safe YAML whose mappings are `Located` and refuse a key given twice."""

    def construct_located_mapping(self, node):
        data = Located()
        data.line = node.start_mark.line + 1
        yield data
        data.update(self.construct_mapping(node))
        for key_node, _value in node.value:
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in data.key_lines:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key!r} is given twice (first on line {data.key_lines[key]})",
                    key_node.start_mark,
                )
            data.key_lines[key] = line


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _LocatingLoader.construct_located_mapping)


def load_yaml(text, path, *, first_line=1):
    """Parse YAML that starts at `first_line` of the file `path`; mappings are `Located`."""
    try:
        # Blank lines in front make YAML's own line numbers those of the file.
        return yaml.load("\n" * (first_line - 1) + text, Loader=_LocatingLoader)  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(part for part in (error.context, error.problem) if part)
        raise ContentFileError(path, mark.line + 1 if mark else first_line, detail) from None
    except yaml.YAMLError as error:
        raise ContentFileError(path, first_line, str(error)) from None


def read_text(path):
    """Read a UTF-8 file; a byte that is not UTF-8 is an error at its line."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentFileError(path, line, f"not UTF-8 text ({error.reason}).") from None


@dataclass(frozen=True)
class ContentFile:
    slug: str
    front_matter: Located
    body: str
    path: Path
    # The line of the file on which the body's text begins.
    body_line: int = 1


def read_content_file(path):
    """Split a file into its YAML front matter and Markdown body; the file name is the slug."""
    text = read_text(path)
    if not text.startswith("---\n"):
        raise ContentFileError(path, 1, "must start with a '---' front matter line.")
    header, separator, body = text[4:].partition("\n---\n")
    if not separator:
        raise ContentFileError(path, 1, "the front matter has no closing '---' line.")
    front_matter = load_yaml(header, path, first_line=2)
    if front_matter is None:
        front_matter = Located()
    if not isinstance(front_matter, Located):
        raise ContentFileError(path, 2, "the front matter must be a mapping.")
    stripped = body.lstrip()
    body_line = (
        text[: len(text) - len(body)].count("\n")
        + body[: len(body) - len(stripped)].count("\n")
        + 1
    )
    return ContentFile(Path(path).stem, front_matter, body.strip() + "\n", Path(path), body_line)


def read_yaml(path):
    data = load_yaml(read_text(path), path)
    if data is None:
        return Located()
    if not isinstance(data, Located):
        raise ContentFileError(path, 1, "must be a mapping of sections.")
    return data


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


def content_kinds():
    """
    The registered content types that have content files, in registration order: a folder
    each, named as its URL prefix, with the fields its model declares (`file_*`).
    """
    return [
        ContentKind(
            content_type.prefix,
            content_type.model._meta.label,
            content_type.model.file_body_field,
            tuple(content_type.model.file_fields),
            dict(content_type.model.file_nested),
        )
        for content_type in registry.content_types()
        if content_type.model.file_body_field
    ]


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
