from articles.models import FAQ, Article
from content.filters import PlainLanguageFilterSet
from entries.filters import StableOrderingFilter


class ArticleFilterSet(PlainLanguageFilterSet):
    ordering = StableOrderingFilter(
        fields=["published_at", "updated_at", "title", "reading_time_minutes", "reading_grade"],
        help_text="Sort by one or more of these fields; prefix with - for descending. "
        "Default: -published_at.",
    )

    class Meta:
        model = Article
        fields = []


class FAQFilterSet(PlainLanguageFilterSet):
    ordering = StableOrderingFilter(
        fields=["order", "published_at", "updated_at", "question", "reading_grade"],
        help_text="Sort by one or more of these fields; prefix with - for descending. "
        "Default: order, the editors' sequence.",
    )

    class Meta:
        model = FAQ
        fields = []
