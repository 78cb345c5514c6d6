from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from images.models import Image
from images.services import ImageInUse, image_delete, image_store, image_update, image_uses
from images.uploads import accepted_formats, clean_upload


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="File",
        required=False,
        help_text=f"{accepted_formats()}. Stored afresh under a random name, without metadata.",
    )

    class Meta:
        model = Image
        fields = [
            "upload",
            "slug",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "licence",
            "focal_x",
            "focal_y",
        ]

    clean_result = None

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk is not None:
            if upload:
                raise ValidationError("A stored image is never replaced: upload a new image.")
            return None
        if not upload:
            raise ValidationError("Choose an image to upload.")
        result = self.clean_result = clean_upload(upload)
        # Not form fields, so the model's validation (after the form's) sees them as set here.
        self.instance.format, self.instance.width, self.instance.height = (
            result.format,
            result.width,
            result.height,
        )
        return upload


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["slug", "thumbnail", "alt_text", "width", "height", "renditions_ready"]
    search_fields = ["slug", "alt_text", "caption"]
    readonly_fields = ["thumbnail", "format", "width", "height", "renditions_ready", "uses"]

    @admin.display(description="Preview")
    def thumbnail(self, image):
        if image.pk is None:
            return "-"
        return format_html(
            '<img src="{}" alt="{}" width="160" style="height:auto">',
            image.file.url,
            image.alt_text,
        )

    @admin.display(description="Used by")
    def uses(self, image):
        return "; ".join(image_uses(image)) if image.pk else "-"

    def save_model(self, request, image, form, change):
        if not change:
            image_store(image=image, clean=form.clean_result)
            return
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "upload"}
        image_update(image=image, **changed)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            protected.extend(f"{image.slug}: {use}" for use in image_uses(image))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, image):
        try:
            image_delete(image=image)
        except ImageInUse as in_use:
            self.message_user(request, f"Not deleted: {'; '.join(in_use.uses)}", messages.ERROR)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            self.delete_model(request, image)
