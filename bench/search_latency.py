"""
Search latency through the API on a large synthetic index.

Loads N synthetic documents into the search index of the database DATABASE_URL names (a
benchmark database of its own: the index is emptied first), then times GET /api/v1/search/
and /api/v1/search/suggest/ for a mixed set of queries, in-process through the whole
request stack, and prints p50/p95 per endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketamine_bench \\
        python bench/search_latency.py --documents 100000
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/search_latency.py --documents 10000
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from search.indexing import vocabulary
from search.models import SearchDocument, SearchTag, SearchWord

COMMON = (
    "ketamine infusion depression treatment patients brain dose effects study trial clinic "
    "symptoms receptor glutamate session weeks mood relief pain anxiety safety results"
).split()
RARE = (
    "esketamine spravato nmda bdnf synaptogenesis dissociation midazolam placebo neuropathic "
    "crps ptsd suicidal ideation antidepressant neuroplasticity hippocampus cortex relapse "
    "maintenance intranasal intravenous electroconvulsive anaesthesia hallucination tolerance "
    "blood pressure monitoring insurance driving pregnancy ketalar mtor ampa network default"
).split()
FILLER = (
    "the a of and to in is for with that on as are was by this be from at or an can may "
    "people often after before during each more most some other many these those when"
).split()
CONDITIONS = ["depression", "ptsd", "chronic-pain", "anxiety", "crps", "suicidal-ideation"]
TOPICS = ["nmda-receptor", "safety", "dosing", "esketamine", "neuroplasticity"]
TYPES = ["article", "faq", "research"]
QUERIES = [
    "ketamine",
    "depression",
    "ketamine depression",
    "how fast does ketamine work",
    "will I hallucinate",
    "PTSD",
    "post traumatic stress",
    "spravato",
    "nmda receptor",
    "depresion",
    "ketamin infusion",
    "blood pressure monitoring",
    '"chronic pain" relief',
    "midazolam placebo trial",
    "neuropathic pain crps",
    "ketamine for cats",
    "insurance",
    "esketamine nasal spray relapse",
]
PREFIXES = ["k", "ke", "ket", "keta", "ketamine de", "esk", "nmda r", "how", "pain"]


def words(rng, count):
    pool = rng.choices([COMMON, RARE, FILLER], weights=[0.35, 0.08, 0.57], k=count)
    return " ".join(rng.choice(group) for group in pool)


def load(count, seed=7):
    rng = random.Random(seed)
    SearchTag.objects.all().delete()
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    now = timezone.now()
    batch_size = 2000
    counts = Counter()
    for start in range(0, count, batch_size):
        documents = []
        for n in range(start, min(start + batch_size, count)):
            conditions = rng.sample(CONDITIONS, rng.randint(0, 2))
            documents.append(
                SearchDocument(
                    type=TYPES[n % 3],
                    object_id=n,
                    slug=f"doc-{n}",
                    title=words(rng, rng.randint(5, 10)).capitalize(),
                    summary=words(rng, rng.randint(15, 30)),
                    tags=" ".join(conditions),
                    body=words(rng, rng.randint(120, 300)),
                    # One in ten is a draft or scheduled: they must cost nothing.
                    status="draft" if n % 10 == 9 else "published",
                    published_at=now,
                )
            )
        created = SearchDocument.objects.bulk_create(documents)
        for document in created:
            counts.update(
                vocabulary(document.title, document.summary, document.tags, document.body)
            )
        counts[SearchWord.TOTAL] += len(created)
        SearchTag.objects.bulk_create(
            [
                SearchTag(document=document, facet=SearchTag.Facet.CONDITION, slug=slug, name=slug)
                for document in created
                for slug in document.tags.split()
            ]
            + [
                SearchTag(document=document, facet=SearchTag.Facet.TOPIC, slug=topic, name=topic)
                for document in created[:: len(TOPICS)]
                for topic in rng.sample(TOPICS, 1)
            ]
        )
        print(f"  loaded {start + len(documents):,}", end="\r", flush=True)
    # How many documents have each word, as indexing counts them.
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, documents=n) for word, n in sorted(counts.items())],
        batch_size=batch_size,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("ANALYZE search_searchtag")
    print()


def timed(client, path, params, rounds):
    samples = []
    for _ in range(rounds):
        for value in params:
            started = time.perf_counter()
            response = client.get(path, value)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
    return samples


def report(name, samples):
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{name:<28} n={len(samples):<4} p50={statistics.median(samples):7.1f} ms  "
        f"p95={p95:7.1f} ms  max={samples[-1]:7.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded index")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}: {args.documents:,} synthetic documents")
    if not args.skip_load:
        started = time.perf_counter()
        load(args.documents)
        print(f"loaded in {time.perf_counter() - started:.0f} s")
    client = Client()
    search = [{"q": q, "page_size": 20} for q in QUERIES]
    filtered = [{"q": q, "type": "faq,research", "condition": "depression"} for q in QUERIES[:6]]
    suggest = [{"q": q} for q in PREFIXES]
    timed(client, "/api/v1/search/", search[:3], 1)  # warm caches and connections
    report("search", timed(client, "/api/v1/search/", search, args.rounds))
    report("search, filtered", timed(client, "/api/v1/search/", filtered, args.rounds))
    report("suggest", timed(client, "/api/v1/search/suggest/", suggest, args.rounds))


if __name__ == "__main__":
    main()
