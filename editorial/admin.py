"""What the admin of every content type shares: state, moves, review and preview."""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from content.models import Status
from editorial.forms import PublishableContentForm
from editorial.models import Reviewer, SignOff
from editorial.preview import preview_url
from editorial.services import (
    PUBLISH_PERMISSION,
    SIGN_OFF_PERMISSION,
    entry_move,
    entry_sign_off,
)
from editorial.widgets import MarkdownEditor
from editorial.workflow import MOVES
from entries.admin import HistoryAdmin


@admin.display(description="conditions")
def condition_names(item):
    return ", ".join(condition.name for condition in item.conditions.all())


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("due-soon", "Due within 30 days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "due-soon":
            soon = timezone.localdate() + datetime.timedelta(days=30)
            return queryset.review_overdue(today=soon).exclude(
                pk__in=queryset.review_overdue().values("pk")
            )
        return queryset


class ReadabilityFilter(admin.SimpleListFilter):
    title = "readability"
    parameter_name = "readability"

    def lookups(self, request, model_admin):
        target = settings.READABILITY_TARGET_GRADE
        return [("hard", f"Above grade {target}"), ("easy", f"Grade {target} or below")]

    def queryset(self, request, queryset):
        target = settings.READABILITY_TARGET_GRADE
        if self.value() == "hard":
            return queryset.filter(reading_grade__gt=target)
        if self.value() == "easy":
            return queryset.filter(reading_grade__lte=target)
        return queryset


def readability_note(entry):
    """Describe an entry's readability, with a warning above the clinic's target grade."""
    if entry.pk is None or entry.reading_grade is None:
        return "Measured when the entry is saved."
    target = settings.READABILITY_TARGET_GRADE
    figures = (
        f"Flesch-Kincaid grade {entry.reading_grade:g}, reading ease {entry.reading_ease:g}; "
        f"{entry.word_count} words in {entry.sentence_count} sentences, "
        f"{entry.long_word_share:.0%} of them long."
    )
    if entry.reading_grade <= target:
        return format_html(
            '<span class="readability-ok">{} Within the target of grade {}.</span>', figures, target
        )
    return format_html(
        '<ul class="messagelist"><li class="warning readability-warning">{} Above the target '
        "of grade {}: try shorter sentences and everyday words, and let the glossary explain "
        "the medical ones.</li></ul>",
        figures,
        target,
    )


class ReadabilityAdminMixin:
    """Readability in the change form (warned above target) and as a list filter."""

    readability_fieldset = ("Readability", {"fields": ["readability"]})

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReadabilityFilter]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "readability"]

    @admin.display(description="readability")
    def readability(self, entry):
        return readability_note(entry)


def _move_action(move):
    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for entry in queryset:
            try:
                entry_move(entry=entry, move=move.name, actor=request.user)
                moved += 1
            except ValidationError as error:
                refused.append(f"{entry}: {' '.join(error.message_dict.get('status', []))}")
                refused.extend(
                    f"{entry}: {name} - {' '.join(messages_)}"
                    for name, messages_ in error.message_dict.items()
                    if name != "status"
                )
        modeladmin.message_user(
            request, f"{move.label}: {moved} entr{'y' if moved == 1 else 'ies'} moved."
        )
        for line in refused:
            modeladmin.message_user(request, f"Not moved: {line}", messages.WARNING)

    action.__name__ = move.name
    return admin.action(
        description=f"{move.label}: selected entries",
        permissions=["publish" if move.target == Status.PUBLISHED else "change"],
    )(action)


def _sign_off_action(name, description, *, minor_edit):
    def action(modeladmin, request, queryset):
        signed, refused = 0, []
        for entry in queryset:
            try:
                entry_sign_off(entry=entry, actor=request.user, minor_edit=minor_edit)
                signed += 1
            except PermissionDenied as error:
                refused.append(f"{entry}: {error}")
            except ValidationError as error:
                refused.extend(
                    f"{entry}: {' '.join(lines)}" for lines in error.message_dict.values()
                )
        modeladmin.message_user(
            request, f"{description}: {signed} entr{'y' if signed == 1 else 'ies'} signed off."
        )
        for line in refused:
            modeladmin.message_user(request, f"Not signed off: {line}", messages.WARNING)

    action.__name__ = name
    return admin.action(description=f"{description}: selected entries", permissions=["sign_off"])(
        action
    )


class PublishableContentAdmin(HistoryAdmin):
    form = PublishableContentForm
    list_filter = ["status", ReviewDueFilter, "conditions", "topics", "last_reviewed"]
    list_select_related = False
    autocomplete_fields = ["conditions", "topics"]
    date_hierarchy = "published_at"
    actions = [
        *(_move_action(move) for move in MOVES),
        _sign_off_action("sign_off", "Sign off the medical review", minor_edit=False),
        _sign_off_action(
            "sign_off_minor_edit", "Mark the change as a typo fix (no new review)", minor_edit=True
        ),
    ]
    readonly_fields = [
        "created_at",
        "updated_at",
        "review_due",
        "preview",
        "signed_off",
        "sign_off_history",
        "last_reviewed",
    ]
    review_fieldset = (
        "Medical review",
        {"fields": ["signed_off", "last_reviewed", "review_due", "sign_off_history"]},
    )
    publishing_fieldset = (
        "Publishing",
        {
            "fields": [
                "status",
                "published_at",
                "seo_title",
                "seo_description",
                "preview",
                "created_at",
                "updated_at",
            ]
        },
    )

    # Fields written in Markdown get the editor; titles and summaries span the form's width.
    markdown_fields = ("body", "answer")
    wide_fields = ("title", "question", "summary")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownEditor
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.wide_fields and formfield is not None:
            widget = formfield.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} editor-wide".strip()
            if "rows" in widget.attrs:
                widget.attrs["rows"] = 3  # a summary is a sentence or two
        return formfield

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Whether the state field may publish depends on who saves.
        return type(form.__name__, (form,), {"actor": request.user})

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_sign_off_permission(self, request):
        return request.user.has_perm(SIGN_OFF_PERMISSION)

    def save_model(self, request, obj, form, change):
        obj.note_text_change(request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description="signed off")
    def signed_off(self, entry):
        if entry.sign_off_id is None or entry.publishing_problem():
            return "Not signed off: publishing needs a medical reviewer's sign-off."
        return f"{entry.sign_off.reviewer} on {entry.sign_off.signed_at:%Y-%m-%d %H:%M}"

    @admin.display(description="sign-offs")
    def sign_off_history(self, entry):
        if entry.pk is None:
            return "-"
        sign_offs = SignOff.objects.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        ).select_related("reviewer")
        if not sign_offs:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} of version {}, by {}</li>",
                (
                    (
                        f"{item.signed_at:%Y-%m-%d %H:%M}",
                        item.get_kind_display(),
                        item.entry_version,
                        item.reviewer,
                    )
                    for item in sign_offs
                ),
            ),
        )

    @admin.display(description="next review due")
    def review_due(self, entry):
        if entry.pk is None:
            return "-"
        if entry.review_due is None:
            return "never reviewed"
        overdue = entry.review_due <= timezone.localdate()
        return f"{entry.review_due:%Y-%m-%d}{' (overdue)' if overdue else ''}"

    @admin.display(description="preview")
    def preview(self, entry):
        if entry.pk is None:
            return "Save the entry first."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener" class="preview-link">Open preview</a>'
            " (the link works for a limited time, for anyone who has it)",
            preview_url(entry),
        )


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "speciality", "is_placeholder", "user"]
    list_filter = ["is_placeholder"]
    search_fields = ["name", "credentials", "speciality", "licence_id"]
    autocomplete_fields = ["user"]
