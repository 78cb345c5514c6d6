from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from content import registry
        from content.glossary_terms import register_source
        from glossary import signals

        glossary_entry = self.get_model("GlossaryEntry")
        registry.register(
            glossary_entry,
            prefix="glossary",
            viewset="glossary.views.GlossaryEntryViewSet",
            detail_serializer="glossary.serializers.GlossaryEntryDetailSerializer",
            description="Medical terms explained in plain language.",
            # A definition points to the articles, FAQs and studies that answer: below them.
            search_score_factor=0.5,
        )
        register_source(glossary_entry)
        signals.connect()
