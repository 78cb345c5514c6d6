import reversion
from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research summaries"

    def ready(self):
        from research.models import ResearchSummary
        from search.registry import register

        register(ResearchSummary)

        # Every change keeps a version (editorial/history.py). The admin's VersionAdmin
        # registers the models it shows first, the same way.
        for name in ["ResearchSummary"]:
            if not reversion.is_registered(self.get_model(name)):
                reversion.register(self.get_model(name))
