"""
Enquiries in the admin: seen only by staff allowed to view them, and every look recorded.

The list shows no personal data (its encrypted columns are not even read); a person's
details are decrypted on an enquiry's own page, and each time that page is opened the
access log gets a line saying who and when. The only thing staff change is the status.
"""

from django.contrib import admin, messages
from django.utils.html import format_html_join

from enquiries.models import Enquiry, EnquiryAccess, SpamCount
from enquiries.services import enquiries_mark, enquiry_access_record

RECENT_ACCESSES = 20


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["reference", "created_at", "status", "preferred_contact", "condition"]
    list_filter = ["status", "preferred_contact", "created_at"]
    list_select_related = ["condition"]
    date_hierarchy = "created_at"
    actions = ["mark_contacted", "mark_closed"]
    fieldsets = [
        ("Person", {"fields": ["name", "email", "phone", "preferred_contact", "preferred_time"]}),
        (
            "Enquiry",
            {
                "fields": [
                    "condition",
                    "message",
                    "created_at",
                    "privacy_notice_version",
                    "consented_at",
                ]
            },
        ),
        ("Handling", {"fields": ["status", "status_changed_at", "status_changed_by"]}),
        ("Who has looked at it", {"fields": ["accesses"]}),
    ]
    readonly_fields = [
        "name",
        "email",
        "phone",
        "preferred_contact",
        "preferred_time",
        "condition",
        "message",
        "created_at",
        "privacy_notice_version",
        "consented_at",
        "status_changed_at",
        "status_changed_by",
        "accesses",
    ]

    @admin.display(description="reference", ordering="created_at")
    def reference(self, enquiry):
        return str(enquiry)

    @admin.display(description="access log (newest first)")
    def accesses(self, enquiry):
        entries = EnquiryAccess.objects.filter(enquiry_id=enquiry.pk)[:RECENT_ACCESSES]
        return format_html_join(
            "\n",
            "<div>{} {} {}</div>",
            (
                (entry.at.strftime("%Y-%m-%d %H:%M:%S UTC"), entry.username, entry.action)
                for entry in entries
            ),
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            queryset = queryset.without_personal_data()
        return queryset

    def has_add_permission(self, request):
        return False  # enquiries come from the website only

    def has_view_permission(self, request, obj=None):
        # Django lets the change permission imply viewing; here viewing is its own permission.
        return request.user.has_perm("enquiries.view_enquiry")

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request) and request.user.has_perm(
            "enquiries.change_enquiry"
        )

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request) and request.user.has_perm(
            "enquiries.delete_enquiry"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Recorded once the page is answered: a refusal or a missing enquiry shows nothing.
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                enquiry_access_record(
                    enquiry_id=obj.pk, user=request.user, action=EnquiryAccess.Action.VIEWED
                )
        return response

    def save_model(self, request, obj, form, change):
        # Only the status is editable; write that alone, not the whole (re-encrypted) row.
        enquiries_mark(
            enquiries=Enquiry.objects.filter(pk=obj.pk), status=obj.status, user=request.user
        )

    @admin.action(description="Mark as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._mark(request, queryset, Enquiry.Status.CONTACTED)

    @admin.action(description="Mark as closed", permissions=["change"])
    def mark_closed(self, request, queryset):
        self._mark(request, queryset, Enquiry.Status.CLOSED)

    def _mark(self, request, queryset, status):
        changed = enquiries_mark(enquiries=queryset, status=status, user=request.user)
        self.message_user(
            request, f"{changed} enquiries marked {status.label.lower()}.", messages.SUCCESS
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept by the system: looked at, never written by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnquiryAccess)
class EnquiryAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "enquiry_id"]
    list_filter = ["action", "at"]
    search_fields = ["username"]


@admin.register(SpamCount)
class SpamCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]
