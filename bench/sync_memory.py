"""
A whole sync of many items, page after page, in one process: its memory stays bounded.

    .venv/bin/python bench/sync_memory.py [--items 10000] [--limit 200]

Fills the PostgreSQL database of --database-url (its name must contain "bench": it is dropped
and made again) with the content of bench/api_throughput.py, its published articles copied
until there are --items, then follows `GET /api/v1/sync/?limit=N` from the first page to the
last through Django's WSGI handler, production settings and Redis as the shared cache, as
the mobile app does. Prints the pages, the time, and the process's resident memory after the
first page and at its peak: a sync holds one page at a time, so the peak does not grow with
the number of items. See bench/README.md.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import api_throughput


def memory_mb():
    """Return the process's resident memory now and at its peak, in MB."""
    status = Path("/proc/self/status").read_text()
    now, peak = (
        int(re.search(rf"^{name}:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024
        for name in ("VmRSS", "VmHWM")
    )
    return now, peak


def copy_articles(items):
    """Copy published articles, tags and all, until --items are published (no signals)."""
    from django.db import transaction

    from articles.models import Article

    published = list(Article.objects.published().order_by("pk"))
    conditions = Article.conditions.through.objects.all()
    topics = Article.topics.through.objects.all()
    tags = {}
    for link in conditions:
        tags.setdefault(link.article_id, ([], []))[0].append(link.condition_id)
    for link in topics:
        tags.setdefault(link.article_id, ([], []))[1].append(link.topic_id)
    copies, sources = [], []
    for number in range(items - len(published)):
        source = published[number % len(published)]
        copy = Article(
            **{
                field.attname: getattr(source, field.attname)
                for field in Article._meta.concrete_fields
                if not field.primary_key
            }
        )
        copy.slug = f"{source.slug}-copy-{number}"
        copies.append(copy)
        sources.append(source.pk)
    with transaction.atomic():
        Article.objects.bulk_create(copies, batch_size=1000)
        condition_links, topic_links = [], []
        for copy, source in zip(copies, sources, strict=True):
            source_conditions, source_topics = tags.get(source, ([], []))
            condition_links += [
                Article.conditions.through(article_id=copy.pk, condition_id=tag)
                for tag in source_conditions
            ]
            topic_links += [
                Article.topics.through(article_id=copy.pk, topic_id=tag) for tag in source_topics
            ]
        Article.conditions.through.objects.bulk_create(condition_links, batch_size=5000)
        Article.topics.through.objects.bulk_create(topic_links, batch_size=5000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/ketamine_sync_bench",
        help="the PostgreSQL database to drop, create and fill (its name must contain 'bench')",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--items", type=int, default=10_000, help="published articles (10000)")
    parser.add_argument("--limit", type=int, default=200, help="changes per page (200)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the last run's data")
    args = parser.parse_args()

    os.environ["REDIS_URL"] = args.redis_url
    database = api_throughput.PostgreSQLDatabase(args.database_url)
    api_throughput.setup_django(args.database_url)
    from django.core.cache import cache
    from django.core.management import call_command

    if not args.skip_load:
        database.create()
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        api_throughput.create_content(min(200, args.items))
        copy_articles(args.items)
        api_throughput.analyze()
        print(f"Loaded {args.items} articles in {time.monotonic() - started:.0f} s.", flush=True)
    cache.clear()

    client = api_throughput.Client()
    query, pages, changes, largest = f"limit={args.limit}", 0, 0, 0
    started = time.monotonic()
    after_first = None
    while True:
        status, body = client.get(client.environ("/api/v1/sync/", query))
        if status != 200:
            raise SystemExit(f"page {pages + 1}: status {status}")
        page = json.loads(body)
        pages += 1
        changes += len(page["changes"])
        largest = max(largest, len(body))
        del body
        if after_first is None:
            after_first = memory_mb()
        if not page["has_more"]:
            break
        query = f"limit={args.limit}&cursor={page['cursor']}"
    elapsed = time.monotonic() - started
    now, peak = memory_mb()
    print(
        f"{changes:,} changes in {pages} pages of at most {args.limit}, {elapsed:.1f} s "
        f"({elapsed / pages * 1000:.0f} ms a page); largest page {largest / 1e6:.1f} MB.\n"
        f"Resident memory: {after_first[0]:.0f} MB after the first page, {now:.0f} MB after "
        f"the last, {peak:.0f} MB at the peak."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
