"""Record answers to the demo content as openapi.yaml's examples (api/schema_examples.json)."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client

EXAMPLES_FILE = Path(settings.BASE_DIR) / "api" / "schema_examples.json"
# Operation id -> the request whose answer is its example; details show the first listed item.
REQUESTS = {
    "listArticles": "/api/v1/articles/?page_size=1",
    "getArticle": "/api/v1/articles/{article}/",
    "listFAQs": "/api/v1/faqs/?page_size=1",
    "getFAQ": "/api/v1/faqs/{faq}/",
    "listResearchSummaries": "/api/v1/research/?page_size=1",
    "getResearchSummary": "/api/v1/research/{research}/",
    "listGlossaryEntries": "/api/v1/glossary/?page_size=1",
    "getGlossaryEntry": "/api/v1/glossary/{glossary}/",
    "listConditions": "/api/v1/conditions/?page_size=1",
    "getCondition": "/api/v1/conditions/{condition}/",
    "listTopics": "/api/v1/topics/?page_size=1",
    "getTopic": "/api/v1/topics/{topic}/",
    "searchContent": "/api/v1/search/?q=ketamine+nmda&page_size=1",
    "suggestSearches": "/api/v1/search/suggest/?q=ketam",
    "syncContent": "/api/v1/sync/?type=faq&limit=1",
    "getApiIndex": "/api/v1/",
    "getHealth": "/healthz",
    "getReadiness": "/readyz",
}
# Long texts are cut to their opening words, lists to their first items: an example shows the
# shape and real values, not a whole article. HTML keeps its first element, whole.
TEXT_LIMIT = 70
LIST_LIMIT = 1


def shorten(value, key=""):
    if isinstance(value, str) and key.endswith("_html"):
        opening = re.match(r"<(\w+)[^>]*>.*?</\1>", value, re.DOTALL)
        if opening:
            return opening.group()
    if isinstance(value, str) and len(value) > TEXT_LIMIT and not value.startswith("http"):
        return value[:TEXT_LIMIT].rsplit(" ", 1)[0] + " …"
    if isinstance(value, list):
        return [shorten(item) for item in value[:LIST_LIMIT]]
    if isinstance(value, dict):
        return {name: shorten(item, name) for name, item in value.items()}
    return value


class Command(BaseCommand):
    help = "Write api/schema_examples.json from the demo content in the database."

    def handle(self, *args, **options):
        client = Client(HTTP_HOST="127.0.0.1:8000")
        first = {
            kind: client.get(f"/api/v1/{path}/?page_size=1").json()["results"][0]["slug"]
            for kind, path in {
                "article": "articles",
                "faq": "faqs",
                "research": "research",
                "glossary": "glossary",
                "condition": "conditions",
                "topic": "topics",
            }.items()
        }
        examples = {}
        for operation, path in REQUESTS.items():
            response = client.get(path.format(**first))
            if response.status_code != 200:
                self.stderr.write(f"{operation}: {path} answered {response.status_code}; skipped.")
                continue
            examples[operation] = shorten(response.json())
        EXAMPLES_FILE.write_text(json.dumps(examples, indent=1, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {len(examples)} examples to {EXAMPLES_FILE}.")
