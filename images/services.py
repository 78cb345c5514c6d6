"""Writes to the media library: upload, change, delete, and the making of renditions."""

import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from apibase.preconditions import StaleEntry
from images.models import Image
from images.rendering import published_entries_changed, renditions_make
from images.tasks import make_renditions
from images.uploads import clean_upload
from publishing.changes import content_write_lock

logger = logging.getLogger(__name__)


class ImageInUse(Exception):
    def __init__(self, image, uses):
        self.image = image
        self.uses = uses
        super().__init__(f"{image.slug} is used by {', '.join(uses)}")


@transaction.atomic
def image_create(*, upload, **fields):
    """Store a checked copy of the upload under a random name and describe it."""
    try:
        clean = clean_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    image = Image(**fields)
    image_store(image=image, clean=clean)
    return image


def image_store(*, image, clean):
    """Save a new image with the checked copy of its upload, then have its renditions made."""
    image.format, image.width, image.height = clean.format, clean.width, clean.height
    image.full_clean(exclude=["file"])
    image.file.save("original", clean.content, save=False)
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:  # the same slug, uploaded at the same moment
        image.file.delete(save=False)
        raise ValidationError(
            {"slug": ValidationError("An image with this slug already exists.", code="unique")}
        ) from None
    renditions_schedule(image)


def image_lock(image, *, expected_version=None):
    """
    Lock the image's row and return it as stored; raise StaleEntry if it is not at
    `expected_version` (None: any version). Entries' writes take the content version's lock
    first too: none places the image meanwhile.
    """
    content_write_lock()
    current = Image.objects.select_for_update().filter(pk=image.pk).first()
    if current is None:
        # Deleted by a write that held the lock while this one waited for it: gone, a 404.
        raise Http404(f"The image {image.slug!r} was deleted.")
    if expected_version is not None and current.version != expected_version:
        raise StaleEntry(current)
    return current


@transaction.atomic
def image_update(*, image, expected_version=None, **fields):
    """Change what describes an image; a new focal point means new crops."""
    image = image_lock(image, expected_version=expected_version)
    focal, slug = (image.focal_x, image.focal_y), image.slug
    for name, value in fields.items():
        setattr(image, name, value)
    if image.slug != slug and (uses := image_uses(Image(slug=slug), markdown_only=True)):
        raise ValidationError(
            {"slug": f"The slug cannot change while Markdown places the image: {'; '.join(uses)}."}
        )
    image.full_clean(exclude=["file"])
    if (image.focal_x, image.focal_y) != focal:
        image.renditions_ready = False
    image.save()
    published_entries_changed(image)
    if not image.renditions_ready:
        renditions_schedule(image)
    return image


@transaction.atomic
def image_delete(*, image, expected_version=None):
    """Delete an image and its files, unless something still shows it."""
    # Entries' writes take the same lock, then check that the images they name exist: an
    # entry saved meanwhile is either seen here or refused there, never left pointing nowhere.
    image = image_lock(image, expected_version=expected_version)
    uses = image_uses(image)
    if uses:
        raise ImageInUse(image, uses)
    folder = image.folder
    image.delete()
    transaction.on_commit(lambda: _delete_folder(image.file.storage, folder))


def _delete_folder(storage, folder):
    _, names = storage.listdir(folder)
    for name in names:
        storage.delete(f"{folder}/{name}")


def image_uses(image, *, markdown_only=False):
    """Name every entry that shows the image, as a hero image or in its Markdown."""
    uses = []
    pattern = re.compile(rf"\]\(\s*image:{re.escape(image.slug)}(?:[\s)])")
    for model in apps.get_models():
        label = str(model._meta.verbose_name)
        for field in () if markdown_only else model._meta.get_fields():
            if field.many_to_one and field.related_model is Image:
                for entry in model._base_manager.filter(**{field.name: image}):
                    uses.append(f"{label} {entry_name(entry)} (as its {field.verbose_name})")
        for field_name in getattr(model, "markdown_fields", ()):
            candidates = model._base_manager.filter(
                **{f"{field_name}__contains": f"image:{image.slug}"}
            )
            for entry in candidates:
                if pattern.search(getattr(entry, field_name)):
                    uses.append(f"{label} {entry_name(entry)} (in its {field_name})")
    return uses


def entry_name(entry):
    return f"'{getattr(entry, 'slug', entry.pk)}'"


def renditions_schedule(image):
    """Have the worker make the renditions after the commit, or make them now without one."""
    if not settings.IMAGE_RENDITIONS_IN_WORKER:
        renditions_make(image)
        return

    def enqueue():
        try:
            make_renditions.apply_async((image.pk,), retry=False)
        except Exception as error:
            logger.warning("Broker unavailable; making renditions here: %r", error)
            renditions_make(image)

    transaction.on_commit(enqueue, robust=True)
