"""
Validators, 304s, Cache-Control and the server-side cache of public answers, in one place.

Every GET or HEAD to a view with the PublicContent policy (api.policies) goes through
`ConditionalGetMiddleware`. The answer to such a request depends only on the content
generation (see publishing.models.ContentVersion), the address, the Accept header and the
language negotiated (apibase.languages), so:

- the validators are derived from those before the view runs: `ETag: W/"<generation>-<hash>"`
  and `Last-Modified` = when the generation began (see `Validator.last_modified()`);
- rendered 200 answers are cached under the same key, so a hit costs that query and a cache
  read, and a matching `If-None-Match` (or, without it, `If-Modified-Since`) is then a 304.
  Without a cached answer the view runs first, and only a 200 becomes a 304: an address
  that answers 404 never answers 304. A new generation is a new key: nothing is deleted,
  and every process sees the change as soon as it is committed.

Anonymous hits and 304s are answered earlier still, by api.public_answers, with the
generation remembered for CONTENT_VERSION_MAX_AGE_MS: no query, and changes made through
another process seen that much later at most.

Requests with credentials (a logged-in session or an Authorization header) bypass all of
it and are answered `private, no-store`.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from api.policies import policy_of
from apibase.languages import negotiated_language
from publishing.changes import content_version_get
from telemetry.metrics import ANSWER_CACHE_HITS, ANSWER_CACHE_MISSES

# The answer depends on these request headers: Accept picks (or refuses) the representation,
# Accept-Encoding its compression, and credentials make it private.
VARY = ("Accept", "Accept-Encoding", "Authorization", "Cookie")
PRIVATE = "private, no-store"
# Response headers worth keeping with a cached body; the rest are set on the way out. Vary:
# an answer that varies on more than VARY (Accept-Language) says so when served again.
STORED_HEADERS = (
    "Content-Type",
    "Allow",
    "Content-Language",
    "Vary",
    "Cache-Tag",
    "Surrogate-Key",
)

logger = logging.getLogger(__name__)


class CacheBreaker:
    """
    Run cache operations, failing open: if the cache does not answer, return a default, and
    leave it alone for CACHE_OUTAGE_PAUSE_SECONDS before trying it again.

    The cache only saves work: when Redis is down or unreachable, answers come from the
    database as if every read were a miss, and nothing is stored. Without the pause, a Redis
    that hangs would cost every operation of every request its socket timeout.
    """

    def __init__(self):
        self.paused_until = 0.0

    def __call__(self, operation, *args, default=None, **kwargs):
        if time.monotonic() < self.paused_until:
            return default
        try:
            return operation(*args, **kwargs)
        except Exception as error:
            pause = settings.CACHE_OUTAGE_PAUSE_SECONDS
            self.paused_until = time.monotonic() + pause
            logger.warning("Cache unavailable, serving without it for %s s: %r", pause, error)
            return default

    def reset(self):
        self.paused_until = 0.0


# One per process: every thread knows at once that the cache does not answer.
fail_open = CacheBreaker()


class AnswerCache:
    """
    Where answers are kept: Django's default cache and, when that is shared (Redis), the
    `local` cache in front of it, with the answers this process served lately, so that a warm
    hit needs no round trip. An answer is kept under its generation's key and never changes:
    a copy in memory is as current as the shared one.
    """

    def recall(self, key):
        """The answer this process kept, or None."""
        local = self._local()
        return local.get(key) if local else None

    def keep(self, key, answer):
        """Keep an answer read from the shared cache in this process too."""
        local = self._local()
        if local:
            local.set(key, answer)

    def get(self, key):
        answer = self.recall(key)
        if answer is None:
            answer = fail_open(cache.get, key)
            if answer is not None:
                self.keep(key, answer)
        return answer

    def set(self, key, answer):
        fail_open(cache.set, key, answer)
        self.keep(key, answer)

    def _local(self):
        return caches["local"] if "local" in settings.CACHES else None


answer_cache = AnswerCache()


def has_credentials(request):
    """Whether the request is made as somebody: such answers are never shared."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    # Without a session cookie there is nobody to look up, and no query to make.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def public_cache_control():
    return (
        f"public, max-age={settings.CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.CACHE_STALE_WHILE_REVALIDATE}"
    )


class Validator:
    """The validators and cache key of the answer to one request at the current generation."""

    def __init__(self, version, request):
        # Host and scheme too: pagination links in the body are absolute.
        variant = "\n".join(
            (
                str(version.changed_at.timestamp()),
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
                negotiated_language(request),
            )
        )
        digest = hashlib.blake2b(variant.encode(), digest_size=12).hexdigest()
        self.etag = f'W/"{version.generation}-{digest}"'
        self.cache_key = f"answer:{version.generation}:{digest}"
        self.changed_at = version.changed_at.timestamp()

    def is_fresh(self, request):
        """Whether the client's copy is the current answer (RFC 9110 section 13.2.2)."""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            # Weak comparison: the same answer, compressed or not, is equivalent. "*" is left
            # to the full answer: on a GET it can only save a body, never change one.
            tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
            return self.etag.removeprefix("W/") in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and self.changed_at <= since

    def last_modified(self):
        """
        Return the Last-Modified date, or None while the generation's time is still ahead.

        changed_at moves on by a whole second at least with each generation, so a copy
        stamped with it is never mistaken for a later one. During a burst of saves it runs
        ahead of the clock; Last-Modified must not be in the future, and any earlier date
        could also stamp an older generation's copy: until the clock catches up, answers
        carry only their ETag.
        """
        if self.changed_at > timezone.now().timestamp():
            return None
        return http_date(self.changed_at)

    def store(self, response):
        """Keep the answer in the server's cache, under the key of this generation."""
        headers = {name: response[name] for name in STORED_HEADERS if name in response}
        answer_cache.set(self.cache_key, (response.content, headers))

    def set_headers(self, response):
        response["ETag"] = self.etag
        last_modified = self.last_modified()
        if last_modified:
            response["Last-Modified"] = last_modified
        response["Cache-Control"] = public_cache_control()


class ConditionalGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not hasattr(request, "content_validator"):
            return response
        validator = request.content_validator
        patch_vary_headers(response, VARY)
        # DRF sets the user it authenticated on the request too: an answer made for somebody
        # (by any authentication, not only the two seen before the view) is never shared.
        if validator is None or getattr(request.user, "is_authenticated", False):
            response["Cache-Control"] = PRIVATE
        elif response.status_code in {200, 304}:
            if self._should_store(request, response):
                validator.store(response)
            if response.status_code == 200 and validator.is_fresh(request):
                response = HttpResponseNotModified()
                patch_vary_headers(response, VARY)
            validator.set_headers(response)
        else:
            # Errors carry no validator: let nobody reuse one without asking again.
            response["Cache-Control"] = "no-cache"
        return response

    def _should_store(self, request, response):
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not getattr(response, "from_answer_cache", False)
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if request.method not in {"GET", "HEAD"}:
            return None
        if not policy_of(view_class).public_content:
            return None
        if has_credentials(request):
            request.content_validator = None
            return None
        # api.public_answers may have read the generation and missed the cache already.
        early = getattr(request, "public_answer_validator", None)
        validator = request.content_validator = early or Validator(content_version_get(), request)
        if early:
            ANSWER_CACHE_MISSES.inc()
            return None
        cached = answer_cache.get(validator.cache_key)
        if cached is None:
            ANSWER_CACHE_MISSES.inc()
            return None
        if validator.is_fresh(request):
            return HttpResponseNotModified()
        ANSWER_CACHE_HITS.inc()
        content, headers = cached
        response = HttpResponse(content, headers=headers)
        response.from_answer_cache = True
        return response
