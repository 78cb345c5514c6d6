"""
Check an uploaded file and make the copy that is stored: what it is is read from its content,
its size and pixel count are bounded, and it is encoded afresh, so no metadata (EXIF, GPS,
comments) and nothing appended to it survive.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError, features

# Pillow's format name -> ours.
ACCEPTED = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
if features.check("avif"):
    ACCEPTED["AVIF"] = "avif"


@dataclass(frozen=True)
class CleanUpload:
    content: ContentFile
    format: str
    width: int
    height: int


def accepted_formats():
    return ", ".join(
        sorted(name.upper() if name != "webp" else "WebP" for name in ACCEPTED.values())
    )


def clean_upload(upload):
    """Return the upload re-encoded without metadata, or raise ValidationError saying why not."""
    if upload.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {upload.size} bytes; at most {settings.IMAGE_MAX_UPLOAD_BYTES} "
            "are taken.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml"):
        raise ValidationError(
            f"SVG is not accepted (it can carry scripts): upload a {accepted_formats()} image.",
            code="svg",
        )
    with warnings.catch_warnings():
        # Pillow's own bomb check warns, then refuses at twice its limit; ours comes first.
        warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
        try:
            original = PillowImage.open(upload)
        except (UnidentifiedImageError, PillowImage.DecompressionBombError, OSError):
            raise ValidationError(
                f"The file is not an image this library takes: {accepted_formats()}.",
                code="not_an_image",
            ) from None
        if original.format not in ACCEPTED:
            raise ValidationError(
                f"{original.format} images are not accepted: upload {accepted_formats()}.",
                code="format",
            )
        width, height = original.size
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise ValidationError(
                f"The image is {width} by {height} pixels; at most {settings.IMAGE_MAX_PIXELS} "
                "pixels in all are taken.",
                code="too_many_pixels",
            )
        try:
            original.load()
            # Turned as the camera meant, since the orientation tag goes with the rest.
            picture = ImageOps.exif_transpose(original)
            return _encode(picture, ACCEPTED[original.format])
        except (OSError, ValueError, SyntaxError, PillowImage.DecompressionBombError):
            raise ValidationError(
                "The image is damaged or cut short and cannot be read.", code="damaged"
            ) from None


def _encode(picture, format_name):
    if picture.mode not in {"RGB", "RGBA", "L", "LA"}:
        picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    if format_name == "jpeg" and picture.mode not in {"RGB", "L"}:
        picture = picture.convert("RGB")
    output = io.BytesIO()
    options = {"quality": 90} if format_name in {"jpeg", "webp", "avif"} else {"optimize": True}
    # Only the pixels and their colour profile are passed on: no EXIF, GPS, XMP or comments.
    if picture.info.get("icc_profile"):
        options["icc_profile"] = picture.info["icc_profile"]
    picture.save(output, format_name.upper(), **options)
    return CleanUpload(
        content=ContentFile(output.getvalue()),
        format=format_name,
        width=picture.width,
        height=picture.height,
    )
