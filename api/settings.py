"""
Settings for the clinic's content API, read from the environment in this one place.

A fresh checkout runs with no configuration at all (SQLite, in-memory cache) as long as
DJANGO_DEBUG=1 is set; without it the process refuses to start unless the secrets it needs
are given. Every variable is listed in the README.
"""

import base64
import hashlib
import json
import os
import re
from pathlib import Path

import dj_database_url
import phonenumbers
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default, minimum=0):
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number from {minimum}, not {value!r}.")
    return int(value)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_origins(name):
    """Return comma-separated origins such as https://app.example.org, each checked."""
    origins = env_list(name)
    for origin in origins:
        if not re.fullmatch(r"https?://[^/\s?#]+", origin):
            raise ImproperlyConfigured(
                f"{name} must list origins like https://app.example.org (scheme and host, "
                f"no path or trailing slash), not {origin!r}."
            )
    return origins


def env_base_url(name):
    """Return an absolute http(s) URL without its trailing slash, or "" when unset."""
    value = os.environ.get(name, "").rstrip("/")
    if value and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
        raise ImproperlyConfigured(
            f"{name} must be an absolute URL such as https://www.clinic.example, not {value!r}."
        )
    return value


def env_path_template(name, default):
    """Return a URL path template such as /learn/{slug}/: it must start with / and use {slug}."""
    value = os.environ.get(name) or default
    rest = value.replace("{slug}", "")
    if not value.startswith("/") or rest == value or "{" in rest or "}" in rest:
        raise ImproperlyConfigured(
            f"{name} must be a path with {{slug}} in it, such as /learn/{{slug}}/, not {value!r}."
        )
    return value


def env_required(name, dev_default):
    """Return the variable, or a development default when DEBUG is on."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off.")


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = env_required("DJANGO_SECRET_KEY", "insecure-development-key-never-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

INSTALLED_APPS = [
    # Before the admin, so that its admin classes can extend the admin's.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "reversion",
    "reversion_compare",
    "axes",
    "entries",
    "content",
    "publishing",
    "editorial",
    "taxonomy",
    "search",
    "articles",
    "research",
    "glossary",
    "enquiries",
    "webhooks",
    "images",
    "transfer",
    "relevance",
    "representations",
    "api",
    # After `api`, whose `spectacular` command writes the schema as the API serves it.
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # Outermost, so that every log line of the request, errors included, carries its id.
    "api.observability.RequestIdMiddleware",
    # Next, so that its latency covers everything below; installed only with METRICS_TOKEN.
    "api.observability.MetricsMiddleware",
    # Before anything reads the database (sessions, tokens): decides primary or replica.
    "api.replicas.PrimaryPinningMiddleware",
    # First, so that preflight requests and every response, errors included, get CORS headers.
    "api.cors.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the answer cache and the 304s, so every answer is refused framing alike.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every answer; it matters on the admin's and the docs' pages.
    "api.csp.CSPMiddleware",
    # Outside everything that writes a body, so cached answers are compressed too. Django adds
    # random bytes against BREACH; anonymous answers hold no secrets anyway.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reads of public content answered from the answer cache, budget counted,
    # before sessions, authentication, CSRF and messages (api.public_answers).
    "api.public_answers.PublicAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Counts every API request against its client's budget, so before the answer cache: a
    # 304 or a cached answer costs as much budget as any other.
    "api.throttling.RateLimitMiddleware",
    # Needs request.user; answers 304s and cached answers before the view is called.
    "api.conditional.ConditionalGetMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every login attempt before the ordinary backend does.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name out of the admin after this many failed logins from one address, for an hour.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("ADMIN_LOGIN_LOCKOUT_MINUTES", 60, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "api.urls"
WSGI_APPLICATION = "api.wsgi.application"

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


def database(url):
    """Return one database's settings: connections reused, checked, and bounded in time."""
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A server that does not answer fails the request in seconds instead of hanging a
        # worker; a query that runs away is cancelled by the server itself.
        statement_timeout_ms = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
        config.setdefault("OPTIONS", {}).update(
            connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1),
            # JIT off: its compilation (seconds) dwarfs the short queries here, and the
            # planner turns it on for the batched related-content query of a sync page.
            options=f"-c statement_timeout={statement_timeout_ms} -c jit=off",
            # A host that is gone (power, network) is noticed by TCP: data unacknowledged
            # for 5 s, or an idle connection whose keepalives go unanswered, fails.
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=5000,
        )
        # A server that is frozen still acknowledges at the TCP level: api.postgresql bounds
        # each wait on the client. A reused connection gets this long to answer its health
        # check before a new one is tried; a query the statement timeout plus a second.
        config["ENGINE"] = "api.postgresql"
        config["HEALTH_CHECK_TIMEOUT"] = (
            env_int("DATABASE_HEALTH_CHECK_TIMEOUT_MS", 1000, minimum=1) / 1000
        )
        config["QUERY_TIMEOUT"] = (
            (statement_timeout_ms + 1000) / 1000 if statement_timeout_ms else None
        )
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# Read replicas of the primary, comma-separated URLs: anonymous reads go to them (see
# api.replicas); writes and editors' requests stay on the primary.
DATABASE_REPLICAS = []
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_index}"] = database(_url)
    DATABASE_REPLICAS.append(f"replica{_index}")
DATABASE_ROUTERS = ["api.replicas.PrimaryReplicaRouter"]

# Rendered public answers, keyed by content generation: a change is a new key, nothing to
# delete. In memory per process by default; shared by every process with REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "api.redis_cache.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "ketamine-api",
        "KEY_PREFIX": "ketamine-api",
        "TIMEOUT": env_int("CACHE_TIMEOUT", 3600, minimum=1),
        # Redis answers in a millisecond or two; one that does not answer in 0.1 s is taken
        # as down. The cache is optional (see api.conditional.fail_open): answers then come
        # from the database, and Redis is left alone for CACHE_OUTAGE_PAUSE_SECONDS.
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}
        if REDIS_URL
        else {"MAX_ENTRIES": 2000},
    }
}
# With a shared cache, each process also keeps the answers it served lately in its own memory
# (api.conditional.answer_cache): a warm hit then needs no round trip. At most this many; 0: off.
ANSWER_MEMORY_ENTRIES = env_int("ANSWER_MEMORY_ENTRIES", 500)
if REDIS_URL and ANSWER_MEMORY_ENTRIES:
    CACHES["local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "recent-answers",
        "TIMEOUT": CACHES["default"]["TIMEOUT"],
        "OPTIONS": {"MAX_ENTRIES": ANSWER_MEMORY_ENTRIES},
    }
# Off (Django's DummyCache: nothing stored, no budget counted) only to measure or debug the
# uncached path, e.g. by bench/http_table.py.
if env_bool("CACHE_DISABLED"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Anonymous cache hits (api.public_answers) trust the content version this process read last
# for this long: a change made through another process is served at most this late, one made
# through this process at once. 0: read it from the database for every hit.
CONTENT_VERSION_MAX_AGE_MS = env_int("CONTENT_VERSION_MAX_AGE_MS", 1000)
# Public items' answers are rendered when they change (representations/): up to this many
# items right after the commit of the change, more by the worker, and every
# RENDER_STALE_INTERVAL_SECONDS whatever a lost task left stale. A stale one is answered the
# long way meanwhile.
RENDER_INLINE_LIMIT = env_int("RENDER_INLINE_LIMIT", 20, minimum=0)
RENDER_STALE_INTERVAL_SECONDS = env_int("RENDER_STALE_INTERVAL_SECONDS", 60, minimum=1)
CACHE_OUTAGE_PAUSE_SECONDS = env_int("CACHE_OUTAGE_PAUSE_SECONDS", 10, minimum=1)
# Cache-Control of anonymous answers: how long browsers and CDNs may reuse one without asking,
# and how long after that they may still serve it while they revalidate in the background.
CACHE_MAX_AGE = env_int("CACHE_MAX_AGE", 60)
CACHE_STALE_WHILE_REVALIDATE = env_int("CACHE_STALE_WHILE_REVALIDATE", 300)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Spanish")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A Spanish field never borrows the English text: whether an entry falls back is decided for
# the whole translation (articles.translations), never field by field.
MODELTRANSLATION_ENABLE_FALLBACKS = False
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "api.static_files.HashedStaticFilesStorage"},
}
# Serve admin and API-docs assets straight from the installed apps, so nothing has to be
# collected first; `collectstatic` adds hashed, compressed copies for production.
WHITENOISE_USE_FINDERS = True
# Pages link only to the hashed copies: collect and compress nothing else. Source maps are
# fetched only by a developer's tools, and compressing them would cost most of the time.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# What the admin's and the API docs' pages may load and run: their own scripts only, no
# inline or injected script, nothing from another origin (the docs' assets are served here by
# drf-spectacular-sidecar). Inline styles stay allowed: the admin's markup and Redoc's rendering
# use them, and a style cannot run code. Redoc parses the schema in a worker made from a blob.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Cross-origin reads from the clinic's own frontends; any other origin gets no CORS headers.
CORS_ALLOWED_ORIGINS = env_origins("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Conditional requests need their validators sent back and readable by the client's script.
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-Request-ID",
]
# The few anonymous write endpoints (the website's contact form) also take cross-origin POSTs
# of JSON from those origins; everything else stays read-only across origins.
CORS_WRITE_URLS_REGEX = r"^/api/v1/enquiries/$"

# HTTPS. Off only under DJANGO_DEBUG=1; each can be turned off on its own, e.g. for a
# deployment that terminates TLS elsewhere and talks plain HTTP to every hop.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe, and Prometheus scrapes each server, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# A refused CSRF check is a problem details document too, not Django's HTML page.
CSRF_FAILURE_VIEW = "apibase.problems.csrf_failure"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
# How many reverse proxies (load balancer, CDN) stand in front of the app and append to
# X-Forwarded-For. Only then are X-Forwarded-For and X-Forwarded-Proto believed: the client
# address is the one the outermost trusted proxy saw, whatever the client claims before it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Admin lockouts count failures by the same client address as request budgets.
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_address"

# Request bodies (editors' JSON) are small; anything larger is refused with a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1_048_576, minimum=1024)

# Request budgets, as DRF rates ("<n>/<second|minute|hour|day>"): per client address for
# anonymous clients, per user for authenticated ones, and a stricter one for search on top.
# They are counted in the default cache, so they hold across processes only with REDIS_URL.
API_THROTTLE_RATES = {
    "anon": os.environ.get("THROTTLE_ANON_RATE") or "120/minute",
    "user": os.environ.get("THROTTLE_USER_RATE") or "600/minute",
    "search": os.environ.get("THROTTLE_SEARCH_RATE") or "30/minute",
    "enquiries": os.environ.get("THROTTLE_ENQUIRIES_RATE") or "5/hour",
}
# Counted in Redis, a budget costs a round trip per request. A process may instead count up
# to API_BUDGET_BATCH requests of a client itself and report them with the next round trip, as
# long as what it last heard from Redis, at most API_BUDGET_SYNC_MS ago, leaves more than
# that batch of the budget: exact with one process, and under two batches more per further
# process a client reaches (api.redis_cache.BudgetLedger). 0: every request is a round trip.
API_BUDGET_BATCH = env_int("API_BUDGET_BATCH", 10)
API_BUDGET_SYNC_MS = env_int("API_BUDGET_SYNC_MS", 1000)
for _scope, _rate in API_THROTTLE_RATES.items():
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(
            f"THROTTLE_{_scope.upper()}_RATE must look like 120/minute, not {_rate!r}."
        )

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
# One JSON object a line on standard error, each with the id of the request it belongs to.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "api.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(trace_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # api.access logs each request once; Django's own request log would repeat errors.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Prometheus metrics at /metrics, served only to `Authorization: Bearer <METRICS_TOKEN>`; without
# the token nothing is recorded per request and /metrics is a 404. Under gunicorn each worker
# writes to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes one) and a scrape sums them.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    # /metrics has no request budget: the token alone must resist guessing.
    raise ImproperlyConfigured(
        "METRICS_TOKEN must be at least 32 characters, e.g. from "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
    )
METRICS_ENABLED = bool(METRICS_TOKEN)
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

# Traces of every request, database query and Redis command, exported over OTLP (HTTP and
# protobuf) to this collector address, e.g. http://otel-collector:4318; unset, nothing is
# traced. The SDK reads its other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS,
# OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, ...).
OTEL_EXPORTER_OTLP_ENDPOINT = env_base_url("OTEL_EXPORTER_OTLP_ENDPOINT")
OTEL_SERVICE_NAME = os.environ.get("OTEL_SERVICE_NAME") or "ketamine-content-api"

# Errors reported to Sentry (or a compatible service) when a DSN is given, with personal data
# scrubbed (see telemetry.error_reporting).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT") or "production"

# Where the clinic's website shows each item. When FRONTEND_BASE_URL is set, the `url` in an
# item's JSON-LD is that base followed by its type's path; otherwise it is the item's API address.
FRONTEND_BASE_URL = env_base_url("FRONTEND_BASE_URL")
FRONTEND_PATHS = {
    "article": env_path_template("FRONTEND_ARTICLE_PATH", "/articles/{slug}/"),
    "faq": env_path_template("FRONTEND_FAQ_PATH", "/faqs/{slug}/"),
    "research": env_path_template("FRONTEND_RESEARCH_PATH", "/research/{slug}/"),
    "glossary": env_path_template("FRONTEND_GLOSSARY_PATH", "/glossary/{slug}/"),
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Token first, so that an anonymous write is told to authenticate (401), not refused (403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, looked up once per request (api.authentication).
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apibase.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Budgets are enforced by api.throttling.RateLimitMiddleware, before the answer cache.
    "DEFAULT_THROTTLE_CLASSES": [],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "URL_FORMAT_OVERRIDE": None,
    "PAGE_SIZE": 20,
}

# Editorial workflow. Each content type is due for a new medical review this many months after
# its last one.
EDITORIAL_REVIEW_INTERVAL_MONTHS = {
    "articles.article": env_int("REVIEW_INTERVAL_MONTHS_ARTICLES", 12, minimum=1),
    "articles.faq": env_int("REVIEW_INTERVAL_MONTHS_FAQS", 12, minimum=1),
    "research.researchsummary": env_int("REVIEW_INTERVAL_MONTHS_RESEARCH", 12, minimum=1),
    "glossary.glossaryentry": env_int("REVIEW_INTERVAL_MONTHS_GLOSSARY", 12, minimum=1),
}
# The Flesch-Kincaid grade content should stay at or below; editors are warned above it.
READABILITY_TARGET_GRADE = env_int("READABILITY_TARGET_GRADE", 9, minimum=1)
# How long a preview link from the admin works, and where it points: the API's own preview
# endpoint unless a frontend page is given, with "{token}" where the token goes.
EDITORIAL_PREVIEW_MAX_AGE_SECONDS = env_int("PREVIEW_LINK_MAX_AGE_SECONDS", 3600, minimum=1)
EDITORIAL_PREVIEW_URL = os.environ.get("PREVIEW_URL", "")


def env_fernet_keys(name, dev_default):
    """Return the comma-separated Fernet keys, newest first; each must be a valid key."""
    keys = env_list(name) or ([dev_default] if DEBUG else [])
    if not keys:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off.")
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list Fernet keys (32 url-safe base64-encoded bytes each, made by "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from None
    return keys


def derived_development_key(purpose):
    """Return a key derived from the development SECRET_KEY: only ever used under DEBUG."""
    digest = hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# Consultation enquiries from the website's contact form (see the enquiries app).
# Personal fields are encrypted with the first key; every key decrypts, so a new key goes first
# and the old ones stay until `manage.py reencrypt_enquiries` has run.
ENQUIRY_ENCRYPTION_KEYS = env_fernet_keys(
    "ENQUIRY_ENCRYPTION_KEYS", derived_development_key("enquiry-encryption")
)
# Keyed hashes of the normalised email and phone, to find one person's enquiries on request.
ENQUIRY_LOOKUP_KEY = env_required("ENQUIRY_LOOKUP_KEY", derived_development_key("enquiry-lookup"))
ENQUIRY_RETENTION_DAYS = env_int("ENQUIRY_RETENTION_DAYS", 90, minimum=1)
ENQUIRY_MIN_FILL_SECONDS = env_int("ENQUIRY_MIN_FILL_SECONDS", 3)
ENQUIRY_FORM_MAX_AGE_SECONDS = env_int("ENQUIRY_FORM_MAX_AGE_SECONDS", 86_400, minimum=60)
ENQUIRY_PRIVACY_NOTICE_VERSION = os.environ.get("ENQUIRY_PRIVACY_NOTICE_VERSION") or "1"
ENQUIRY_PHONE_REGION = (os.environ.get("ENQUIRY_PHONE_REGION") or "US").upper()
if ENQUIRY_PHONE_REGION not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(
        f"ENQUIRY_PHONE_REGION must be a two-letter region such as US or GB, "
        f"not {ENQUIRY_PHONE_REGION!r}."
    )
# Who is told by email that an enquiry came in (the email holds a link to the admin only).
ENQUIRY_NOTIFY_EMAILS = env_list("ENQUIRY_NOTIFY_EMAILS")
# Optional CAPTCHA: "turnstile" (Cloudflare) or "hcaptcha"; off when empty.
ENQUIRY_CAPTCHA_PROVIDER = os.environ.get("ENQUIRY_CAPTCHA_PROVIDER", "").lower()
ENQUIRY_CAPTCHA_VERIFY_URLS = {
    "turnstile": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
    "hcaptcha": "https://api.hcaptcha.com/siteverify",
}
if ENQUIRY_CAPTCHA_PROVIDER and ENQUIRY_CAPTCHA_PROVIDER not in ENQUIRY_CAPTCHA_VERIFY_URLS:
    raise ImproperlyConfigured(
        f"ENQUIRY_CAPTCHA_PROVIDER must be turnstile, hcaptcha or empty, "
        f"not {ENQUIRY_CAPTCHA_PROVIDER!r}."
    )
ENQUIRY_CAPTCHA_SITE_KEY = os.environ.get("ENQUIRY_CAPTCHA_SITE_KEY", "")
ENQUIRY_CAPTCHA_SECRET = os.environ.get("ENQUIRY_CAPTCHA_SECRET", "")
if ENQUIRY_CAPTCHA_PROVIDER and not (ENQUIRY_CAPTCHA_SITE_KEY and ENQUIRY_CAPTCHA_SECRET):
    raise ImproperlyConfigured(
        "ENQUIRY_CAPTCHA_SITE_KEY and ENQUIRY_CAPTCHA_SECRET must be set with "
        "ENQUIRY_CAPTCHA_PROVIDER."
    )
ENQUIRY_CAPTCHA_VERIFY_URL = ENQUIRY_CAPTCHA_VERIFY_URLS.get(ENQUIRY_CAPTCHA_PROVIDER, "")

# Outgoing email to staff (enquiry notifications, webhook endpoints disabled): printed to the
# console under DEBUG, else over SMTP, unless EMAIL_BACKEND names another backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "webmaster@localhost"

SPECTACULAR_SETTINGS = {
    "TITLE": "Ketamine clinic content API",
    "DESCRIPTION": (
        "Educational content of a ketamine infusion clinic: mechanism articles, FAQs and "
        "plain-language research summaries, tagged by condition and topic.\n\n"
        "Only published content is served to the public. Staff with the matching change "
        "permission also see drafts, entries in review, archived and scheduled entries, and "
        "editors write through the same collections, with a token "
        "(`Authorization: Token <key>`) or an admin session. Every error is an RFC 9457 "
        "problem details document (`application/problem+json`). Each example, named `demo`, "
        "is an answer recorded from the demo content, or a write's body: the demo entry of "
        "its answer as written (an upload's file part aside)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVERS": [{"url": "/", "description": "The server this schema was fetched from"}],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "metricsToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "The METRICS_TOKEN of the server, for /metrics only.",
            }
        }
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.attach_examples",
        "api.schema.share_repeated_parts",
    ],
    "TAGS": [
        {"name": "index", "description": "Where everything is: the resources, with links."},
        {
            "name": "articles",
            "description": "Mechanism articles: how ketamine treatment works, in depth.",
        },
        {"name": "faqs", "description": "Questions patients ask, with the clinic's answers."},
        {
            "name": "research",
            "description": "Plain-language summaries of clinical studies, with their citations.",
        },
        {"name": "glossary", "description": "Medical terms explained in plain language."},
        {
            "name": "conditions",
            "description": "Conditions content is tagged with, each with its newest content.",
        },
        {
            "name": "topics",
            "description": "Topics content is tagged with, each with its newest content.",
        },
        {
            "name": "search",
            "description": "Ranked search across every content type, and search-as-you-type.",
        },
        {
            "name": "sync",
            "description": "Mirror the public content offline: everything, then what changed.",
        },
        {"name": "images", "description": "The media library: images with their renditions."},
        {"name": "preview", "description": "Entries in any state, through links from the admin."},
        {"name": "health", "description": "Probes for load balancers and orchestrators."},
        {
            "name": "enquiries",
            "description": "The consultation contact form: its fields, then the enquiry sent.",
        },
        {
            "name": "webhooks",
            "description": "Endpoints that are sent signed publishing events, for integrators.",
        },
        {"name": "operations", "description": "Prometheus metrics, for the server's operators."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "StudyDesignEnum": "research.models.StudyDesign",
        "EvidenceLevelEnum": "research.models.EvidenceLevel",
        "SeverityEnum": "taxonomy.models.SafetyNotice.Severity",
        "ContentTypeEnum": "content.registry.type_names",
        "StatusEnum": "content.models.Status",
        "HealthStatusEnum": ["ok"],
        "CheckStateEnum": ["ok", "unavailable"],
        "CaptchaProviderEnum": ["turnstile", "hcaptcha"],
    },
}

# Background worker (Celery): publishing events and webhook deliveries. The broker is
# CELERY_BROKER_URL, else the Redis of REDIS_URL, else kombu's filesystem transport in
# WORKER_STATE_DIR, which needs no server but reaches only the processes of one machine.
WORKER_STATE_DIR = Path(os.environ.get("WORKER_STATE_DIR") or BASE_DIR / ".worker")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://localhost/"
# A broker that does not answer costs a commit two seconds at most: one quick retry, then
# the event waits in the outbox for the periodic relay (see webhooks.outbox).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 10,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        data_folder_in=str(WORKER_STATE_DIR / "queue"),
        data_folder_out=str(WORKER_STATE_DIR / "queue"),
        control_folder=str(WORKER_STATE_DIR / "control"),
        store_processed=False,
        # Seconds between looks at the folder: a second by default, too slow a hop for events.
        polling_interval=0.2,
    )
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING (JSON lines) like every other process.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged once done, so a worker that dies mid-delivery hands it on.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(WORKER_STATE_DIR / "beat-schedule")

# Webhooks (see the webhooks app and the README): how often the relay looks for events and
# deliveries due, the backoff between attempts, and how long an endpoint may fail before it
# is disabled and staff are told.
WEBHOOK_RELAY_INTERVAL_SECONDS = env_int("WEBHOOK_RELAY_INTERVAL_SECONDS", 5, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 5, minimum=1)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600, minimum=1)
WEBHOOK_RETRY_WINDOW_SECONDS = env_int("WEBHOOK_RETRY_WINDOW_SECONDS", 86_400, minimum=1)
# Deliveries to private, loopback and link-local addresses are refused unless this is on
# (local development and the tests); every address a host name resolves to is checked.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", DEBUG)
# The API's public address, for the `api_url` of event payloads (made without a request).
API_BASE_URL = env_base_url("API_BASE_URL")

# Images (the images app). Files go to Django's default storage: this folder, served under
# MEDIA_URL, unless MEDIA_STORAGE_BACKEND names another, such as django-storages'
# "storages.backends.s3.S3Storage", with its options as JSON in MEDIA_STORAGE_OPTIONS.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / "media"
MEDIA_URL = os.environ.get("MEDIA_URL") or f"{API_BASE_URL}/media/"
if os.environ.get("MEDIA_STORAGE_BACKEND"):
    try:
        _media_options = json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}")
    except ValueError as error:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_OPTIONS must be a JSON object: {error}"
        ) from None
    if not isinstance(_media_options, dict):
        raise ImproperlyConfigured("MEDIA_STORAGE_OPTIONS must be a JSON object.")
    STORAGES["default"] = {
        "BACKEND": os.environ["MEDIA_STORAGE_BACKEND"],
        "OPTIONS": _media_options,
    }
# The admin shows images from where they are served: another origin (a CDN) must be allowed.
if _media_origin := re.match(r"https?://[^/]+", MEDIA_URL):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_media_origin.group())
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 15_728_640, minimum=1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000, minimum=1)
# Renditions are made by the worker with 1, in the upload's own request without.
IMAGE_RENDITIONS_IN_WORKER = env_bool("IMAGE_RENDITIONS_IN_WORKER")
