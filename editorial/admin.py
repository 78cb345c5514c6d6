"""What the admin of every content type shares: state, review columns and bulk moves."""

from django.contrib import admin, messages
from django.utils import timezone

from editorial.models import Status


@admin.display(description="conditions")
def condition_names(item):
    return ", ".join(condition.name for condition in item.conditions.all())


class PublishableContentAdmin(admin.ModelAdmin):
    list_filter = ["status", "conditions", "topics", "last_reviewed"]
    list_select_related = False
    autocomplete_fields = ["conditions", "topics"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]
    review_fieldset = (
        "Medical review",
        {"fields": ["reviewer_name", "reviewer_credentials", "last_reviewed"]},
    )
    publishing_fieldset = (
        "Publishing",
        {"fields": ["status", "published_at", "created_at", "updated_at"]},
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    @admin.action(description="Publish selected entries now (or at their set date)")
    def publish(self, request, queryset):
        count = 0
        for item in queryset.exclude(status=Status.PUBLISHED):
            item.status = Status.PUBLISHED
            item.published_at = item.published_at or timezone.now()
            item.save()
            count += 1
        self.message_user(request, f"{count} entr{'y' if count == 1 else 'ies'} published.")

    @admin.action(description="Unpublish selected entries (back to draft)")
    def unpublish(self, request, queryset):
        count = 0
        for item in queryset.filter(status=Status.PUBLISHED):
            item.status = Status.DRAFT
            item.save()
            count += 1
        self.message_user(
            request, f"{count} entr{'y' if count == 1 else 'ies'} unpublished.", messages.WARNING
        )
