"""
What /api/v1/search/ promises about order: the same on SQLite (FTS5) and PostgreSQL.

Title matches before summary matches before body matches; the words as a phrase before all
of them, all of them before some; stems, synonyms both ways, corrected typos, and content
tagged with a condition the query names.
"""

import pytest

from taxonomy.models import Synonym
from tests.factories import ArticleFactory, ConditionFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

FILLER = "Ordinary words about clinic visits and appointments."


def search(client, q, **params):
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def slugs(client, q, **params):
    return [result["slug"] for result in search(client, q, **params)["results"]]


def article(slug, title="A plain title", summary=FILLER, body=FILLER, **kwargs):
    return ArticleFactory(slug=slug, title=title, summary=summary, body=body, **kwargs)


def test_title_outranks_summary_outranks_body(client):
    article("in-body", body="Many words. The infusion room is quiet. The infusion takes time.")
    article("in-summary", summary="What an infusion feels like.")
    article("in-title", title="Your first infusion")
    article("elsewhere")
    assert slugs(client, "infusion") == ["in-title", "in-summary", "in-body"]


def test_phrase_outranks_all_words_outranks_partial(client):
    article("partial", body="Basics of the glutamate receptor.")
    article("all-words", body="Sites where glutamate meets a receptor.")
    article("phrase", body="Glutamate receptor sites open and close.")
    assert slugs(client, "glutamate receptor sites") == ["phrase", "all-words", "partial"]


def test_some_of_many_words_still_match(client):
    article("two-of-three", body="Glutamate and the receptor, explained.")
    assert slugs(client, "glutamate receptor openings") == ["two-of-three"]
    assert slugs(client, "glutamate cats") == []


def test_stemming_matches_other_forms_of_a_word(client):
    article("plural", title="Infusions at the clinic")
    article("verb", body="The drug is infused slowly.")
    assert set(slugs(client, "infusion")) == {"plural", "verb"}


@pytest.mark.parametrize(
    ("name", "other_name"),
    [
        ("Post-traumatic stress disorder", "PTSD"),
        ("Treatment-resistant depression", "TRD"),
        ("Complex regional pain syndrome", "CRPS"),
    ],
)
def test_condition_names_are_synonyms_both_ways(client, name, other_name):
    ConditionFactory(name=name, other_names=[other_name])
    article("long-name", title=f"Ketamine for {name.lower()}")
    article("short-name", body=f"Trials in {other_name} are small.")
    assert set(slugs(client, other_name)) == {"long-name", "short-name"}
    assert set(slugs(client, name)) == {"long-name", "short-name"}


def test_editor_synonyms_work_both_ways(client):
    Synonym.objects.update_or_create(term="esketamine", defaults={"other_names": ["Spravato"]})
    Synonym.objects.create(term="NMDA", other_names=["N-methyl-D-aspartate"])
    article("brand", title="What Spravato is")
    article("generic", body="Esketamine is one half of ketamine.")
    article("receptor", body="The N-methyl-D-aspartate receptor.")
    assert set(slugs(client, "spravato")) == {"brand", "generic"}
    assert set(slugs(client, "esketamine")) == {"brand", "generic"}
    assert slugs(client, "nmda") == ["receptor"]


def test_misspelled_words_are_corrected_and_reported(client):
    article("depression", title="Ketamine and depression")
    body = search(client, "depresion")
    assert [result["slug"] for result in body["results"]] == ["depression"]
    assert body["query"] == "depression"
    assert body["suggestion"] == "depression"


def test_correct_words_have_no_suggestion(client):
    article("depression", title="Ketamine and depression")
    body = search(client, "Depression")
    assert body["suggestion"] is None
    assert body["query"] == "depression"


def test_unknown_words_are_not_corrected_into_nonsense(client):
    article("depression", title="Ketamine and depression")
    body = search(client, "zebra")
    assert body["results"] == [] and body["suggestion"] is None


def test_a_named_condition_favours_content_tagged_with_it(client):
    ptsd = ConditionFactory(name="Post-traumatic stress disorder", other_names=["PTSD"])
    article("untagged", title="Sleep and PTSD", body="Nightmares.")
    article("tagged", title="Sleep and PTSD", body="Nightmares.", conditions=[ptsd])
    assert slugs(client, "ptsd sleep") == ["tagged", "untagged"]


def test_every_content_type_is_ranked_together(client):
    article("article", title="Ketamine and sleep")
    FAQFactory(slug="faq", question="Will ketamine help my sleep?")
    ResearchSummaryFactory(slug="study", title="Ketamine and sleep quality")
    body = search(client, "ketamine sleep")
    assert {result["type"] for result in body["results"]} == {"article", "faq", "research"}
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_question_finds_the_faq_asked_the_same_way(client):
    """Stop words count in a question: "who should not" is what tells these FAQs apart."""
    for slug, question in [
        ("who-should-not", "Who should not have ketamine?"),
        ("is-it-approved", "Is ketamine approved for depression?"),
        ("how-long", "How long does a ketamine infusion last?"),
    ]:
        FAQFactory(slug=slug, question=question, answer=FILLER)
    article("treatment", title="Ketamine treatment")
    assert slugs(client, "who should not get ketamine")[0] == "who-should-not"
    assert slugs(client, "how long does it last")[0] == "how-long"
    # A few keywords are not a sentence: the title shared by most words wins as before.
    assert slugs(client, "ketamine treatment")[0] == "treatment"


def test_a_question_matches_by_half_of_its_words(client):
    """A question is asked in more words than it needs: half of them, rounded up, must match."""
    article("half", body="How glutamate reaches the receptors.")
    article("quarter", body="What dissociation feels like.")
    article("other-quarter", body="Staff explain every step.")
    question = "can glutamate receptors explain dissociation"
    assert slugs(client, question) == ["half"]
    # The same words as keywords, not a sentence: three of the four must match.
    assert slugs(client, "glutamate receptors explain dissociation") == []


def test_a_question_counts_its_common_words_too(client):
    """ "Work" and "people" say what a question asks as much as its rarer words do."""
    FAQFactory(slug="will-it-work", question="Will ketamine work for me?", answer=FILLER)
    article("others", body="Others describe ketamine as strange.")
    found = slugs(client, "why does ketamine work for some people and not others")
    assert "will-it-work" in found


def test_a_title_with_more_of_a_questions_words_comes_first(client):
    """
    The share of a question's words in a title counts squared: a title with three of four
    comes before one with two, even when that one repeats more of the question's small words.
    """
    body = "Whether it is safe to drive home after an infusion depends on the day."
    article("small-words", title="Is it safe to have an infusion", body=body)
    article("more-words", title="Drive home after an infusion", body=body)
    found = slugs(client, "is it safe to drive home after an infusion")
    assert found[:2] == ["more-words", "small-words"]
