"""Which content types have materialised representations: those answered in every language."""

import functools

from content import registry


@functools.cache
def materialised_types():
    """{type name: RegisteredType} of the types whose viewset negotiates the language."""
    from content.views import TranslatedContentViewSet

    return {
        content_type.name: content_type
        for content_type in registry.content_types()
        if issubclass(content_type.viewset, TranslatedContentViewSet)
    }


@functools.cache
def type_of_viewset(viewset):
    """The RegisteredType `viewset` serves, if its answers are materialised; else None."""
    for content_type in materialised_types().values():
        if content_type.viewset is viewset:
            return content_type
    return None
