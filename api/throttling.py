"""
Request budgets and request size limits for the API, enforced before anything is served.

`RateLimitMiddleware` runs DRF's throttles before the answer cache (api.conditional), so a
304 or a cached answer is counted like any other request. Each API answer tells the client
its budget in the header fields of draft-ietf-httpapi-ratelimit-headers-11:

    RateLimit-Policy: "anon";q=120;w=60, "search";q=30;w=60
    RateLimit: "anon";r=117;t=42, "search";r=29;t=58

`q` is the quota of a policy, `w` its window in seconds, `r` what is left of it and `t` the
seconds until a request of it is given back (the counts slide: each request is given back a
window after it was made). A request over budget is a 429 problem with `Retry-After`.

Budgets are counted in Django's default cache: shared by every process with Redis, per
process with the in-memory cache. If the cache does not answer, requests are let through.
"""

import math

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
)
from rest_framework.views import APIView

from api.conditional import fail_open
from api.problems import problem_response
from telemetry.metrics import THROTTLED_REQUESTS


def client_address(request):
    """Return the client's address: the TCP peer, or what the trusted proxies saw."""
    return BaseThrottle().get_ident(request)


class SettingsRateMixin:
    """Read the rate from settings when the throttle is made, so tests can change it."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def budget(self):
        """Return (remaining, seconds until a request is given back) after this request."""
        history = getattr(self, "history", [])
        remaining = max(self.num_requests - len(history), 0)
        reset = self.duration - (self.now - history[-1]) if history else self.duration
        return remaining, max(math.ceil(reset), 0)


class AnonymousThrottle(SettingsRateMixin, AnonRateThrottle):
    """A budget per client address for clients without credentials."""


class AuthenticatedThrottle(SettingsRateMixin, UserRateThrottle):
    """A budget per user for authenticated clients; anonymous ones are not counted here."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(SettingsRateMixin, ScopedRateThrottle):
    """A further budget for views that declare a `throttle_scope`, such as search."""


THROTTLES = (AnonymousThrottle, AuthenticatedThrottle, ScopedThrottle)


def _view_class(view_func):
    view_class = getattr(view_func, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return None
    return view_class


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policies = getattr(request, "rate_limit_policies", None)
        if policies:
            response["RateLimit-Policy"] = ", ".join(
                f'"{scope}";q={quota};w={window}' for scope, quota, window, _, _ in policies
            )
            response["RateLimit"] = ", ".join(
                f'"{scope}";r={remaining};t={reset}' for scope, _, _, remaining, reset in policies
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = _view_class(view_func)
        if view_class is not None:
            too_large = self._check_size(request)
            if too_large:
                return too_large
        if view_class is None or not getattr(view_class, "rate_limited", True):
            return None
        # The client as DRF's view will see it: a token or a session names a user. An invalid
        # token counts as anonymous here; the view answers it 401.
        django_user = getattr(request, "user", None)
        drf_request = Request(request, authenticators=view_class().get_authenticators())
        try:
            user = drf_request.user
        except Exception:
            user = None
            drf_request._not_authenticated()
        if not getattr(user, "is_authenticated", False):
            # DRF puts its anonymous user (None) on the request; the middleware after this
            # one expects Django's.
            request.user = django_user
        view = view_class()
        policies = []
        refused = []
        for throttle_class in THROTTLES:
            throttle = throttle_class()
            allowed = fail_open(throttle.allow_request, drf_request, view, default=True)
            if getattr(throttle, "key", None) is None or not hasattr(throttle, "now"):
                continue  # not counted for this client, or the cache did not answer
            remaining, reset = throttle.budget()
            policies.append(
                (throttle.scope, throttle.num_requests, throttle.duration, remaining, reset)
            )
            if not allowed:
                refused.append(math.ceil(throttle.wait() or 1))
                THROTTLED_REQUESTS.labels(throttle.scope).inc()
        request.rate_limit_policies = policies
        if refused:
            wait = max(refused)
            return problem_response(
                request,
                429,
                f"Request budget used up. Try again in {wait} seconds.",
                headers={"Retry-After": str(wait), "Cache-Control": "no-store"},
            )
        return None

    def _check_size(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return problem_response(
                request,
                413,
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
            )
        return None
