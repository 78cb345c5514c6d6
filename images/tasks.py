"""The worker's task: make an image's renditions after its upload or a new focal point."""

from celery import shared_task

from images.models import Image
from images.rendering import renditions_make


@shared_task(name="images.tasks.make_renditions")
def make_renditions(image_id):
    image = Image.objects.filter(pk=image_id).first()
    if image is not None:  # deleted meanwhile
        renditions_make(image)
