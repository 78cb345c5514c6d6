"""
Reads from read replicas, writes to the primary, and a client's own writes always visible.

With `DATABASE_REPLICA_URLS` set, every read goes to one of the replicas, picked at random,
except while the request is pinned to the primary: requests that write (any method but GET,
HEAD and OPTIONS), requests with credentials (editors, who must see what they just saved:
a replica may lag behind by a moment), and anything inside a transaction on the primary.
Anonymous readers, nearly all the traffic, may see a change a moment late, which public
caches do anyway.
"""

import contextvars
import random

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_pinned_to_primary = contextvars.ContextVar("pinned_to_primary", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if (
            not replicas
            or _pinned_to_primary.get()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        # Spreads load; nothing secret depends on it.
        return random.choice(replicas)  # noqa: S311 # nosec B311

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def needs_primary(request):
    return (
        request.method not in SAFE_METHODS
        or "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


class PrimaryPinningMiddleware:
    """Send every query of a request that writes or has credentials to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pinned_to_primary.set(needs_primary(request))
        try:
            return self.get_response(request)
        finally:
            _pinned_to_primary.reset(token)
