"""The schema's YAML: drf-spectacular's document, written compactly."""

import yaml
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
)

# A mapping of scalars goes on one line when it is this short, written out.
FLOW_LENGTH = 80


def _is_scalar(value):
    return not isinstance(value, dict | list)


def _length(value):
    """About how long `value` is written inline."""
    if _is_scalar(value):
        return len(str(value)) + 2
    items = [*value, *value.values()] if isinstance(value, dict) else value
    return sum(map(_length, items)) + 2


def _fits_on_a_line(value):
    return _length(value) <= FLOW_LENGTH


class CompactDumper(yaml.SafeDumper):
    """Write lists of scalars inline (`enum: [draft, published]`), and the mappings of scalars
    that fit on a line: references (`{$ref: ...}`), `{type: string, minLength: 1}`."""

    def ignore_aliases(self, data):
        # No anchors: some generators refuse them, and JSON has none.
        return True


def _represent_mapping(dumper, data):
    flow = _fits_on_a_line(data)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


def _represent_list(dumper, data):
    flow = all(map(_is_scalar, data)) or _fits_on_a_line(data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", data, style="|" if "\n" in data else None
    )


CompactDumper.add_representer(dict, _represent_mapping)
CompactDumper.add_representer(list, _represent_list)
CompactDumper.add_representer(str, _represent_str)


class CompactYamlRenderer(OpenApiYamlRenderer):
    """
    The same document as drf-spectacular's YAML, in about four fifths of the lines: a
    reference or an enum takes one line, not two to twelve, so openapi.yaml reads (and diffs)
    operation by operation.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        document = yaml.safe_load(super().render(data, accepted_media_type, renderer_context))
        text = yaml.dump(
            document, Dumper=CompactDumper, sort_keys=False, allow_unicode=True, width=100
        )
        return text.encode()


class CompactYamlRenderer2(CompactYamlRenderer):
    media_type = "application/yaml"


# What /api/schema/ answers in, as drf-spectacular's view does, with the YAML compact.
SCHEMA_RENDERERS = [
    CompactYamlRenderer,
    CompactYamlRenderer2,
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
]
