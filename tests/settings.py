"""The project's settings, with the two values production must be given set for the tests."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ["DJANGO_DEBUG"] = "0"

from api.settings import *  # noqa: F403

# Hashing passwords the production way costs a second per user; tests make many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
