"""
Every metric the web processes count, defined once: the place each component reports to.

Served at `/metrics` (see api.views.MetricsView) when METRICS_TOKEN is set. Under gunicorn
each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR (set up by
gunicorn.conf.py) and a scrape sums them over every worker, living or dead, so a count never
drops when a worker is replaced.

Labels take a bounded set of values only: a route's name (never a raw path), a status
class, a throttle scope, a task name, an outcome. Anything a client can choose freely would
make a new time series per value.

The HTTP metrics are recorded by api.observability.MetricsMiddleware; the others where the
event happens: answer cache: api.conditional; throttling: api.throttling; search:
search.backends.

The background worker's and the webhooks' metrics (queue depth, outbox, deliveries, task
failures) are not counted here but measured at each scrape, from the database, broker and
cache every process shares: webhooks.metrics.WorkerCollector.
"""

from prometheus_client import Counter, Histogram

# Request latency from a cached answer (about a millisecond) to a slow search (seconds).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
QUERY_COUNT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)

# HTTP ------------------------------------------------------------------------------------

# Its `_count` is the number of requests: no separate counter, whose every write would cost
# as much as the histogram's.
HTTP_REQUEST_DURATION = Histogram(
    "ketamine_http_request_duration_seconds",
    "HTTP requests answered, and their time in Django, by route name, method and status "
    "class (2xx, 3xx, 4xx, 5xx).",
    ["route", "method", "status_class"],
    buckets=LATENCY_BUCKETS,
)
HTTP_REQUEST_QUERIES = Histogram(
    "ketamine_http_request_db_queries",
    "Database queries made while answering one request, by route.",
    ["route"],
    buckets=QUERY_COUNT_BUCKETS,
)
HTTP_NOT_MODIFIED = Counter(
    "ketamine_http_not_modified",
    "304 Not Modified answers: the client's copy was current, no body sent.",
    ["route"],
)
ANSWER_CACHE_LOOKUPS = Counter(
    "ketamine_answer_cache_lookups",
    "Lookups in the server-side cache of rendered public answers, by outcome (hit, miss).",
    ["outcome"],
)
# Looked up once: on the warm path every microsecond shows.
ANSWER_CACHE_HITS = ANSWER_CACHE_LOOKUPS.labels("hit")
ANSWER_CACHE_MISSES = ANSWER_CACHE_LOOKUPS.labels("miss")
THROTTLED_REQUESTS = Counter(
    "ketamine_throttled_requests",
    "Requests refused with a 429 because a budget was used up, by budget (anon, user, search).",
    ["scope"],
)
SYNC_PAGES = Counter(
    "ketamine_sync_pages",
    "Pages of /api/v1/sync/ served (200), by whether the client sent a cursor (start, continue).",
    ["cursor"],
)

# Search ----------------------------------------------------------------------------------

SEARCH_DURATION = Histogram(
    "ketamine_search_duration_seconds",
    "Time to analyse and rank one search (answers from the answer cache run none).",
    buckets=LATENCY_BUCKETS,
)
SEARCH_ZERO_RESULTS = Counter(
    "ketamine_search_zero_results",
    "Searches run that matched nothing: what readers look for and do not find.",
)
