"""What the admin of every content type shares: state, moves, review and preview."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from content.models import Status
from editorial.forms import PublishableContentForm
from editorial.preview import preview_url
from editorial.services import (
    PUBLISH_PERMISSION,
    SIGN_OFF_PERMISSION,
    entry_move,
    entry_sign_off,
    translation_move,
    translation_save,
    translation_sign_off,
)
from editorial.widgets import MarkdownEditor
from editorial.workflow import MOVES
from entries.admin import HistoryAdmin
from publishing.kinds import translated_models
from publishing.models import Reviewer, SignOff, Translation, TranslationStatus
from publishing.translatable import translated_columns, translation_languages


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
        "translations",
    ]
    review_fieldset = (
        "Medical review",
        {"fields": ["signed_off", "last_reviewed", "review_due", "sign_off_history"]},
    )
    # For the types with translation columns: their text is written on the Translations page.
    translations_fieldset = ("Translations", {"fields": ["translations"]})
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

    @admin.display(description="translations")
    def translations(self, entry):
        """Each language's translation and its state, linked to where its text is written."""
        if entry.pk is None:
            return "Save the entry first."
        names = dict(settings.LANGUAGES)
        started = {item.language: item for item in Translation.objects.of(entry)}
        lines = []
        for code in translation_languages():
            translation = started.get(code)
            if translation is None:
                choice = {"entry_choice": f"{entry.reference_type}:{entry.pk}", "language": code}
                url = f"{reverse('admin:publishing_translation_add')}?{urlencode(choice)}"
                state, link = "not started", "Translate"
            else:
                url = reverse("admin:publishing_translation_change", args=[translation.pk])
                state, link = translation.get_status_display().lower(), "Edit the text"
                if translation.is_out_of_date(entry):
                    state += ", out of date"
            lines.append((names[code], code, state, url, link))
        return format_html(
            '<ul class="entry-translations">{}</ul>',
            format_html_join("", '<li>{} ({}): {}. <a href="{}">{}</a></li>', lines),
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


class OutOfDateFilter(admin.SimpleListFilter):
    title = "English text"
    parameter_name = "out_of_date"

    def lookups(self, request, model_admin):
        return [("yes", "Changed since the translation's sign-off")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.out_of_date(translated_models())
        return queryset


class TranslationAddForm(forms.ModelForm):
    """Start a translation: which entry, into which language. Its text comes next."""

    entry_choice = forms.ChoiceField(label="entry")

    class Meta:
        model = Translation
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            choices=[(code, code) for code in translation_languages()]
        )
        self.fields["entry_choice"].choices = [
            (f"{name}:{entry.pk}", f"{model._meta.verbose_name}: {entry}")
            for name, model in translated_models().items()
            for entry in model.objects.order_by("pk")
        ]

    def clean(self):
        cleaned = super().clean()
        kind, _, pk = cleaned.get("entry_choice", "").partition(":")
        self.instance.kind, self.instance.object_id = kind, int(pk or 0)
        if Translation.objects.filter(
            kind=kind, object_id=self.instance.object_id, language=cleaned.get("language")
        ).exists():
            raise ValidationError("This entry already has a translation into that language.")
        return cleaned


class TranslationTextForm(forms.ModelForm):
    """The translated text of one entry, field by field, beside the English it translates."""

    class Meta:
        model = Translation
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entry, language = self.instance.entry, self.instance.language
        for name in self.text_fields:
            field = self.fields[name]
            field.initial = field.prepare_value(getattr(entry, f"{name}_{language}") or "")
            english = field.prepare_value(getattr(entry, name) or "")
            field.help_text = f"English: {english[:300]}"


class LinesField(forms.CharField):
    """A list of sentences (a study's key findings), one a line."""

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    """
    Translations with their own state and sign-off. The list filter "English text" shows those
    whose English text changed after their sign-off: out of date.
    """

    list_display = ["__str__", "entry_title", "status", "out_of_date", "signed_off", "updated_at"]
    list_filter = ["status", "language", "kind", OutOfDateFilter]
    readonly_fields = ["entry_title", "status", "signed_off", "out_of_date", "updated_at"]
    actions = ["sign_off", "submit_for_review", "publish", "return_to_draft"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return TranslationAddForm
        entry = obj.entry
        fields = {}
        seo = [
            name
            for name in ("seo_title", "seo_description")
            if translated_columns(type(entry), name)
        ]
        for name in (*entry.translated_reviewed_fields(), *seo):
            model_field = type(entry)._meta.get_field(name)
            widget = MarkdownEditor if name in entry.markdown_fields else forms.Textarea
            field_class = (
                LinesField if isinstance(model_field, models.JSONField) else forms.CharField
            )
            fields[name] = field_class(
                label=f"{model_field.verbose_name} ({obj.language})",
                required=False,
                max_length=getattr(model_field, "max_length", None),
                widget=widget(attrs={"rows": 3 if name not in entry.markdown_fields else 20}),
            )
        return type(
            "TranslationTextForm", (TranslationTextForm,), {**fields, "text_fields": fields}
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["entry_choice", "language"]})]
        text = list(self.get_form(request, obj).text_fields)
        return [
            (None, {"fields": text}),
            ("State and medical sign-off", {"fields": self.readonly_fields}),
        ]

    def response_add(self, request, obj, post_url_continue=None):
        # Adding only chooses the entry and the language: the text is written on the next page.
        if "_addanother" in request.POST or IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request, f"{obj.entry} ({obj.language}): write its text below.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:publishing_translation_change", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in getattr(form, "text_fields", ())}
        saved = translation_save(
            entry=obj.entry, language=obj.language, fields=fields, actor=request.user
        )
        obj.pk = saved.pk

    @admin.display(description="entry")
    def entry_title(self, translation):
        return str(translation.entry)

    @admin.display(description="out of date", boolean=True)
    def out_of_date(self, translation):
        return translation.is_out_of_date(translation.entry)

    @admin.display(description="signed off")
    def signed_off(self, translation):
        sign_off = translation.sign_off
        if sign_off is None:
            return "Not signed off: publishing needs a medical reviewer's sign-off."
        signed = f"{sign_off.reviewer} on {sign_off.signed_at:%Y-%m-%d %H:%M}"
        # A note says what the reviewer left to check (the demo's unverified facts).
        return f"{signed}: {sign_off.note}" if sign_off.note else signed

    def _each(self, request, queryset, operation, done):
        count = 0
        for translation in queryset:
            try:
                operation(translation)
                count += 1
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                # Named by its entry's title, which the editor knows it by.
                self.message_user(
                    request,
                    f"“{translation.entry}” ({translation.language}): {reason}",
                    messages.WARNING,
                )
        # A refusal alone is not reported as a success of none.
        if count:
            self.message_user(request, f"{done}: {count}.")

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_sign_off_permission(self, request):
        return request.user.has_perm(SIGN_OFF_PERMISSION)

    @admin.action(
        description="Sign off the medical review of the translation", permissions=["sign_off"]
    )
    def sign_off(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda translation: translation_sign_off(translation=translation, actor=request.user),
            "Signed off",
        )

    def _move(self, request, queryset, target, done):
        self._each(
            request,
            queryset,
            lambda translation: translation_move(
                translation=translation, target=target, actor=request.user
            ),
            done,
        )

    @admin.action(description="Submit for medical review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, TranslationStatus.IN_REVIEW, "Submitted")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, TranslationStatus.PUBLISHED, "Published")

    @admin.action(description="Return to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._move(request, queryset, TranslationStatus.DRAFT, "Returned to draft")
