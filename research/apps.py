from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research summaries"

    def ready(self):
        from content import registry

        registry.register(
            self.get_model("ResearchSummary"),
            prefix="research",
            viewset="research.views.ResearchSummaryViewSet",
            detail_serializer="research.serializers.ResearchSummaryDetailSerializer",
            description="Research summaries.",
            in_feed=True,
        )
