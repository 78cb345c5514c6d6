"""
What with_tags() saves over Django's public Prefetch(to_attr=...), for a page of list items.

    .venv/bin/python bench/tag_references.py [--items 200] [--page 20] [--rounds 15]
    .venv/bin/python bench/tag_references.py --database-url postgres://.../ketamine_bench

with_tags() (entries/orm_internals.py) reads each page's tags with SQL the ORM wrote
once per page size, into read-only tuples, hooked into QuerySet internals. The public
variant reads the same rows with prefetch_related(Prefetch(..., to_attr=...)) into model
instances, building the query every time. Both make one query per kind of tag. Each round
reads a page of published articles, in the list's order and with its deferred columns, and
the tags of each item, both ways, interleaved; the figure is the public variant's time as a
ratio to with_tags(). Content: bench/api_throughput.py's (3 conditions, 3 topics an item).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import api_throughput


def public_variant(queryset):
    from django.db.models import Prefetch

    from taxonomy.models import Condition, Topic

    return queryset.prefetch_related(
        Prefetch(
            "conditions",
            queryset=Condition.objects.only(*Condition.reference_fields),
            to_attr="condition_tags",
        ),
        Prefetch(
            "topics", queryset=Topic.objects.only(*Topic.reference_fields), to_attr="topic_tags"
        ),
    )


def read_page(queryset, page):
    items = list(queryset[:page])
    # What the list serializer reads of each tag.
    return sum(len(tag.slug) for item in items for tag in (*item.condition_tags, *item.topic_tags))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--page", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--reads", type=int, default=200, help="page reads a round, each way")
    args = parser.parse_args()

    database = api_throughput.throwaway_database(args.database_url)
    database.create()
    try:
        api_throughput.setup_django(database.url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        api_throughput.create_content(args.items)
        from articles.models import Article

        base = Article.objects.published().without_detail_fields().order_by("-published_at")
        private = base.with_tags()
        public = public_variant(base)
        assert read_page(private, args.page) == read_page(public, args.page)
        ratios, private_times = [], []
        for _ in range(args.rounds):
            timings = {}
            for name, queryset in (("with_tags", private), ("prefetch", public)):
                started = time.perf_counter()
                for _ in range(args.reads):
                    read_page(queryset.all(), args.page)
                timings[name] = (time.perf_counter() - started) / args.reads
            ratios.append(timings["prefetch"] / timings["with_tags"])
            private_times.append(timings["with_tags"])
        print(
            f"{connection.vendor}, {args.items} articles, pages of {args.page}, "
            f"{args.rounds} rounds of {args.reads} reads each way"
        )
        print(f"with_tags():             {statistics.median(private_times) * 1e3:.2f} ms a page")
        print(
            f"Prefetch(to_attr=...):   x{statistics.median(ratios):.2f} of that "
            f"(rounds from x{min(ratios):.2f} to x{max(ratios):.2f})"
        )
    finally:
        from django.db import connections

        connections.close_all()
        database.drop()


if __name__ == "__main__":
    main()
