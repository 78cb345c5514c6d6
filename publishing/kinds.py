"""
The models translated with the translation workflow, by the `kind` their Translation rows
carry: the content types, found by their registry, and the others (conditions, topics, safety
notices, images), which register here in their app's ready().
"""

from content import registry

_OTHER_MODELS = {}


def register(model):
    """Translate `model` (not a content type) with the translation workflow."""
    _OTHER_MODELS[model.reference_type] = model
    return model


def translated_model(kind):
    """Return the model of a Translation's `kind`; KeyError if none."""
    if kind in registry.type_names():
        return registry.get(kind).model
    return _OTHER_MODELS[kind]


def translated_models():
    """Return {kind: model} of every model with translation columns, content types first."""
    content = {model.reference_type: model for model in registry.models()}
    return {
        kind: model
        for kind, model in {**content, **_OTHER_MODELS}.items()
        if model.translated_reviewed_fields()
    }
