"""
Measure search quality on judged queries: nDCG@10 and MRR, overall and per kind of query,
for our engine and for a plain BM25 baseline (bm25s, English stemming and stop words) over
the same published documents.

A query with no relevant item ("no-answer") scores 1 when nothing is returned and 0
otherwise, on both measures: showing nothing is the right answer there.
"""

import math
from collections import defaultdict
from pathlib import Path

import yaml

from search.models import SearchDocument

JUDGEMENTS = Path(__file__).with_name("judgements.yaml")
DEPTH = 10


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
    results = SearchDocument.objects.published().search(q)
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
    """Return {kind: {ranker: (nDCG@10, MRR, count)}}, with an "all" row."""
    sums = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0]))
    for judgement in judgements:
        relevant = judgement["relevant"] or {}
        for name, rank in rankers.items():
            ranked = rank(judgement["q"])
            for kind in (judgement["kind"], "all"):
                row = sums[kind][name]
                row[0] += ndcg(ranked, relevant)
                row[1] += reciprocal_rank(ranked, relevant)
                row[2] += 1
    return {
        kind: {name: (n / count, rr / count, count) for name, (n, rr, count) in by_ranker.items()}
        for kind, by_ranker in sums.items()
    }


def table(scores, ours="ours", baseline="bm25"):
    """Format the scores as a Markdown table, kinds in the judgements' order, "all" last."""
    lines = [
        "| kind | queries | nDCG@10 ours | nDCG@10 BM25 | MRR ours | MRR BM25 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    kinds = [kind for kind in scores if kind != "all"] + ["all"]
    for kind in kinds:
        (n_ours, rr_ours, count), (n_base, rr_base, _) = scores[kind][ours], scores[kind][baseline]
        lines.append(
            f"| {kind} | {count} | {n_ours:.3f} | {n_base:.3f} | {rr_ours:.3f} | {rr_base:.3f} |"
        )
    return "\n".join(lines)
