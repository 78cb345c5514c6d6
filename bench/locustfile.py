"""
The load test's traffic, for Locust: what the website and the mobile app ask for, in the
proportions bench/load_test.py describes. Any status a request does not expect is a failure.
"""

import random

from locust import FastHttpUser, between, task

LISTS = [
    "/api/v1/articles/",
    "/api/v1/articles/?page_size=50",
    "/api/v1/articles/?condition=depression",
    "/api/v1/faqs/",
    "/api/v1/faqs/?topic=safety&fields=slug,question",
    "/api/v1/research/",
    "/api/v1/research/?ordering=-year&page_size=10",
    "/api/v1/conditions/",
    "/api/v1/topics/",
]
SEARCHES = [
    "how fast does ketamine work",
    "ptsd",
    "nmda receptor",
    "side effects",
    "esketamine spravato",
    "depresion",
    "bdnf",
    "chronic pain infusion",
]
PREFIXES = ["k", "ke", "ket", "keta", "n", "nm", "dep", "ps", "pt", "spr"]
DETAIL_KINDS = ["articles", "faqs", "research", "conditions", "topics"]


class AppUser(FastHttpUser):
    """One browser or app: keeps the ETags it saw and its sync cursor."""

    wait_time = between(0, 0.05)

    def on_start(self):
        self.etags = {}
        self.cursor = None
        self.details = []
        for kind in DETAIL_KINDS:
            page = self.client.get(
                f"/api/v1/{kind}/?page_size=100&fields=slug", name="setup: slugs"
            ).json()
            self.details += [f"/api/v1/{kind}/{item['slug']}/" for item in page["results"]]

    def fetch(self, path, name, expected=200, headers=None):
        with self.client.get(
            path, name=name, headers=headers or {}, catch_response=True
        ) as response:
            if response.status_code != expected:
                response.failure(f"expected {expected}, got {response.status_code}")
            elif expected == 200 and "ETag" in response.headers and name in {"list", "detail"}:
                self.etags[path] = response.headers["ETag"]
            return response

    @task(30)
    def list_page(self):
        self.fetch(random.choice(LISTS), "list")

    @task(25)
    def detail(self):
        self.fetch(random.choice(self.details), "detail")

    @task(20)
    def conditional(self):
        if not self.etags:
            return self.detail()
        path = random.choice(list(self.etags))
        return self.fetch(path, "conditional (304)", 304, {"If-None-Match": self.etags[path]})

    @task(12)
    def search(self):
        self.client.get("/api/v1/search/", params={"q": random.choice(SEARCHES)}, name="search")

    @task(5)
    def suggest(self):
        self.client.get(
            "/api/v1/search/suggest/", params={"q": random.choice(PREFIXES)}, name="suggest"
        )

    @task(8)
    def sync(self):
        path = "/api/v1/sync/?limit=50" + (f"&cursor={self.cursor}" if self.cursor else "")
        response = self.fetch(path, "sync")
        if response.status_code == 200:
            page = response.json()
            self.cursor = page["cursor"] if page["has_more"] else None
