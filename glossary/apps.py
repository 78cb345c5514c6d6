import reversion
from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from editorial.glossary_terms import register_source
        from glossary import signals
        from glossary.models import GlossaryEntry
        from search.registry import register

        # A definition points to the articles, FAQs and studies that answer: below them.
        register(GlossaryEntry, score_factor=0.5)
        register_source(GlossaryEntry)
        signals.connect()

        # Every change keeps a version (editorial/history.py), as for the other content.
        if not reversion.is_registered(GlossaryEntry):
            reversion.register(GlossaryEntry)
