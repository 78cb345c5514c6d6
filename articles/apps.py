from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and FAQs"

    def ready(self):
        from content import registry

        registry.register(
            self.get_model("Article"),
            prefix="articles",
            viewset="articles.views.ArticleViewSet",
            detail_serializer="articles.serializers.ArticleDetailSerializer",
            description="Mechanism articles.",
            in_feed=True,
        )
        registry.register(
            self.get_model("FAQ"),
            prefix="faqs",
            viewset="articles.views.FAQViewSet",
            detail_serializer="articles.serializers.FAQDetailSerializer",
            description="Questions and answers.",
        )
