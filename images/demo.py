"""Load a folder of images described in images.yaml into the library (the demo's diagrams)."""

import yaml
from django.core.files import File

from images.models import Image
from images.services import image_create


def load_image_folder(folder):
    """
    Store each image listed in folder/images.yaml whose slug is new; an image already stored is
    left as it is. Return how many were stored and, by entry slug, the image it shows first.
    """
    created, heroes = 0, {}
    for described in yaml.safe_load((folder / "images.yaml").read_text(encoding="utf-8")):
        described = dict(described)
        hero_of = described.pop("hero_of", [])
        name = described.pop("file")
        image = Image.objects.filter(slug=described["slug"]).first()
        if image is None:
            with (folder / name).open("rb") as upload:
                image = image_create(upload=File(upload, name=name), **described)
            created += 1
        heroes.update(dict.fromkeys(hero_of, image))
    return created, heroes
