from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from apibase.strict_fields import StrictFieldsMixin
from apibase.translated import TRANSLATION_FIELDS, TranslatedSerializer
from images.models import Image
from images.services import image_create, image_update
from images.uploads import accepted_formats
from publishing.translatable import translation_languages


def absolute(request, url):
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField(read_only=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    format = serializers.ChoiceField(choices=["webp", "jpeg"], read_only=True)
    ratio = serializers.ChoiceField(
        choices=["original", "16:9", "1:1"],
        read_only=True,
        help_text="`original` keeps the whole image; the others are cut around the focal point.",
    )


class ImageSerializer(serializers.ModelSerializer):
    """An image of the library, with every rendition to build `srcset` from."""

    url = serializers.SerializerMethodField(help_text="The stored original, without metadata.")
    alt_text = serializers.CharField(
        read_only=True, help_text='Empty for a decorative image: give it `alt=""`.'
    )
    renditions = serializers.SerializerMethodField(
        help_text="Sizes for `srcset`, in WebP and JPEG, whole and cropped. Listed from the "
        "upload on: until `renditions_ready` is true some URLs may not answer yet."
    )

    class Meta:
        model = Image
        fields = [
            "slug",
            "url",
            "width",
            "height",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "licence",
            "focal_x",
            "focal_y",
            "renditions",
            "renditions_ready",
            "updated_at",
        ]
        read_only_fields = fields

    def get_attribute(self, instance):
        image = super().get_attribute(instance)
        # Nested in an entry: whether the image's translations are published is annotated
        # on the entry (publishing.translatable.TranslatedQuerySet.in_language()).
        if isinstance(image, Image):
            for code in translation_languages():
                published = getattr(instance, f"{self.source}_translated_{code}", False)
                setattr(image, f"translated_{code}", published)
        return image

    def to_representation(self, image):
        data = super().to_representation(image)
        # In the answer's language where the alt text's translation is published, never a
        # draft; else in English.
        data["alt_text"] = getattr(image, f"alt_text_{image.served_language()}") or ""
        return data

    def get_url(self, image) -> str:
        return absolute(self.context.get("request"), image.file.url)

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        request = self.context.get("request")
        return [
            {
                "url": absolute(request, image.rendition_url(spec)),
                "width": spec.width,
                "height": spec.height,
                "format": spec.format,
                "ratio": spec.ratio,
            }
            for spec in image.renditions()
        ]


class LibraryImageSerializer(TranslatedSerializer, ImageSerializer):
    """An image of the library in the language negotiated: its alt text in it where that
    translation is published, else in English, as an entry's image has it."""

    class Meta(ImageSerializer.Meta):
        fields = [*ImageSerializer.Meta.fields, *TRANSLATION_FIELDS]
        read_only_fields = fields


class ImageWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """
    An image as an editor uploads it (`multipart/form-data`) or changes its description.

    The file is checked and stored afresh: see the operation's description. Unknown fields,
    and fields clients may not set, are refused by name.
    """

    file = serializers.FileField(
        help_text=f"The image: {accepted_formats()}. Its type is read from its content."
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "slug",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "licence",
            "focal_x",
            "focal_y",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # A stored image is never replaced: its renditions' URLs are immutable.
            self.fields["file"].read_only = True

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not data:
            # Nothing to change, or a body that was not form fields at all: say so.
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Give at least one field to change."]}
            )
        return super().to_internal_value(data)

    def known_field_names(self):
        return {field.name for field in Image._meta.get_fields()} | {"url", "renditions"}

    def refusal(self, name, known):
        if name == "file":
            return "An image's file cannot be replaced: upload a new image."
        return super().refusal(name, known)

    def type_checked_names(self, data, writable):
        # Form fields are text: only a JSON change has the JSON types the schema says.
        if isinstance(data, QueryDict):
            return []
        return [name for name in data if name in writable]

    def create(self, validated_data):
        upload = validated_data.pop("file")
        return self._write(image_create, upload=upload, **validated_data)

    def update(self, instance, validated_data):
        return self._write(image_update, image=instance, **validated_data)

    def to_representation(self, instance):
        return LibraryImageSerializer(instance, context=self.context).data

    def _write(self, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None


class ImageSlugField(serializers.SlugRelatedField):
    """An image of the library, given by its slug; null for none."""

    default_error_messages = {
        "does_not_exist": "There is no image with the slug {value}.",
        "blank": "Give an image's slug, or null for none.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The slug of an image of the library, or null for none.")
        super().__init__(
            slug_field="slug",
            queryset=Image.objects.all(),
            allow_null=True,
            required=False,
            **kwargs,
        )

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations; the schema says a slug or null, so "" is neither.
        if data == "":
            self.fail("blank")
        return super().run_validation(data)

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(slug=data)
        except Image.DoesNotExist:
            self.fail("does_not_exist", value=repr(str(data)))
        except (TypeError, ValueError):
            self.fail("invalid")
