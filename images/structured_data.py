"""An image as schema.org ImageObjects: one per ratio, as search engines ask of a page's image."""

from images.serializers import absolute


def image_objects(image, request):
    """Return the largest JPEG of each ratio (whole, 16:9, 1:1), or None without an image."""
    if image is None:
        return None
    largest = {}
    for spec in image.renditions():
        if spec.format == "jpeg":
            largest[spec.ratio] = spec  # widths come in increasing order
    return [
        {
            "@type": "ImageObject",
            "url": absolute(request, image.rendition_url(spec)),
            "width": spec.width,
            "height": spec.height,
            "caption": image.caption,
            "creditText": image.credit,
        }
        for spec in largest.values()
    ]
