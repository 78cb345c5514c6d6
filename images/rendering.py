"""Make an image's renditions, and log the published entries that show it as changed."""

from django.core.files.base import ContentFile
from PIL import Image as PillowImage

from content import registry
from images.models import Image
from images.renditions import encode
from publishing.changes import content_changed


def renditions_make(image):
    """Make every rendition not stored yet, then drop those of an earlier focal point."""
    storage = image.file.storage
    specs = image.renditions()
    wanted = {spec.name for spec in specs}
    missing = [spec for spec in specs if not storage.exists(spec.name)]
    if missing:
        with storage.open(image.file.name) as stored, PillowImage.open(stored) as original:
            original.load()
            for spec in missing:
                storage.save(spec.name, ContentFile(encode(original, spec)))
    _, names = storage.listdir(image.folder)
    for name in names:
        path = f"{image.folder}/{name}"
        if path != image.file.name and path not in wanted:
            storage.delete(path)
    if Image.objects.filter(pk=image.pk, renditions_ready=False).update(renditions_ready=True):
        published_entries_changed(image)
    image.renditions_ready = True


def published_entries_changed(image):
    """Start a new content generation, logging the published entries that show the image."""
    upserts = []
    for content_type in registry.content_types():
        model = content_type.model
        for field in model._meta.get_fields():
            if field.many_to_one and field.related_model is Image:
                shown = model.objects.published().filter(**{field.name: image.pk})
                slugs = shown.values_list("slug", flat=True)
                upserts += [(content_type.name, slug) for slug in slugs]
    content_changed(upserts=upserts)
