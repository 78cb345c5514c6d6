import reversion
from django.apps import AppConfig

from publishing import kinds


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = "Conditions and topics"

    def ready(self):
        # Every change keeps a version (entries/history.py). The admin's VersionAdmin
        # registers the models it shows first, the same way.
        for name in ["Condition", "SafetyNotice", "Topic"]:
            if not reversion.is_registered(self.get_model(name)):
                reversion.register(self.get_model(name))
            # Translated with content's workflow (publishing/kinds.py).
            kinds.register(self.get_model(name))
