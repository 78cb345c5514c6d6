"""The media library: uploaded images, their descriptions and the renditions made from them."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apibase.preconditions import VersionedModel
from images.renditions import rendition_specs
from publishing.translatable import TranslatedQuerySet, TranslatedText


def original_name(image, filename):
    """Store each upload under a random folder: the name a client sent is never used."""
    return f"images/{secrets.token_hex(16)}/original.{image.format}"


class ImageFormat(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    AVIF = "avif", "AVIF"


def unit_interval():
    return [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(TranslatedText, VersionedModel):
    """
    An image of the library. Its alt text can be translated with content's workflow and
    medical sign-off: it states what a medical diagram shows, as the text around it does.
    """

    slug = models.SlugField(max_length=80, unique=True)
    file = models.FileField(upload_to=original_name, max_length=200, editable=False)
    format = models.CharField(max_length=4, choices=ImageFormat.choices, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required unless the "
        "image is decorative.",
    )
    is_decorative = models.BooleanField(
        default=False, help_text="Adds nothing to the text: screen readers skip it (alt is empty)."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made it.")
    licence = models.CharField(max_length=200, blank=True, help_text="Under what terms it is used.")
    focal_x = models.FloatField(
        default=0.5, validators=unit_interval(), help_text="0 is the left edge, 1 the right."
    )
    focal_y = models.FloatField(
        default=0.5, validators=unit_interval(), help_text="0 is the top edge, 1 the bottom."
    )
    renditions_ready = models.BooleanField(
        default=False, editable=False, help_text="Every rendition has been made."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = TranslatedQuerySet.as_manager()

    reference_type = "image"
    reviewed_fields = ("alt_text",)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.slug

    def clean(self):
        if not self.is_decorative and not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": "Describe what the image shows, or mark it as decorative."}
            )
        if self.is_decorative and self.alt_text:
            raise ValidationError({"alt_text": "A decorative image has no alt text."})

    @property
    def folder(self):
        return self.file.name.rsplit("/", 1)[0]

    def renditions(self):
        """The renditions of this image, whether made yet or not: their names are fixed."""
        return rendition_specs(
            folder=self.folder,
            width=self.width,
            height=self.height,
            focal=(self.focal_x, self.focal_y),
        )

    def rendition_url(self, rendition):
        return self.file.storage.url(rendition.name)

    def social_rendition(self):
        """What link previews show (og:image): a 16:9 JPEG, the widest up to 1280 pixels."""
        crops = [
            spec for spec in self.renditions() if spec.ratio == "16:9" and spec.format == "jpeg"
        ]
        fitting = [spec for spec in crops if spec.width <= 1280] or crops
        return max(fitting, key=lambda spec: spec.width, default=None)
