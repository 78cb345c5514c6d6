"""
A bare Django project, the floor `bench/http_table.py` measures the API against.

This one module is its settings (Django's `startproject` defaults: the same apps and the same
middleware) and its URLconf: one view that answers every address with the bytes the API gave
for it, read from the JSON file named by `BENCH_BARE_ANSWERS`, or with a bare 304 when the
request carries `If-None-Match`. It is served by `bin/serve` itself, with
`DJANGO_SETTINGS_MODULE=bench.bare_django`, so that the gunicorn command line is the
project's to the letter.
"""

import base64
import json
import os
import uuid
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified
from django.urls import re_path

FOLDER = Path(os.environ["BENCH_BARE_FOLDER"])

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SITE_CACHE = os.environ.get("BENCH_BARE_SITE_CACHE")
if SITE_CACHE:
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    CACHES = {
        "default": (
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            if SITE_CACHE == "memory"
            else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": SITE_CACHE}
        )
    }
    CACHE_MIDDLEWARE_SECONDS = 3600
ROOT_URLCONF = __name__
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": FOLDER / "bare.sqlite3"}}
STATIC_URL = "static/"
STATIC_ROOT = FOLDER / "static"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _load_answers():
    """Map each full path to the (content type, body) the API answered it with."""
    path = os.environ.get("BENCH_BARE_ANSWERS")
    if not path:
        return {}
    stored = json.loads(Path(path).read_text())
    return {
        address: (content_type, base64.b64decode(body))
        for address, (content_type, body) in stored.items()
    }


ANSWERS = _load_answers()


def answer(request):
    """Answer with bytes prepared in advance: what any Django endpoint costs at the least."""
    if "HTTP_IF_NONE_MATCH" in request.META:
        return HttpResponseNotModified()
    content_type, body = ANSWERS[request.get_full_path()]
    response = HttpResponse(body, content_type=content_type)
    if SITE_CACHE:
        response["X-Bench-Answer"] = uuid.uuid4().hex
    return response


urlpatterns = [re_path(r"", answer)]
