import reversion
from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and FAQs"

    def ready(self):
        # Every change keeps a version (editorial/history.py).
        for name in ["Article", "FAQ"]:
            reversion.register(self.get_model(name))
