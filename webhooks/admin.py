"""Webhook endpoints, and the delivery log with replay."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from content import registry
from taxonomy.models import Condition
from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from webhooks.services import deliveries_replay


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    content_types = forms.MultipleChoiceField(
        choices=registry.type_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: all.",
    )
    conditions = forms.ModelMultipleChoiceField(
        Condition.objects.all(),
        to_field_name="slug",
        required=False,
        help_text="Only items tagged with one of these; none chosen: all.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "content_types", "conditions", "is_active"]

    def clean_conditions(self):
        return [condition.slug for condition in self.cleaned_data["conditions"]]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "is_active", "failing_since", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["created_at", "updated_at", "failing_since", "disabled_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"Signing secret of {obj.url}, shown only now: {obj.secret}",
                messages.WARNING,
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "item",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
    ]
    list_filter = ["status", "event__type", "endpoint"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__slug", "event__message_id", "endpoint__url"]
    actions = ["replay"]
    readonly_fields = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "response_status",
        "response_excerpt",
        "error",
        "message_id",
        "payload",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="event", ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.display(description="item")
    def item(self, delivery):
        return f"{delivery.event.content_type}/{delivery.event.slug}"

    @admin.display(description="webhook-id")
    def message_id(self, delivery):
        return delivery.event.message_id

    @admin.display(description="payload")
    def payload(self, delivery):
        return delivery.event.payload

    @admin.action(description="Replay: send the selected deliveries again")
    def replay(self, request, queryset):
        with transaction.atomic():
            count = deliveries_replay(deliveries=queryset)
        self.message_user(request, f"{count} deliveries will be sent again.")
        inactive = queryset.filter(endpoint__is_active=False).count()
        if inactive:
            self.message_user(
                request,
                f"{inactive} of them go to inactive endpoints: activate those to send them.",
                messages.WARNING,
            )
