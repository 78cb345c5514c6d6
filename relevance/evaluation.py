"""
Measure search quality on judged queries: nDCG@10 and MRR, overall and per kind of query,
for our engine and for a plain BM25 baseline (bm25s, English stemming and stop words) over
the same published documents.

Two collections are judged. The development set is the demo content with judgements.yaml;
tuning may look at it. The held-out set (heldout/) is other content with its own queries,
written before any tuning; a change that raises the development score and lowers the
held-out one is not taken. Each is evaluated alone, in a transaction rolled back afterwards.

A query with no relevant item ("no-answer") scores 1 when nothing is returned and 0
otherwise, on both measures: showing nothing is the right answer there.
"""

import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from search.backends import forget_synonyms, search
from search.indexing import rebuild
from search.models import SearchDocument
from search.registry import searchable_models
from taxonomy.models import Condition, Topic
from transfer.services import apply_import, plan_import

HERE = Path(__file__).parent
JUDGEMENTS = HERE / "judgements.yaml"
DEPTH = 10


@dataclass(frozen=True)
class Collection:
    name: str
    content: Path
    judgements: Path


COLLECTIONS = {
    "development": Collection("development", Path(settings.BASE_DIR) / "demo", JUDGEMENTS),
    "held-out": Collection(
        "held-out", HERE / "heldout" / "content", HERE / "heldout" / "judgements.yaml"
    ),
}


def load_collection(collection):
    """Replace all content with the collection's (call inside a transaction to undo it)."""
    for model in searchable_models():
        model.objects.all().delete()
    Condition.objects.all().delete()
    Topic.objects.all().delete()
    apply_import(plan_import(collection.content), comment=f"{collection.name} collection.")
    # Documents not made from content (a benchmark's) go too, and the word counts start afresh.
    rebuild()


class _Undo(Exception):
    pass


@contextmanager
def collection_loaded(collection):
    """Hold the collection as the only content while the block runs, then undo every write."""
    try:
        with transaction.atomic():
            load_collection(collection)
            yield
            raise _Undo
    except _Undo:
        forget_synonyms()  # the collection's condition and topic names are gone


def load_judgements(path=JUDGEMENTS):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["queries"]


def ndcg(ranked, relevant, depth=DEPTH):
    if not relevant:
        return float(not ranked)
    gain = sum(
        (2 ** relevant.get(key, 0) - 1) / math.log2(position + 2)
        for position, key in enumerate(ranked[:depth])
    )
    ideal = sum(
        (2**grade - 1) / math.log2(position + 2)
        for position, grade in enumerate(sorted(relevant.values(), reverse=True)[:depth])
    )
    return gain / ideal


def reciprocal_rank(ranked, relevant, depth=DEPTH):
    if not relevant:
        return float(not ranked)
    for position, key in enumerate(ranked[:depth]):
        if relevant.get(key):
            return 1 / (position + 1)
    return 0.0


def our_ranking(q):
    results = search(SearchDocument.objects.published(), q)
    return [f"{document.type}:{document.slug}" for document in results[:DEPTH]]


def bm25_ranking():
    """Return a ranking function of a plain BM25 index over the published documents."""
    import bm25s
    import Stemmer

    documents = list(
        SearchDocument.objects.published().values_list(
            "type", "slug", "title", "summary", "tags", "body"
        )
    )
    keys = [f"{type_}:{slug}" for type_, slug, *_ in documents]
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(
            [" ".join(document[2:]) for document in documents],
            stopwords="en",
            stemmer=stemmer,
            show_progress=False,
        ),
        show_progress=False,
    )

    def rank(q):
        tokens = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.ids[0]:
            return []
        found, scores = retriever.retrieve(
            tokens, k=min(DEPTH, len(keys)), show_progress=False, n_threads=1
        )
        return [keys[i] for i, score in zip(found[0], scores[0], strict=True) if score > 0]

    return rank


def evaluate(rankers, judgements):
    """
    Return {kind: {ranker: Score}}, with an "all" row and an "answerable" one (all but the
    no-answer queries).
    """
    sums = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0, 0]))
    for judgement in judgements:
        relevant = judgement["relevant"] or {}
        kinds = [judgement["kind"], "all"] + (["answerable"] if relevant else [])
        for name, rank in rankers.items():
            ranked = rank(judgement["q"])
            for kind in kinds:
                row = sums[kind][name]
                row[0] += ndcg(ranked, relevant)
                row[1] += reciprocal_rank(ranked, relevant)
                row[2] += 1
                row[3] += len(ranked)
    return {
        kind: {
            name: Score(n / count, rr / count, count, shown / count)
            for name, (n, rr, count, shown) in by_ranker.items()
        }
        for kind, by_ranker in sums.items()
    }


@dataclass(frozen=True)
class Score:
    ndcg: float
    mrr: float
    queries: int
    results: float  # how many results a query showed on average, up to DEPTH


def table(scores, ours="ours", baseline="bm25"):
    """Format the scores as a Markdown table, kinds in the judgements' order, totals last."""
    lines = [
        "| kind | queries | nDCG@10 ours | nDCG@10 BM25 | MRR ours | MRR BM25 | results ours |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = ["answerable", "all"]
    for kind in [kind for kind in scores if kind not in totals] + totals:
        mine, base = scores[kind][ours], scores[kind][baseline]
        lines.append(
            f"| {kind} | {mine.queries} | {mine.ndcg:.3f} | {base.ndcg:.3f} | {mine.mrr:.3f} "
            f"| {base.mrr:.3f} | {mine.results:.1f} |"
        )
    return "\n".join(lines)
