"""The Redis cache backend the project ships (api.redis_cache), for tests that need Redis."""

import os
import socket

import pytest
from django.core.cache import caches
from django.db import connection

# CI runs the suite on SQLite and PostgreSQL at once against one Redis: each run has its
# own database number and each process its own key prefix, and deletes only its own keys.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{11 + (connection.vendor == 'postgresql')}"
KEY_PREFIX = f"ketamine-api-tests-{os.getpid()}"


def shipped_redis_cache(location):
    return {
        "default": {
            "BACKEND": "api.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def use_shipped_redis(settings):
    """Make the test's default cache the shipped backend on the local Redis, emptied."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = shipped_redis_cache(REDIS_TEST_URL)
    forget_own_keys()


def forget_own_keys():
    """Delete this process's keys only: clear() would empty the database for every run using it."""
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)
