"""
Cross-origin requests: reads of the whole API, and POSTs of JSON to the contact form only.

django-cors-headers allows the same methods and request headers on every URL; the
clinic's frontends should read everything but write only where anonymous writes are meant
to happen (CORS_WRITE_URLS_REGEX), so preflights there also allow POST with Content-Type.
"""

import re

from corsheaders import middleware
from django.conf import settings


class CorsMiddleware(middleware.CorsMiddleware):
    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        if (
            request.method == "OPTIONS"
            and middleware.ACCESS_CONTROL_ALLOW_METHODS in response
            and re.match(settings.CORS_WRITE_URLS_REGEX, request.path_info)
        ):
            response[middleware.ACCESS_CONTROL_ALLOW_METHODS] += ", POST"
            response[middleware.ACCESS_CONTROL_ALLOW_HEADERS] += ", content-type"
        return response
