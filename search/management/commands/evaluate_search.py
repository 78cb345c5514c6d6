"""Report search quality on the judged queries, beside a plain BM25 baseline."""

from django.core.management.base import BaseCommand, CommandError

from search.models import SearchDocument
from search.relevance.evaluation import (
    JUDGEMENTS,
    bm25_ranking,
    evaluate,
    load_judgements,
    our_ranking,
    table,
)


class Command(BaseCommand):
    help = (
        "Score search on the relevance judgements (nDCG@10 and MRR per kind of query) beside "
        "a BM25 baseline. Needs the demo content: load_demo_content first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--judgements", default=JUDGEMENTS)

    def handle(self, *args, judgements, **options):
        if not SearchDocument.objects.published().exists():
            raise CommandError("The search index is empty: run load_demo_content first.")
        scores = evaluate(
            {"ours": our_ranking, "bm25": bm25_ranking()}, load_judgements(judgements)
        )
        self.stdout.write(table(scores))
