"""
Anonymous reads of public content answered from the answer cache, early.

Most requests are anonymous GETs of something answered before (see api.conditional). Such a
request needs no session, user, CSRF check or messages: `PublicAnswerMiddleware` runs before
those and answers it itself. The content generation comes from memory, for at most
CONTENT_VERSION_MAX_AGE_MS (see `RememberedContentVersion`): a warm hit makes no query. With
Redis, the answer comes from this process's memory too when it served it lately
(api.conditional.AnswerCache), and the budgets are mostly counted there
(api.redis_cache.BudgetLedger): such a hit makes no round trip either. Else one round trip
counts the budgets and reads the answer (other caches take a read and a write).
Everything else passes through untouched:

- requests with credentials (an Authorization header or a session cookie), other methods,
  requests with a body, and addresses that are not public content;
- a request whose budget is used up: the request is counted here once, and
  api.throttling.RateLimitMiddleware answers the 429 from that count;
- a miss, or a cache that does not answer: api.conditional takes over with the validator
  computed here when it read the generation, so that is read once per request as before.

The answer carries what the middleware below this one would have added to a cached answer:
the validators and Cache-Control, Vary, the budget headers and Content-Length. The
middleware above it (CORS, security headers, framing, compression, request ids)
applies as to any response.
"""

import functools
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from api.conditional import VARY, Validator, answer_cache
from api.policies import policy_of
from api.throttling import Client, charge_budgets, set_budget_headers
from publishing.changes import content_version_get, content_version_moved
from representations.answers import materialised_answer
from telemetry.metrics import ANSWER_CACHE_HITS, ANSWER_CACHE_MISSES


class RememberedContentVersion:
    """
    The content version this process read last, trusted for CONTENT_VERSION_MAX_AGE_MS.

    A change made through this process drops it at once (publishing.changes sends
    `content_version_moved`), so only changes made through other processes are seen late,
    and at most that late: the age counts from before the read. A publish date that has
    come is never waited for: content_version_get() then runs the publish.
    """

    def __init__(self):
        self._remembered = None  # (monotonic time the read began, version)

    def get(self):
        """Return the content version and whether it was read from the database just now."""
        started = time.monotonic()
        remembered = self._remembered
        if remembered is not None:
            read_at, version = remembered
            due = version.next_scheduled_at
            if started - read_at < settings.CONTENT_VERSION_MAX_AGE_MS / 1000 and (
                due is None or due > timezone.now()
            ):
                return version, False
        version = content_version_get()
        self._remembered = (started, version)
        return version, True

    def forget(self, **kwargs):
        self._remembered = None


content_version = RememberedContentVersion()
content_version_moved.connect(content_version.forget)


@receiver(setting_changed)
def forget_resolved_addresses(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _public_view.cache_clear()


def public_view(path):
    """The view (its function and arguments) serving `path` if it serves public content under
    a budget, else None."""
    return _public_view(get_urlconf() or settings.ROOT_URLCONF, path)


# Resolving took a sixth of a cached answer's CPU, and clients ask for the same few addresses.
# Bounded: the addresses are the client's to choose.
@functools.lru_cache(maxsize=4096)
def _public_view(urlconf, path):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    policy = policy_of(getattr(match.func, "cls", None))
    if not policy.public_content or not policy.rate_limit.counted:
        return None
    return match


def is_plain_anonymous_read(request):
    return (
        request.method in {"GET", "HEAD"}
        and "HTTP_AUTHORIZATION" not in request.META
        # Even a signed-out session goes the long way: only the session can tell.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and request.META.get("CONTENT_LENGTH") in {None, "", "0"}
    )


class PublicAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.cached_answer(request)
        if response is None:
            return self.get_response(request)
        return response

    def cached_answer(self, request):
        """Answer from the cache, or return None to let the rest of the stack answer."""
        if not is_plain_anonymous_read(request):
            return None
        view = public_view(request.path_info)
        if view is None:
            return None
        try:
            version, read_now = content_version.get()
            validator = Validator(version, request)
        except (DatabaseError, DisallowedHost):
            return None  # the long way answers these as it always has
        # Without credentials there is nobody to authenticate: DRF's anonymous request. An
        # answer this process kept needs no round trip; else it is read with the budgets.
        cached = answer_cache.recall(validator.cache_key)
        policies, wait, fetched = charge_budgets(
            Client(None, request),
            view.func.cls,
            also_read=None if cached is not None else validator.cache_key,
        )
        request.rate_limit_charge = policies, wait
        if fetched is not None:
            answer_cache.keep(validator.cache_key, fetched)
            cached = fetched
        if wait is not None:
            return None
        if cached is None:
            response = self.materialised_answer(request, view, validator, read_now)
            if response is None:
                return None
        else:
            content, headers = cached
            # Only an answer stored at this generation proves that the address is one: a 304
            # needs it as much as a 200.
            if validator.is_fresh(request):
                response = HttpResponseNotModified()
            else:
                ANSWER_CACHE_HITS.inc()
                response = HttpResponse(content, headers=headers)
        patch_vary_headers(response, VARY)
        validator.set_headers(response)
        set_budget_headers(response, policies)
        # What CommonMiddleware adds, below this one.
        response["Content-Length"] = str(len(response.content))
        return response

    def materialised_answer(self, request, view, validator, read_now):
        """A miss: answer from stored representations, else None to answer the long way."""
        response = materialised_answer(request, view)
        if response is None:
            # Read from the database just now: api.conditional need not read it again.
            # Remembered: it reads the current version, so a miss stores a current answer.
            if read_now:
                request.public_answer_validator = validator
            return None
        ANSWER_CACHE_MISSES.inc()
        if read_now:
            validator.store(response)
        if validator.is_fresh(request):
            return HttpResponseNotModified()
        return response
