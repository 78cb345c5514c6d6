"""The project's settings, with the two values production must be given set for the tests."""

import atexit
import os
import secrets
import shutil
import tempfile

from cryptography.fernet import Fernet

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ["DJANGO_DEBUG"] = "0"
# Keys made afresh for each run: the test databases are made afresh too.
os.environ.setdefault("ENQUIRY_ENCRYPTION_KEYS", Fernet.generate_key().decode())
os.environ.setdefault("ENQUIRY_LOOKUP_KEY", secrets.token_urlsafe(32))

from api.settings import *  # noqa: F403

# Hashing passwords the production way costs a second per user; tests make many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Budgets large enough never to be reached by the suite; tests of throttling set their own.
API_THROTTLE_RATES = {
    "anon": "100000/minute",
    "user": "100000/minute",
    "search": "100000/minute",
    "enquiries": "100000/minute",
}
# Nothing is measured, traced or reported from the environment the suite runs in: the tests of
# metrics, tracing and error reporting turn each on for themselves.
METRICS_TOKEN = ""
METRICS_ENABLED = False
OTEL_EXPORTER_OTLP_ENDPOINT = ""
SENTRY_DSN = ""

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False

# Commits on PostgreSQL do not wait for the write-ahead log to reach the disk: the test
# database is thrown away, and the suite's transactional tests and migrations commit often.
# Here only, never in api.settings: a crash of a production server would lose the last commits.
if DATABASES["default"]["ENGINE"] == "api.postgresql":  # noqa: F405
    _options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    _options["options"] = f"{_options['options']} -c synchronous_commit=off"

# A replica for the routing tests: the same test database under a second alias. Reads go to it
# only when a test lists it in DATABASE_REPLICAS.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# The worker's tests run a Celery worker in a thread on an in-memory broker (some on Redis),
# with a fast relay and short backoff, and deliver to receivers on the loopback interface.
CELERY_BROKER_URL = "memory://"
WEBHOOK_RELAY_INTERVAL_SECONDS = 0.2
WEBHOOK_RETRY_BASE_SECONDS = 0.2
WEBHOOK_RETRY_MAX_SECONDS = 1
WEBHOOK_ALLOW_PRIVATE_TARGETS = True


def _folder_for_this_process(prefix):
    """A new folder, removed when this process exits."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# Uploaded images of the whole run go to a folder of their own, never into the checkout.
MEDIA_ROOT = _folder_for_this_process("ketamine-test-media-")

# Static files as in development: from the apps, never from a folder `bin/serve` collected into
# the checkout earlier (its manifest would name files older than the code under test).
STATIC_ROOT = _folder_for_this_process("ketamine-test-static-")

# A throwaway content type, registered only by the test that proves a fourth type needs nothing
# but its app and one registration (tests/test_content_registry.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.fourth_type"]  # noqa: F405
