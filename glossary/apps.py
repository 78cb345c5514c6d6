import reversion
from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from glossary.models import GlossaryEntry
        from search.registry import register

        register(GlossaryEntry)

        # Every change keeps a version (editorial/history.py), as for the other content.
        if not reversion.is_registered(GlossaryEntry):
            reversion.register(GlossaryEntry)
