import reversion
from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = "Conditions and topics"

    def ready(self):
        # Every change keeps a version (editorial/history.py).
        for name in ["Condition", "SafetyNotice", "Topic"]:
            reversion.register(self.get_model(name))
