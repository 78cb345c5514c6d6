from django.conf import settings
from django.views import static
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, parsers, viewsets
from rest_framework.settings import api_settings

from apibase.permissions import ReadOnlyOrModelPermissions
from apibase.preconditions import IfMatchWritesMixin, StaleEntry, stale_write
from apibase.translated import TranslatedViewSetMixin
from images.models import Image
from images.serializers import ImageWriteSerializer, LibraryImageSerializer
from images.services import ImageInUse, image_delete
from images.uploads import accepted_formats


class ImageInUseConflict(exceptions.APIException):
    status_code = 409
    default_code = "image_in_use"


NEEDS = "Needs a staff account with the image permission"


@extend_schema_view(
    list=extend_schema(
        summary="List images",
        description="Every image of the library, newest first, with its renditions. Images "
        "are public once uploaded; where each is used is not shown here.",
    ),
    retrieve=extend_schema(
        summary="Get an image",
        description="The image with its description and renditions, to build `srcset` from.",
    ),
    create=extend_schema(
        summary="Upload an image",
        description=f"{NEEDS} (add). Send `multipart/form-data`. The file's type is read from "
        f"its content: {accepted_formats()} only (SVG is refused). Files over "
        f"{settings.IMAGE_MAX_UPLOAD_BYTES} bytes or {settings.IMAGE_MAX_PIXELS} pixels, "
        "damaged files and decompression bombs are a 400 naming `file`. The stored copy is "
        "encoded afresh under a random name, without EXIF, GPS or other metadata. "
        "`alt_text` is required unless `is_decorative` is true. The answer lists the "
        "renditions at once; they may still be being made (`renditions_ready`).",
        request={"multipart/form-data": ImageWriteSerializer},
        responses={
            201: OpenApiResponse(LibraryImageSerializer, description="The image as stored.")
        },
    ),
    partial_update=extend_schema(
        summary="Change an image's description",
        description=f"{NEEDS} (change). JSON or form data; the file itself cannot be "
        "replaced. A new focal point makes new crops under new URLs. Send the ETag of the "
        "image as you read it as `If-Match`: if someone changed it since, the answer is a 412 "
        "and nothing changes.",
        request={
            "application/json": ImageWriteSerializer,
            "multipart/form-data": ImageWriteSerializer,
        },
        responses={
            200: OpenApiResponse(LibraryImageSerializer, description="The image as it now is.")
        },
    ),
    destroy=extend_schema(
        summary="Delete an image",
        description=f"{NEEDS} (delete). Refused with a 409 naming each entry that shows it "
        "(as its hero image or in its Markdown), drafts included, and with a 412 if `If-Match` "
        "names an older version.",
        responses={204: OpenApiResponse(description="Deleted, with its files.")},
    ),
)
class ImageViewSet(TranslatedViewSetMixin, IfMatchWritesMixin, viewsets.ModelViewSet):
    """The media library: images to place in entries, each with its renditions, their alt
    text in the language negotiated where translated."""

    queryset = Image.objects.all()
    serializer_class = LibraryImageSerializer
    write_serializer_class = ImageWriteSerializer
    permission_classes = [ReadOnlyOrModelPermissions]
    # Uploads, then the API's own JSON parser (DEFAULT_PARSER_CLASSES).
    parser_classes = [parsers.MultiPartParser, *api_settings.DEFAULT_PARSER_CLASSES]
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action in {"create", "partial_update"}:
            return self.write_serializer_class
        return self.serializer_class

    def perform_destroy(self, image):
        try:
            image_delete(image=image, expected_version=self.expected_version)
        except StaleEntry as stale:
            raise stale_write(stale, deleting=True) from None
        except ImageInUse as in_use:
            raise ImageInUseConflict(
                f"The image {image.slug!r} is in use and was not deleted: {'; '.join(in_use.uses)}."
            ) from None


# A year: every stored name is random and never reused for other content.
IMMUTABLE = "public, max-age=31536000, immutable"


def serve_media(request, name):
    """Serve stored images from the local folder, for deployments without a CDN or bucket."""
    response = static.serve(request, name, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = IMMUTABLE
    return response
