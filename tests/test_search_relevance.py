"""
The relevance suite, on two collections. On the demo content (the development set) search
beats a plain BM25 baseline on every kind of query (nDCG@10), never finds the first right
answer later than it (MRR), and keeps the scores it had. On the held-out collection, written
apart and never tuned against, it reaches the aims of issue 13. Both engines run this file.
"""

import pytest

from articles.models import FAQ
from relevance.evaluation import (
    COLLECTIONS,
    bm25_ranking,
    collection_loaded,
    evaluate,
    load_judgements,
    our_ranking,
)
from search.models import SearchDocument
from tests.conftest import shared_rows
from tests.factories import FAQFactory

pytestmark = pytest.mark.django_db


def test_judgements_cover_every_kind_of_query():
    judgements = load_judgements()
    kinds = {judgement["kind"] for judgement in judgements}
    assert len(judgements) >= 40
    assert kinds == {"keyword", "question", "lay", "synonym", "abbreviation", "typo", "no-answer"}


# nDCG@10 floors: the development set's are its scores before issue 13 (questions: since
# sentences favour titles asked the same way), less a rounding margin; the held-out set's
# are the aims.
DEVELOPMENT_FLOORS = {
    "all": 0.92,
    "keyword": 0.93,
    "question": 0.89,
    "lay": 0.91,
    "synonym": 0.90,
    "abbreviation": 0.91,
    "typo": 0.94,
    "no-answer": 1.0,
}
HELD_OUT_FLOORS = {
    "answerable": 0.80,
    "all": 0.80,
    "keyword": 0.92,
    "question": 0.80,
    "lay": 0.65,
    "synonym": 0.85,
    "abbreviation": 0.85,
    "typo": 0.85,
}


def scores(collection):
    """Our search's and the BM25 baseline's scores on the collection, loaded now."""
    return evaluate(
        {"ours": our_ranking, "bm25": bm25_ranking()}, load_judgements(collection.judgements)
    )


# Each collection is loaded and judged once for the tests that read its scores.
@pytest.fixture(scope="module")
def development_scores(django_db_setup, django_db_blocker):
    development = COLLECTIONS["development"]
    with django_db_blocker.unblock(), collection_loaded(development):
        return scores(development)


@pytest.fixture(scope="module")
def held_out(django_db_setup, django_db_blocker):
    """The held-out collection, loaded once over a FAQ of the demo's: what was searchable
    while it was loaded, its scores, and the search documents once it was undone."""
    held_out = COLLECTIONS["held-out"]
    with shared_rows(django_db_blocker):
        FAQFactory(slug="is-ketamine-addictive", question="Is ketamine addictive?")
        with collection_loaded(held_out):
            loaded = {
                "slugs": set(SearchDocument.objects.published().values_list("slug", flat=True)),
                "faq_left": FAQ.objects.filter(slug="is-ketamine-addictive").exists(),
                "scores": scores(held_out),
            }
        loaded["documents_after"] = list(SearchDocument.objects.values_list("slug", flat=True))
        yield loaded


def test_search_beats_bm25_on_every_kind_of_query(development_scores):
    for kind, by_ranker in development_scores.items():
        ours, bm25 = by_ranker["ours"], by_ranker["bm25"]
        assert ours.ndcg > bm25.ndcg, (kind, by_ranker)
        assert ours.mrr >= bm25.mrr, (kind, by_ranker)


def test_development_scores_do_not_fall(development_scores):
    for kind, floor in DEVELOPMENT_FLOORS.items():
        assert development_scores[kind]["ours"].ndcg >= floor, (kind, development_scores[kind])


def test_held_out_scores_reach_the_aims_and_beat_bm25(held_out):
    held_out_scores = held_out["scores"]
    for kind, floor in HELD_OUT_FLOORS.items():
        assert held_out_scores[kind]["ours"].ndcg >= floor, (kind, held_out_scores[kind])
    # A question the content does not answer shows nothing, or next to nothing.
    assert held_out_scores["no-answer"]["ours"].results <= 1, held_out_scores["no-answer"]
    for kind, by_ranker in held_out_scores.items():
        ours, bm25 = by_ranker["ours"], by_ranker["bm25"]
        assert ours.ndcg > bm25.ndcg, (kind, by_ranker)


def test_held_out_collection_covers_every_kind_with_graded_judgements():
    judgements = load_judgements(COLLECTIONS["held-out"].judgements)
    kinds = {judgement["kind"] for judgement in judgements}
    answerable = [judgement for judgement in judgements if judgement["relevant"]]
    assert len(answerable) >= 60
    assert kinds == {"keyword", "question", "lay", "synonym", "abbreviation", "typo", "no-answer"}
    grades = {grade for judgement in answerable for grade in judgement["relevant"].values()}
    assert grades <= {1, 2, 3} and 3 in grades


def test_held_out_collection_is_imported_apart_from_the_demo(held_out):
    """The held-out content is evaluation data: loaded, it is the only content; afterwards
    the content that was there is back as it was."""
    assert len(held_out["slugs"]) >= 80
    assert "is-ketamine-addictive" not in held_out["slugs"]
    assert not held_out["faq_left"]
    assert held_out["documents_after"] == ["is-ketamine-addictive"]
