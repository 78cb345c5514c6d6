import reversion
from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and FAQs"

    def ready(self):
        from articles.models import FAQ, Article
        from search.registry import register

        register(Article)
        register(FAQ)

        # Every change keeps a version (editorial/history.py). The admin's VersionAdmin
        # registers the models it shows first, the same way.
        for name in ["Article", "FAQ"]:
            if not reversion.is_registered(self.get_model(name)):
                reversion.register(self.get_model(name))
