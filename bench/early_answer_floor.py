"""
What an early answer (a warm-cache hit or a 304, api.public_answers) costs, beside its floor.

    .venv/bin/python bench/early_answer_floor.py [--redis-url URL] [--requests N] [--rounds N]

In one process, in alternating rounds, the thread's CPU time of:

- a hit and a 304 of the article list through api.wsgi.application, as shipped, against Redis;
- the same two answered by Django's own handler with `startproject`'s middleware and a view
  that returns the same bytes, or a bare 304 (what bench/http_table.py calls "bare");
- counting the request's budgets alone (api.throttling.charge_budgets): in this process,
  with a round trip to Redis every API_BUDGET_BATCH requests (api.redis_cache.BudgetLedger),
  so that a budget is shared by every process.

The ratios say how much of a bare answer's cost counting the budgets takes by itself. A
throwaway SQLite database holds twenty published articles; Redis is flushed (database 15 by
default). Not a test: it reports.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BARE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
PATH = "/api/v1/articles/"
BARE_PATH = "/bench/bare/"

# The bare routes beside the project's, filled once Django is set up.
urlpatterns = []
BARE_BODY = []


def bare_view(request):
    from django.http import HttpResponse, HttpResponseNotModified

    if "HTTP_IF_NONE_MATCH" in request.META:
        return HttpResponseNotModified()
    return HttpResponse(BARE_BODY[0], content_type="application/json")


def setup(redis_url, folder):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "api.settings",
            "DATABASE_URL": f"sqlite:///{folder}/floor.sqlite3",
            "REDIS_URL": redis_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-benchmark-only")
    os.environ.setdefault("ENQUIRY_LOOKUP_KEY", "insecure-key-for-the-benchmark-only")
    from cryptography.fernet import Fernet

    os.environ.setdefault("ENQUIRY_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    # Budgets counted as in production, never used up by one client's thousands of requests.
    for scope in ("ANON", "USER", "SEARCH"):
        os.environ[f"THROTTLE_{scope}_RATE"] = "1000000000/minute"
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.urls import include, path

    settings.ROOT_URLCONF = __name__
    urlpatterns[:] = [path("bench/bare/", bare_view), path("", include("api.urls"))]
    call_command("migrate", verbosity=0)
    from tests.factories import ArticleFactory

    for number in range(20):
        ArticleFactory(slug=f"article-{number}")
    cache.clear()


def silence_logs():
    """Write the access log as shipped, to nowhere (once api.wsgi has set logging up again)."""
    import logging

    nowhere = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    for handler in logging.getLogger().handlers:
        handler.setStream(nowhere)


def environ(path, headers=None):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": "application/json",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.input": io.BytesIO(),
        **(headers or {}),
    }


class Caller:
    def __init__(self, application, path, headers=None):
        self.application, self.path, self.headers = application, path, headers
        self.status = None

    def start_response(self, status, headers, exc_info=None):
        self.status, self.response_headers = status, dict(headers)

    def __call__(self):
        answer = self.application(environ(self.path, self.headers), self.start_response)
        body = b"".join(answer)
        if hasattr(answer, "close"):
            answer.close()
        return body


def rows():
    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
    from django.test import override_settings

    from api.throttling import Client, charge_budgets
    from api.wsgi import application
    from articles.views import ArticleViewSet

    silence_logs()
    with override_settings(MIDDLEWARE=BARE_MIDDLEWARE):
        bare = WSGIHandler()
    hit = Caller(application, PATH)
    BARE_BODY[:] = [hit()]
    hit()
    etag = hit.response_headers["ETag"]
    assert hit.status.startswith("200") and "ETag" in hit.response_headers, hit.status
    budget_request = WSGIRequest(environ(PATH))
    return {
        "hit (200 from the answer cache)": hit,
        "bare 200": Caller(bare, BARE_PATH),
        "early 304": Caller(application, PATH, {"HTTP_IF_NONE_MATCH": etag}),
        "bare 304": Caller(bare, BARE_PATH, {"HTTP_IF_NONE_MATCH": etag}),
        "counting the budgets alone": lambda: charge_budgets(
            Client(None, budget_request), ArticleViewSet
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--requests", type=int, default=300, help="per row and round")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ketamine-floor-") as folder:
        setup(args.redis_url, folder)
        timed = rows()
        samples = {label: [] for label in timed}
        for round_number in range(args.rounds):
            order = list(timed.items())
            for label, call in order if round_number % 2 == 0 else order[::-1]:
                started = time.thread_time_ns()
                for _ in range(args.requests):
                    call()
                samples[label].append((time.thread_time_ns() - started) / args.requests / 1000)
        cost = {label: statistics.median(values) for label, values in samples.items()}
    print(f"CPU µs a request, median of {args.rounds} rounds of {args.requests}:")
    for label, value in cost.items():
        print(f"  {label:34} {value:7.0f}")
    budget = cost["counting the budgets alone"]
    print(
        "ratios to bare: hit {:.2f}, 304 {:.2f}; counting the budgets alone is {:.2f} of a "
        "bare 200 and {:.2f} of a bare 304".format(
            cost["bare 200"] / cost["hit (200 from the answer cache)"],
            cost["bare 304"] / cost["early 304"],
            budget / cost["bare 200"],
            budget / cost["bare 304"],
        )
    )


if __name__ == "__main__":
    main()
