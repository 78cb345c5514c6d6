"""The admin's Markdown editor: a textarea with a toolbar, link and image pickers and a preview."""

from django import forms
from django.urls import reverse

# The media library's public list (issue 17), read by the image picker; the picker says so
# plainly when the address answers 404, on a server without the library.
IMAGES_URL = "/api/v1/images/"


class MarkdownEditor(forms.Textarea):
    """
    A plain textarea that the script enhances: the textarea stays the form's field, so the
    form posts, validates and works without script exactly as before.
    """

    class Media:
        css = {"all": ["editorial/markdown-editor.css"]}
        js = ["editorial/markdown-editor.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 20, "class": "markdown-editor editor-wide", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Addresses given to the script as data attributes: the policy allows no inline script.
        context["widget"]["attrs"].update(
            {
                "data-preview-url": reverse("markdown-preview"),
                "data-link-targets-url": reverse("link-targets"),
                "data-images-url": IMAGES_URL,
            }
        )
        return context
