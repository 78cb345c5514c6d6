"""Glossary entries: plain-language definitions served, searched, synced and described."""

import pytest
from django.core.exceptions import ValidationError

from content.models import Status
from glossary.models import GlossaryEntry
from tests.factories import ConditionFactory, GlossaryEntryFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "type",
    "slug",
    "term",
    "definition",
    "other_names",
    "abbreviations",
    "conditions",
    "topics",
    "status",
    "published_at",
    "updated_at",
}
DETAIL_FIELDS = LIST_FIELDS | {
    "explanation_html",
    "explanation_text",
    "review",
    "seo",
    "safety_notices",
    "related",
    "structured_data",
    "structured_data_script",
}


def nmda(**kwargs):
    return GlossaryEntryFactory(
        slug="nmda-receptor",
        term="NMDA receptor",
        definition="A receiving point on nerve cells that responds to glutamate.",
        other_names=["N-methyl-D-aspartate receptor"],
        abbreviations=["NMDAR"],
        explanation="Ketamine **blocks** it for a while.",
        **kwargs,
    )


def test_list_is_alphabetical_and_compact(client):
    GlossaryEntryFactory(term="Neuroplasticity", slug="neuroplasticity")
    nmda()
    GlossaryEntryFactory(term="Dissociation", slug="dissociation")
    response = client.get("/api/v1/glossary/")
    assert response.status_code == 200
    items = response.json()["results"]
    assert [item["term"] for item in items] == ["Dissociation", "NMDA receptor", "Neuroplasticity"]
    assert set(items[1]) == LIST_FIELDS
    assert items[1]["type"] == "glossary"
    assert items[1]["abbreviations"] == ["NMDAR"]


def test_detail_is_complete(client):
    nmda()
    response = client.get("/api/v1/glossary/nmda-receptor/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == DETAIL_FIELDS
    assert data["explanation_html"] == "<p>Ketamine <strong>blocks</strong> it for a while.</p>\n"
    assert data["review"]["reviewer"]["name"] == "Dr Test Reviewer"


def test_detail_json_ld_is_a_defined_term_in_a_defined_term_set(client):
    nmda()
    data = client.get("/api/v1/glossary/nmda-receptor/").json()["structured_data"]
    assert data["@type"] == "DefinedTerm"
    assert data["name"] == "NMDA receptor"
    assert data["alternateName"] == ["NMDAR", "N-methyl-D-aspartate receptor"]
    assert data["description"].startswith("A receiving point")
    assert data["url"] == "http://testserver/api/v1/glossary/nmda-receptor/"
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert data["inDefinedTermSet"]["url"] == "http://testserver/api/v1/glossary/"


@pytest.mark.parametrize("state", ["draft", "in_review", "archived", "scheduled"])
def test_unpublished_entries_never_leak(client, state):
    GlossaryEntryFactory(slug="hidden", term="Hidden word", **{state: True})
    assert client.get("/api/v1/glossary/").json()["count"] == 0
    assert client.get("/api/v1/glossary/hidden/").status_code == 404
    assert client.get("/api/v1/search/", {"q": "hidden word"}).json()["results"] == []
    changes = client.get("/api/v1/sync/", {"type": "glossary"}).json()["changes"]
    assert changes == []


def test_unknown_slug_is_a_problem_404(client):
    response = client.get("/api/v1/glossary/no-such-term/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_unicode_term(client):
    GlossaryEntryFactory(slug="kh-ng", term="Kháng thể", definition="Một từ y học đơn giản.")
    assert client.get("/api/v1/glossary/kh-ng/").json()["term"] == "Kháng thể"


@pytest.mark.parametrize(
    "definition",
    [
        "One. Two. Three.",
        "No full stop at the end",
        "First sentence. Second one! Third one?",
    ],
)
def test_definition_must_be_one_or_two_sentences(definition):
    entry = GlossaryEntry(slug="x", term="X", definition=definition)
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "definition" in error.value.message_dict


def test_definition_of_two_sentences_is_fine():
    entry = GlossaryEntry(slug="x", term="X", definition="It is a word. It means a thing.")
    entry.full_clean()


def test_filters_by_condition_and_topic(client):
    depression = ConditionFactory(slug="depression")
    receptors = TopicFactory(slug="receptors")
    nmda(conditions=[depression], topics=[receptors])
    GlossaryEntryFactory(slug="other")
    assert [
        i["slug"] for i in client.get("/api/v1/glossary/?topic=receptors").json()["results"]
    ] == ["nmda-receptor"]
    response = client.get("/api/v1/glossary/?ordering=nonsense")
    assert response.status_code == 400


def test_search_finds_entries_by_term_and_abbreviation(client):
    nmda()
    GlossaryEntryFactory(
        slug="bdnf", term="Brain-derived neurotrophic factor", abbreviations=["BDNF"]
    )
    hits = client.get("/api/v1/search/", {"q": "BDNF"}).json()["results"]
    assert [(hit["type"], hit["slug"]) for hit in hits] == [("glossary", "bdnf")]
    hits = client.get("/api/v1/search/", {"q": "nmda receptor", "type": "glossary"}).json()
    assert [hit["slug"] for hit in hits["results"]] == ["nmda-receptor"]
    assert [hit["slug"] for hit in client.get("/api/v1/glossary/?q=BDNF").json()["results"]] == [
        "bdnf"
    ]


def test_sync_lists_entries_then_their_removal(client):
    entry = nmda()
    page = client.get("/api/v1/sync/", {"type": "glossary"}).json()
    (change,) = page["changes"]
    assert change["type"] == "glossary"
    assert change["action"] == "upsert"
    assert change["item"]["term"] == "NMDA receptor"
    assert change["item"]["structured_data"]["@type"] == "DefinedTerm"
    entry.status = Status.DRAFT
    entry.save()
    page = client.get("/api/v1/sync/", {"type": "glossary", "cursor": page["cursor"]}).json()
    assert page["changes"] == [{"type": "glossary", "slug": "nmda-receptor", "action": "remove"}]


def test_editor_writes_an_entry_and_a_bad_definition_is_refused(editor_api):
    body = {
        "slug": "glutamate",
        "term": "Glutamate",
        "definition": "A chemical messenger that nerve cells use to pass signals on.",
        "abbreviations": [],
        "other_names": ["glutamic acid"],
    }
    response = editor_api.post("/api/v1/glossary/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["other_names"] == ["glutamic acid"]
    body = {**body, "slug": "too-long", "term": "Too long", "definition": "One. Two. Three."}
    response = editor_api.post("/api/v1/glossary/", body, format="json")
    assert response.status_code == 400
    assert "definition" in response.content.decode()
    assert not GlossaryEntry.objects.filter(slug="too-long").exists()


def test_anonymous_write_is_refused(client):
    response = client.post("/api/v1/glossary/", {"slug": "x"}, format="json")
    assert response.status_code == 401


def test_index_and_tag_counts_name_the_glossary(client):
    topic = TopicFactory(slug="receptors")
    nmda(topics=[topic])
    assert client.get("/api/v1/").json()["glossary"] == "http://testserver/api/v1/glossary/"
    topic_data = client.get("/api/v1/topics/receptors/").json()
    assert topic_data["content_counts"]["glossary"] == 1
    assert [ref["slug"] for ref in topic_data["hub"]["glossary"]] == ["nmda-receptor"]


def test_a_definition_ranks_below_content_that_matches_as_well(client):
    from tests.factories import ArticleFactory

    nmda()
    ArticleFactory(slug="about-nmda", title="NMDA receptor", summary="NMDA receptor.")
    hits = client.get("/api/v1/search/", {"q": "nmda receptor"}).json()["results"]
    assert [(hit["type"], hit["slug"]) for hit in hits] == [
        ("article", "about-nmda"),
        ("glossary", "nmda-receptor"),
    ]
