"""Report search quality on the judged collections, beside a plain BM25 baseline."""

from django.core.management.base import BaseCommand

from relevance.evaluation import (
    COLLECTIONS,
    bm25_ranking,
    collection_loaded,
    evaluate,
    load_judgements,
    our_ranking,
    table,
)


class Command(BaseCommand):
    help = (
        "Score search on the development (demo) and held-out collections: nDCG@10 and MRR per "
        "kind of query, beside a BM25 baseline. Each collection is loaded alone in a "
        "transaction that is rolled back, so the database's own content is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--collection",
            choices=sorted(COLLECTIONS),
            action="append",
            help="Evaluate only this collection (repeatable); both by default.",
        )

    def handle(self, *args, collection, **options):
        for name in collection or list(COLLECTIONS):
            chosen = COLLECTIONS[name]
            with collection_loaded(chosen):
                scores = evaluate(
                    {"ours": our_ranking, "bm25": bm25_ranking()},
                    load_judgements(chosen.judgements),
                )
            self.stdout.write(
                f"\n{name} collection ({chosen.content.name}/, {chosen.judgements.name})\n"
            )
            self.stdout.write(table(scores))
