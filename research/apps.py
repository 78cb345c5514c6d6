from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research summaries"

    def ready(self):
        from research.models import ResearchSummary
        from search.registry import register

        register(ResearchSummary, type="research")
