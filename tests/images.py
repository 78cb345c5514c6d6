"""Image files made for the tests, and an upload helper."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage


def image_bytes(width=800, height=450, format_name="PNG", color=(200, 80, 40), **save_options):
    output = io.BytesIO()
    mode = "RGB" if format_name != "PNG" else "RGBA"
    PillowImage.new(mode, (width, height), color).save(output, format_name, **save_options)
    return output.getvalue()


def upload_file(content=None, name="photo.png"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes())


def upload(api, slug="receptor", content=None, name="photo.png", **fields):
    fields.setdefault("alt_text", "A receptor drawn as a channel.")
    return api.post(
        "/api/v1/images/",
        {"file": upload_file(content, name), "slug": slug, **fields},
        format="multipart",
    )


def make_image(slug="receptor", width=800, height=450, **fields):
    """Store an image through the library's own service, as an upload would."""
    from images.services import image_create

    fields.setdefault("alt_text", f"The {slug} diagram.")
    return image_create(upload=upload_file(image_bytes(width, height)), slug=slug, **fields)
