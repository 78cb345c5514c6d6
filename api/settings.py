"""
Settings for the clinic's content API, read from the environment in this one place.

A fresh checkout runs with no configuration at all (SQLite, in-memory cache) as long as
DJANGO_DEBUG=1 is set; without it the process refuses to start unless the secrets it needs
are given. Every variable is listed in the README.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "reversion",
    "reversion_compare",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "editorial",
    "taxonomy",
    "search",
    "articles",
    "research",
    "api",
]

MIDDLEWARE = [
    # Outermost, so that every log line of the request, errors included, carries its id.
    "api.observability.RequestIdMiddleware",
    # Before anything reads the database (sessions, tokens): decides primary or replica.
    "api.replicas.PrimaryPinningMiddleware",
    # First, so that preflight requests and every response, errors included, get CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that writes a body, so cached answers are compressed too. Django adds
    # random bytes against BREACH; anonymous answers hold no secrets anyway.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
        config.setdefault("OPTIONS", {}).update(
            connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1),
            options=f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT_MS', 5000)}",
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
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "ketamine-api",
        "KEY_PREFIX": "ketamine-api",
        "TIMEOUT": env_int("CACHE_TIMEOUT", 3600, minimum=1),
        # A Redis that does not answer costs a request half a second at most: the cache is
        # optional (see api.conditional.fail_open), so the answer comes from the database.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        if REDIS_URL
        else {"MAX_ENTRIES": 2000},
    }
}
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve admin and API-docs assets straight from the installed apps, so nothing has to be
# collected first; `collectstatic` adds compressed copies for production.
WHITENOISE_USE_FINDERS = True

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

# HTTPS. Off only under DJANGO_DEBUG=1; each can be turned off on its own, e.g. for a
# deployment that terminates TLS elsewhere and talks plain HTTP to every hop.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# A refused CSRF check is a problem details document too, not Django's HTML page.
CSRF_FAILURE_VIEW = "api.problems.csrf_failure"
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
}
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
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
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

# Where the clinic's website shows each item. When FRONTEND_BASE_URL is set, the `url` in an
# item's JSON-LD is that base followed by its type's path; otherwise it is the item's API address.
FRONTEND_BASE_URL = env_base_url("FRONTEND_BASE_URL")
FRONTEND_PATHS = {
    "article": env_path_template("FRONTEND_ARTICLE_PATH", "/articles/{slug}/"),
    "faq": env_path_template("FRONTEND_FAQ_PATH", "/faqs/{slug}/"),
    "research": env_path_template("FRONTEND_RESEARCH_PATH", "/research/{slug}/"),
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Token first, so that an anonymous write is told to authenticate (401), not refused (403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
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
}
# How long a preview link from the admin works, and where it points: the API's own preview
# endpoint unless a frontend page is given, with "{token}" where the token goes.
EDITORIAL_PREVIEW_MAX_AGE_SECONDS = env_int("PREVIEW_LINK_MAX_AGE_SECONDS", 3600, minimum=1)
EDITORIAL_PREVIEW_URL = os.environ.get("PREVIEW_URL", "")

SPECTACULAR_SETTINGS = {
    "TITLE": "Ketamine clinic content API",
    "DESCRIPTION": (
        "Educational content of a ketamine infusion clinic: mechanism articles, FAQs and "
        "plain-language research summaries, tagged by condition and topic.\n\n"
        "Only published content is served to the public. Staff with the matching change "
        "permission also see drafts, entries in review, archived and scheduled entries, and "
        "editors write through the same collections, with a token "
        "(`Authorization: Token <key>`) or an admin session. Every error is an RFC 9457 "
        "problem details document (`application/problem+json`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVERS": [{"url": "/", "description": "The server this schema was fetched from"}],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.attach_examples",
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
        {"name": "preview", "description": "Entries in any state, through links from the admin."},
        {"name": "health", "description": "Probes for load balancers and orchestrators."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "StudyDesignEnum": "research.models.StudyDesign",
        "EvidenceLevelEnum": "research.models.EvidenceLevel",
        "SeverityEnum": "taxonomy.models.SafetyNotice.Severity",
        "ContentTypeEnum": "editorial.references.CONTENT_TYPES",
        # Each content item's own `type`, the discriminator of the sync and preview unions.
        "ArticleTypeEnum": ["article"],
        "FAQTypeEnum": ["faq"],
        "ResearchTypeEnum": ["research"],
        "StatusEnum": "editorial.models.Status",
        "HealthStatusEnum": ["ok"],
        "CheckStateEnum": ["ok", "unavailable"],
    },
}
