"""
Request budgets and request size limits for the API, enforced before anything is served.

`RateLimitMiddleware` runs DRF's throttles before the answer cache (api.conditional), so a
304 or a cached answer is counted like any other request; api.public_answers counts the
anonymous requests it answers early with the same `charge_budgets`. Each API answer tells
the client its budget in the header fields of draft-ietf-httpapi-ratelimit-headers-11:

    RateLimit-Policy: "anon";q=120;w=60, "search";q=30;w=60
    RateLimit: "anon";r=117;t=42, "search";r=29;t=58

`q` is the quota of a policy, `w` its window in seconds, `r` what is left of it and `t` the
seconds until a request of it is given back (the counts slide: each request is given back a
window after it was made). A request over budget is a 429 problem with `Retry-After`.

Budgets are counted in Django's default cache: shared by every process with Redis, per
process with the in-memory cache. With Redis (api.redis_cache) a request's budgets are
counted, and the cached answer read, by one script in one round trip; other caches keep
DRF's history lists, read together and written back. If the cache does not answer,
requests are let through.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
)
from rest_framework.views import APIView

from api.conditional import fail_open
from api.policies import policy_of
from apibase.problems import problem_response
from telemetry.metrics import THROTTLED_REQUESTS


@dataclass(frozen=True)
class Client:
    """Who a request is counted for: its user (None: anonymous) and its Django request."""

    user: object
    request: object

    # What DRF's throttles read of a request, besides the user: its client's address.
    @property
    def META(self):
        return self.request.META

    @property
    def headers(self):
        return self.request.headers


def client_address(request):
    """Return the client's address: the TCP peer, or what the trusted proxies saw."""
    return BaseThrottle().get_ident(request)


class SettingsRateMixin:
    """Read the rate from settings when the throttle is made, so tests can change it."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def key_for(self, request, view):
        """The cache key of this client's history, or None if this budget does not apply."""
        return self.get_cache_key(request, view)

    def count(self, history):
        """DRF's allow_request, given the history read beforehand with the others."""
        self.history = history
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            allowed = self.throttle_failure()
        else:
            allowed = fail_open(self.throttle_success, default=True)
        self.counted(self.now, len(self.history), self.history[-1] if self.history else None)
        return allowed

    def counted(self, now, used, oldest):
        """Note the requests in the window after this one, and when the oldest was made."""
        self.now, self.used, self.oldest = now, used, oldest

    def budget(self):
        """Return (remaining, seconds until a request is given back) after this request."""
        remaining = max(self.num_requests - self.used, 0)
        reset = (
            self.duration - (self.now - self.oldest) if self.oldest is not None else self.duration
        )
        return remaining, max(math.ceil(reset), 0)

    def wait(self):
        """DRF's wait(), from the count instead of the history."""
        remaining = (
            self.duration - (self.now - self.oldest) if self.oldest is not None else self.duration
        )
        available = self.num_requests - self.used + 1
        return remaining / available if available > 0 else None


class AnonymousThrottle(SettingsRateMixin, AnonRateThrottle):
    """A budget per client address for clients without credentials."""


class AuthenticatedThrottle(SettingsRateMixin, UserRateThrottle):
    """A budget per user for authenticated clients; anonymous ones are not counted here."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(SettingsRateMixin, ScopedRateThrottle):
    """A further budget for views whose RateLimit policy names a scope, such as search."""

    def key_for(self, request, view):
        # As ScopedRateThrottle.allow_request: the rate is known once the view is.
        self.scope = policy_of(view).rate_limit.scope
        if not self.scope:
            return None
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().key_for(request, view)


THROTTLES = (AnonymousThrottle, AuthenticatedThrottle, ScopedThrottle)


def _view_class(view_func):
    view_class = getattr(view_func, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return None
    return view_class


def charge_budgets(client, view, *, also_read=None):
    """
    Count a request of `client` (a Client) against every budget of its client and view.

    Return the policies to announce, as (scope, quota, window, remaining, reset) tuples, the
    seconds to wait if a budget is used up (else None), and the cached value of the key
    `also_read` (else None): it is read in the same round trip as the budgets' histories.
    If the cache does not answer, nothing is counted.
    """
    throttles = {}
    for throttle_class in THROTTLES:
        throttle = throttle_class()
        key = throttle.key_for(client, view)
        if key is not None:
            throttles[key] = throttle
    if hasattr(cache, "count_requests") and (throttles or also_read):
        # api.redis_cache: every budget counted and the answer read in one round trip.
        now = time.time()
        budgets = [
            (key, throttle.num_requests, throttle.duration) for key, throttle in throttles.items()
        ]
        counted = fail_open(cache.count_requests, budgets, now, also_read=also_read)
        if counted is None:
            return [], None, None
        counts, cached = counted
        outcomes = []
        for throttle, (allowed, used, oldest) in zip(throttles.values(), counts, strict=True):
            throttle.counted(now, used, oldest)
            outcomes.append(allowed)
    else:
        wanted = [*throttles, *([also_read] if also_read else [])]
        read = fail_open(cache.get_many, wanted, default=None) if wanted else {}
        if read is None:
            return [], None, None
        outcomes = []
        for key, throttle in throttles.items():
            throttle.key = key
            outcomes.append(throttle.count(read.get(key, [])))
        cached = read.get(also_read)
    policies = []
    refused = []
    for throttle, allowed in zip(throttles.values(), outcomes, strict=True):
        remaining, reset = throttle.budget()
        policies.append(
            (throttle.scope, throttle.num_requests, throttle.duration, remaining, reset)
        )
        if not allowed:
            refused.append(math.ceil(throttle.wait() or 1))
            THROTTLED_REQUESTS.labels(throttle.scope).inc()
    return policies, max(refused) if refused else None, cached


def set_budget_headers(response, policies):
    """Tell the client its budgets, as counted for this request."""
    if policies:
        response["RateLimit-Policy"] = ", ".join(
            f'"{scope}";q={quota};w={window}' for scope, quota, window, _, _ in policies
        )
        response["RateLimit"] = ", ".join(
            f'"{scope}";r={remaining};t={reset}' for scope, _, _, remaining, reset in policies
        )


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        set_budget_headers(response, getattr(request, "rate_limit_policies", None))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = _view_class(view_func)
        if view_class is not None:
            too_large = self._check_size(request, view_class)
            if too_large:
                return too_large
        if view_class is None or not policy_of(view_class).rate_limit.counted:
            return None
        # Anonymous requests to public content were counted already by api.public_answers.
        if not hasattr(request, "rate_limit_charge"):
            policies, wait, _ = charge_budgets(self._client(request, view_class), view_class)
            request.rate_limit_charge = policies, wait
        request.rate_limit_policies, wait = request.rate_limit_charge
        if wait is not None:
            return problem_response(
                request,
                429,
                f"Request budget used up. Try again in {wait} seconds.",
                headers={"Retry-After": str(wait), "Cache-Control": "no-store"},
            )
        return None

    def _client(self, request, view_class):
        """The client as DRF's view will see it: a token or a session names a user."""
        # An invalid token counts as anonymous here; the view answers it 401.
        django_user = getattr(request, "user", None)
        drf_request = Request(request, authenticators=view_class().get_authenticators())
        try:
            user = drf_request.user
        except Exception:
            user = None
        # The view's authentication reuses the token looked up here (api.authentication).
        request.token_lookup = getattr(drf_request, "token_lookup", None)
        if not getattr(user, "is_authenticated", False):
            # DRF puts its anonymous user (None) on the request; the middleware after this
            # one expects Django's.
            request.user = django_user
            user = None
        return Client(user, request)

    def _check_size(self, request, view_class):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # A view that takes uploads says how large a body it takes.
        limit = policy_of(view_class).max_body_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return problem_response(request, 413, f"The request body is larger than {limit} bytes.")
        return None
