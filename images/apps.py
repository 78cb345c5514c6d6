from django.apps import AppConfig

from publishing import kinds


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        # Its alt text is translated with content's workflow (publishing/kinds.py).
        kinds.register(self.get_model("Image"))
