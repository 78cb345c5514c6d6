import reversion
from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research summaries"

    def ready(self):
        # Every change keeps a version (editorial/history.py).
        for name in ["ResearchSummary"]:
            reversion.register(self.get_model(name))
