"""
The one registry of content types: articles, FAQs, research summaries, glossary entries ...

A content app registers each of its models once, in its `AppConfig.ready()`; everything that
serves every type (the router, sync, preview, references and hubs, search, the schema's type
lists) reads this registry instead of naming the types. Adding a type is a new app and one
`register()` call. Registration order is listing order everywhere: INSTALLED_APPS order, then
the order of the calls.

The README's Layout section shows a registration. (Not Django's contenttypes: that framework
names every model; this names the content types the API serves.)
"""

from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.utils.module_loading import import_string

_TYPES = {}
_SUBSCRIBERS = []


def _resolved(value):
    return import_string(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class RegisteredType:
    """A registered content model and how the API serves it."""

    model: type
    prefix: str
    viewset_path: object = field(repr=False)
    detail_serializer_path: object = field(repr=False)
    description: str = ""
    search_score_factor: float = 1.0
    in_feed: bool = False

    @property
    def name(self):
        """Its `type` in references, sync, search and URL names ("article": `article-detail`)."""
        return self.model.reference_type

    @property
    def group(self):
        """Its key in a tag's hub ("articles")."""
        return self.model.reference_group

    @property
    def frontend_path(self):
        """Its page's path on the website, "/articles/{slug}/" unless FRONTEND_PATHS says."""
        return settings.FRONTEND_PATHS.get(self.name, f"/{self.prefix}/{{slug}}/")

    @property
    def viewset(self):
        return _resolved(self.viewset_path)

    @property
    def detail_serializer(self):
        """The item's detail representation: what sync sends and a preview shows."""
        return _resolved(self.detail_serializer_path)


class _TypeNames:
    """The registered types' names, read whenever iterated."""

    def __iter__(self):
        return iter(list(_TYPES))

    def __len__(self):
        return len(_TYPES)

    def __contains__(self, name):
        return name in _TYPES

    def __repr__(self):
        return repr(list(_TYPES))


# For choices declared at import time, possibly before the content apps are ready: a DRF
# field iterates them again for each serializer instance, a Django form field when rendered
# (pass `type_choices` there).
TYPE_NAMES = _TypeNames()


def type_choices():
    """Return [(name, name), ...] of every type: a Django form field's `choices`."""
    return [(name, name) for name in _TYPES]


def register(
    model,
    *,
    prefix,
    viewset,
    detail_serializer,
    description="",
    search_score_factor=1.0,
    in_feed=False,
):
    """
    Register a concrete `PublishableContent` model as a content type.

    `prefix` is its address under /api/v1/; `viewset` and `detail_serializer` are classes or
    dotted paths (read when first needed, so `ready()` need not import views). `description`
    is its entry's help in the API index ("Mechanism articles."). A `search_score_factor`
    below 1 ranks its search results below others that match as well. With `in_feed`, its new
    and updated items are in the RSS and Atom feeds (they need a `title` and a `summary`).
    The model's changes are versioned (django-reversion) and every subscriber is told.
    """
    content_type = RegisteredType(
        model=model,
        prefix=prefix,
        viewset_path=viewset,
        detail_serializer_path=detail_serializer,
        description=description,
        search_score_factor=search_score_factor,
        in_feed=in_feed,
    )
    _TYPES[content_type.name] = content_type
    # Every change keeps a version (entries/history.py). The admin's VersionAdmin registers
    # the models it shows first, the same way.
    if not reversion.is_registered(model):
        reversion.register(model)
    for callback in _SUBSCRIBERS:
        callback(content_type)
    return content_type


def unregister(name):
    """Forget a content type (tests that register a throwaway one)."""
    _TYPES.pop(name)


def subscribe(callback):
    """Call `callback(content_type)` for every type registered so far and from now on."""
    _SUBSCRIBERS.append(callback)
    for content_type in list(_TYPES.values()):
        callback(content_type)


def content_types():
    """Return every RegisteredType, in registration order."""
    return list(_TYPES.values())


def type_names():
    """Return every type's name: ["article", "faq", ...]."""
    return list(_TYPES)


def models():
    """Return every content model, in registration order."""
    return [content_type.model for content_type in _TYPES.values()]


def get(name):
    """Return the RegisteredType named `name`; KeyError if there is none."""
    return _TYPES[name]


def for_model(model):
    """Return the RegisteredType of a model (or of an instance of it)."""
    model = model if isinstance(model, type) else type(model)
    return _TYPES[model.reference_type]
