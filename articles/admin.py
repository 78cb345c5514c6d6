from django.contrib import admin

from articles.models import FAQ, Article
from editorial.admin import PublishableContentAdmin, ReadabilityAdminMixin, condition_names


@admin.register(Article)
class ArticleAdmin(ReadabilityAdminMixin, PublishableContentAdmin):
    list_display = ["title", "status", "published_at", condition_names, "last_reviewed"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "author"]}),
        ReadabilityAdminMixin.readability_fieldset,
        ("Tags", {"fields": ["conditions", "topics"]}),
        ("Hero image", {"fields": ["image"]}),
        PublishableContentAdmin.translations_fieldset,
        PublishableContentAdmin.review_fieldset,
        PublishableContentAdmin.publishing_fieldset,
    ]


@admin.register(FAQ)
class FAQAdmin(ReadabilityAdminMixin, PublishableContentAdmin):
    list_display = ["question", "order", "status", condition_names, "last_reviewed"]
    list_editable = ["order"]
    ordering = ["order", "pk"]
    search_fields = ["question", "answer", "slug"]
    prepopulated_fields = {"slug": ["question"]}
    fieldsets = [
        (None, {"fields": ["question", "slug", "answer", "order"]}),
        ReadabilityAdminMixin.readability_fieldset,
        ("Tags", {"fields": ["conditions", "topics"]}),
        PublishableContentAdmin.translations_fieldset,
        PublishableContentAdmin.review_fieldset,
        PublishableContentAdmin.publishing_fieldset,
    ]
