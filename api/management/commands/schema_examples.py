"""Record answers to the demo content as openapi.yaml's examples (api/schema_examples.json)."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client, RequestFactory
from rest_framework.request import Request

from api.policies import write_serializer_class
from api.urls import router
from content import registry
from webhooks.models import WebhookEndpoint

EXAMPLES_FILE = Path(settings.BASE_DIR) / "api" / "schema_examples.json"
# Operation id -> the request whose answer is its example; details show the first listed item.
REQUESTS = {
    "listArticles": "/api/v1/articles/?page_size=1",
    "getArticle": "/api/v1/articles/{article}/",
    "listFaqs": "/api/v1/faqs/?page_size=1",
    "getFaq": "/api/v1/faqs/{faq}/",
    "listResearchSummaries": "/api/v1/research/?page_size=1",
    "getResearchSummary": "/api/v1/research/{research}/",
    "listGlossaryEntries": "/api/v1/glossary/?page_size=1",
    "getGlossaryEntry": "/api/v1/glossary/{glossary}/",
    "listConditions": "/api/v1/conditions/?page_size=1",
    "getCondition": "/api/v1/conditions/{condition}/",
    "listTopics": "/api/v1/topics/?page_size=1",
    "getTopic": "/api/v1/topics/{topic}/",
    "listImages": "/api/v1/images/?page_size=1",
    "getImage": "/api/v1/images/{image}/",
    "listRedirects": "/api/v1/redirects/?page_size=1",
    "searchContent": "/api/v1/search/?q=ketamine+nmda&page_size=1",
    "suggestSearches": "/api/v1/search/suggest/?q=ketam",
    "syncContent": "/api/v1/sync/?type=faq&limit=1",
    "getApiIndex": "/api/v1/",
    "getHealth": "/healthz",
    "getReadiness": "/readyz",
    "getEnquiryForm": "/api/v1/enquiries/form/",
}
# Read as an editor with every permission, about the one webhook endpoint made for them.
EDITOR_REQUESTS = {
    "listWebhookEndpoints": "/api/v1/webhooks/?page_size=1",
    "getWebhookEndpoint": "/api/v1/webhooks/{webhook}/",
}
WEBHOOK = {
    "url": "https://hooks.example.org/ketamine-content",
    "description": "Purges the website's CDN",
    "events": ["content.published", "content.updated", "content.unpublished"],
    "content_types": ["article", "faq"],
}
# Values that would be secrets, or change with each recording, shown by their format only.
FORM_TOKEN = "eyJpc3N1ZWQiOjE3NjQ0OTc2MDAuMH0:1vPf2k:Q0xlbnRfZXhhbXBsZQ"  # noqa: S105  # nosec B105
WEBHOOK_SECRET = "whsec_" + "A" * 43 + "="  # nosec B105
# The background worker's answer when it runs (the recording runs none).
WORKER_READY = {"status": "ok", "checks": {"broker": "ok", "outbox": "ok"}}
# Long texts are cut to their opening words, lists to their first items: an example shows the
# shape and real values, not a whole article. HTML keeps its first element, whole.
TEXT_LIMIT = 70
WRITTEN_TEXT_LIMIT = 300
LIST_LIMIT = 1


def shorten(value, key="", limit=TEXT_LIMIT):
    if isinstance(value, str) and key.endswith("_html"):
        opening = re.match(r"<(\w+)[^>]*>.*?</\1>", value, re.DOTALL)
        if opening:
            return opening.group()
    if isinstance(value, str) and len(value) > limit and not value.startswith("http"):
        return value[:limit].rsplit(" ", 1)[0] + " …"
    if isinstance(value, list):
        return [shorten(item, limit=limit) for item in value[:LIST_LIMIT]]
    if isinstance(value, dict):
        return {name: shorten(item, name, limit) for name, item in value.items()}
    return value


class Command(BaseCommand):
    help = "Write api/schema_examples.json from the demo content in the database."

    def handle(self, *args, **options):
        client = Client(HTTP_HOST="127.0.0.1:8000")
        first = {
            kind: client.get(f"/api/v1/{path}/?page_size=1").json()["results"][0]["slug"]
            for kind, path in {
                **{ct.name: ct.prefix for ct in registry.content_types()},
                "condition": "conditions",
                "topic": "topics",
                "image": "images",
            }.items()
        }
        editor = Client(HTTP_HOST="127.0.0.1:8000")
        editor.force_login(
            get_user_model().objects.get_or_create(
                username="schema-examples", defaults={"is_staff": True, "is_superuser": True}
            )[0]
        )
        # Made directly: validating its address would ask a DNS server.
        first["webhook"] = WebhookEndpoint.objects.get_or_create(
            url=WEBHOOK["url"], defaults=WEBHOOK
        )[0].pk
        examples = {}
        for client_, requests in ((client, REQUESTS), (editor, EDITOR_REQUESTS)):
            for operation, path in requests.items():
                response = client_.get(path.format(**first))
                if response.status_code != 200:
                    self.stderr.write(
                        f"{operation}: {path} answered {response.status_code}; skipped."
                    )
                    continue
                examples[operation] = shorten(response.json())
        if "getEnquiryForm" in examples:
            examples["getEnquiryForm"]["form_token"] = FORM_TOKEN
        if "getWebhookEndpoint" in examples:
            examples["createWebhookEndpoint"] = {
                **examples["getWebhookEndpoint"],
                "secret": WEBHOOK_SECRET,
            }
        examples["getWorkerReadiness"] = WORKER_READY
        examples.update(self.write_bodies(first))
        examples["writeWebhookEndpoint"] = WEBHOOK
        EXAMPLES_FILE.write_text(json.dumps(examples, indent=1, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {len(examples)} examples to {EXAMPLES_FILE}.")

    def write_bodies(self, first):
        """
        The body that writes each detail example's entry as it is, keyed `write<Model>`: each
        field of the write serializer as it reads the entry (the Markdown source, the citation
        flat, tags by slug).
        """
        bodies = {}
        request = Request(RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000"))
        for _prefix, viewset, basename in router.registry:
            serializer_class = write_serializer_class(viewset)
            if serializer_class is None or basename not in first:
                continue
            model = serializer_class.Meta.model
            entry = model._base_manager.get(slug=first[basename])
            name = model.__name__.title() if model.__name__.isupper() else model.__name__
            fields = serializer_class(entry, context={"request": request}).fields
            # Field by field: the serializer answers a write with the detail instead.
            bodies[f"write{name}"] = shorten(
                {
                    key: field.to_representation(value) if value is not None else None
                    for key, field in fields.items()
                    if not field.read_only
                    for attribute in [field.get_attribute(entry)]
                    for value in [attribute.all() if hasattr(attribute, "all") else attribute]
                },
                # A body is sent as it is: only the Markdown is cut (still Markdown), not a
                # definition or a summary, which their rules would then refuse.
                limit=WRITTEN_TEXT_LIMIT,
            )
        return bodies
