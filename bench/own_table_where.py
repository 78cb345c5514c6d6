"""
What own_table_where() saves over a public way of doing without it, for related content.

    .venv/bin/python bench/own_table_where.py [--items 200] [--rounds 15] [--reads 200]
    .venv/bin/python bench/own_table_where.py --database-url postgres://.../ketamine_bench

Related content (entries/references.py) ranks, in one raw SQL query, the published items of
every type that share tags with an item; each type's part repeats that type's filters
(published(), the item itself left out) inside its subqueries. own_table_where()
(entries/orm_internals.py) compiles those filters from the QuerySet through Query internals.
The public variant reads the pks the QuerySet keeps (values_list) and sends them back as a
list of parameters: one more query per type, and a longer statement. Each round times
related_content() of the same detail both ways, interleaved; the figure is the public
variant's time as a ratio to own_table_where(). Content: bench/api_throughput.py's.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import api_throughput


def public_own_table_where(queryset):
    """own_table_where() with public calls only: the kept pks, read, then sent as a list."""
    from django.db import connections

    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return "1 = 0", []
    opts = queryset.model._meta
    quote = connections[queryset.db].ops.quote_name
    column = f"{quote(opts.db_table)}.{quote(opts.pk.column)}"
    return f"{column} IN ({', '.join(['%s'] * len(pks))})", pks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--reads", type=int, default=200, help="reads a round, each way")
    args = parser.parse_args()

    database = api_throughput.throwaway_database(args.database_url)
    database.create()
    try:
        api_throughput.setup_django(database.url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        api_throughput.create_content(args.items)
        api_throughput.analyze()
        from articles.models import Article
        from entries.references import related_content

        item = Article.objects.published().with_tags().order_by("-published_at").first()
        public = mock.patch("content.models.own_table_where", public_own_table_where)
        with public:
            expected = related_content(item)
        assert related_content(item) == expected and expected, "the variants disagree"

        ratios, private_times = [], []
        for _ in range(args.rounds):
            timings = {}
            for name in ("own_table_where", "public"):
                with public if name == "public" else contextlib.nullcontext():
                    started = time.perf_counter()
                    for _ in range(args.reads):
                        related_content(item)
                    timings[name] = (time.perf_counter() - started) / args.reads
            ratios.append(timings["public"] / timings["own_table_where"])
            private_times.append(timings["own_table_where"])
        print(
            f"{connection.vendor}, {args.items} articles, related content of one detail, "
            f"{args.rounds} rounds of {args.reads} reads each way"
        )
        print(f"own_table_where():        {statistics.median(private_times) * 1e3:.2f} ms")
        print(
            f"pks read, sent as a list: x{statistics.median(ratios):.2f} of that "
            f"(rounds from x{min(ratios):.2f} to x{max(ratios):.2f})"
        )
    finally:
        from django.db import connections

        connections.close_all()
        database.drop()


if __name__ == "__main__":
    main()
