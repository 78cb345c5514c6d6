"""The throwaway type as a real content app would have it: registered in its `ready()`."""

from tests.fourth_type.apps import FourthTypeConfig

# How notes are registered, by this app config or by tests/test_content_registry.py's fixture.
REGISTRATION = {
    "prefix": "notes",
    "viewset": "tests.fourth_type.api.NoteViewSet",
    "detail_serializer": "tests.fourth_type.api.NoteDetailSerializer",
    "description": "Notes.",
}


class RegisteredFourthTypeConfig(FourthTypeConfig):
    def ready(self):
        from content import registry

        registry.register(self.get_model("Note"), **REGISTRATION)
