"""The throwaway type as a real content app would have it: registered in its `ready()`."""

from tests.fourth_type.apps import FourthTypeConfig


class RegisteredFourthTypeConfig(FourthTypeConfig):
    def ready(self):
        from content import registry

        registry.register(
            self.get_model("Note"),
            prefix="notes",
            viewset="tests.fourth_type.api.NoteViewSet",
            detail_serializer="tests.fourth_type.api.NoteDetailSerializer",
            description="Notes.",
        )
