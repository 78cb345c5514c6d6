"""The WSGI application, with chunked request bodies read within the size limit."""

import io
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")


class ChunkedBodyBuffer:
    """
    Give a chunked request body a Content-Length, reading at most one byte past the size limit.

    Django and DRF read a body only as far as Content-Length says, so a chunked one (which has
    none) would be taken as empty: an edit lost without a word. Read here, a body within
    DATA_UPLOAD_MAX_MEMORY_SIZE is parsed as sent, and a larger one meets the usual size check
    (a 413 problem) without more of it than that ever being held in memory.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            body = environ["wsgi.input"].read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.application(environ, start_response)


application = ChunkedBodyBuffer(get_wsgi_application())
