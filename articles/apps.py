from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and FAQs"

    def ready(self):
        from articles.models import FAQ, Article
        from search.registry import register

        register(Article, type="article")
        register(FAQ, type="faq")
