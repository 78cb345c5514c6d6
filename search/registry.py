"""Which models are searchable, and under which result type."""

from dataclasses import dataclass

_TYPES = {}


@dataclass(frozen=True)
class IndexComponents:
    """What an item contributes to the index, slot by slot (see `search.models.Weight`)."""

    title: str
    summary: str
    body: str


def register(model):
    """
    Make a content model searchable, as results of its `reference_type` ("article").

    The model must define `index_components()` returning `IndexComponents`, and have
    `conditions` and `topics` relations; the index follows its saves from now on.
    """
    from search import indexing

    _TYPES[model] = model.reference_type
    indexing.connect(model)


def type_of(model):
    return _TYPES[model]


def searchable_models():
    return dict(_TYPES)
