"""Read content kept as files: Markdown with YAML front matter, and a taxonomy YAML file."""

from dataclasses import dataclass
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
