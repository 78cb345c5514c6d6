"""Research summaries: study details, and a citation that never guesses what was not verified."""

import pytest

from tests.factories import ResearchSummaryFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "type",
    "slug",
    "title",
    "summary",
    "study_design",
    "evidence_level",
    "year",
    "conditions",
    "topics",
    "status",
    "published_at",
    "updated_at",
    "language",
    "is_fallback",
    "translations",
}
DETAIL_FIELDS = LIST_FIELDS | {
    "study_design_label",
    "evidence_level_label",
    "grade_certainty",
    "body_html",
    "body_text",
    "key_findings",
    "limitations",
    "population",
    "sample_size",
    "intervention",
    "comparator",
    "citation",
    "csl_json",
    "seo",
    "review",
    "safety_notices",
    "related",
    "structured_data",
    "structured_data_script",
    "glossary_terms",
    "readability",
}


def get_detail(client, summary):
    response = client.get(f"/api/v1/research/{summary.slug}/")
    assert response.status_code == 200
    return response.json()


def test_list_items_are_compact_without_body_or_citation(client):
    ResearchSummaryFactory()
    (item,) = client.get("/api/v1/research/").json()["results"]
    assert set(item) == LIST_FIELDS
    assert item["study_design"] == "rct"
    assert item["evidence_level"] == "2"
    assert item["year"] == 2000


def test_detail_is_complete(client):
    summary = ResearchSummaryFactory(
        body="Ketamine <script>x</script> **helped**.",
        key_findings=["Response within 72 hours."],
        grade_certainty="moderate",
        population="Adults with depression",
        sample_size="7",
    )
    data = get_detail(client, summary)
    assert set(data) == DETAIL_FIELDS
    assert data["study_design_label"] == "Randomised controlled trial"
    assert data["evidence_level_label"].startswith("Level 2")
    assert data["grade_certainty"] == "moderate"
    assert data["key_findings"] == ["Response within 72 hours."]
    assert "<strong>helped</strong>" in data["body_html"]
    assert "<script" not in data["body_html"]
    assert data["body_text"] == "Ketamine <script>x</script> helped."
    assert data["population"] == "Adults with depression"
    assert data["sample_size"] == "7"


def test_grade_certainty_is_null_when_not_given(client):
    assert get_detail(client, ResearchSummaryFactory(grade_certainty=""))["grade_certainty"] is None


def test_citation_links_to_doi_and_pubmed(client):
    summary = ResearchSummaryFactory(
        citation_authors="Berman RM, Cappiello A, Anand A",
        citation_title="Antidepressant effects of ketamine in depressed patients",
        journal="Biol Psychiatry",
        year=2000,
        volume="47",
        issue="4",
        pages="351-354",
        doi="10.1016/S0006-3223(99)00230-9",
        pmid="10686270",
    )
    assert get_detail(client, summary)["citation"] == {
        "authors": "Berman RM, Cappiello A, Anand A",
        "title": "Antidepressant effects of ketamine in depressed patients",
        "journal": "Biol Psychiatry",
        "year": 2000,
        "volume": "47",
        "issue": "4",
        "pages": "351-354",
        "doi": "10.1016/S0006-3223(99)00230-9",
        "pmid": "10686270",
        "url": None,
        "doi_url": "https://doi.org/10.1016/S0006-3223(99)00230-9",
        "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/10686270/",
    }


def test_unverified_citation_parts_are_null_not_blank(client):
    summary = ResearchSummaryFactory(
        citation_authors="", citation_title="", journal="", year=None, pmid="", doi=""
    )
    citation = get_detail(client, summary)["citation"]
    assert set(citation) == {
        "authors", "title", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "url",
        "doi_url", "pubmed_url",
    }  # fmt: skip
    assert all(value is None for value in citation.values()), citation


def test_csl_json_parses_vancouver_authors(client):
    summary = ResearchSummaryFactory(
        citation_authors="Zarate CA Jr, Singh JB, Al Jurdi RK, et al.",
        citation_title="A randomized trial of an NMDA antagonist",
        journal="Arch Gen Psychiatry",
        year=2006,
        volume="63",
        issue="8",
        pages="856-864",
        doi="10.1001/archpsyc.63.8.856",
        pmid="16894061",
    )
    assert get_detail(client, summary)["csl_json"] == {
        "id": summary.slug,
        "type": "article-journal",
        "title": "A randomized trial of an NMDA antagonist",
        "author": [
            {"family": "Zarate", "given": "C. A.", "suffix": "Jr"},
            {"family": "Singh", "given": "J. B."},
            {"family": "Al Jurdi", "given": "R. K."},
        ],
        "container-title": "Arch Gen Psychiatry",
        "issued": {"date-parts": [[2006]]},
        "volume": "63",
        "issue": "8",
        "page": "856-864",
        "DOI": "10.1001/archpsyc.63.8.856",
        "PMID": "16894061",
        "URL": "https://doi.org/10.1001/archpsyc.63.8.856",
    }


def test_csl_json_keeps_unparseable_author_as_literal(client):
    summary = ResearchSummaryFactory(citation_authors="American Psychiatric Association")
    authors = get_detail(client, summary)["csl_json"]["author"]
    assert authors == [{"literal": "American Psychiatric Association"}]


def test_csl_json_has_no_empty_keys(client):
    summary = ResearchSummaryFactory(
        citation_authors="", journal="", year=None, volume="", doi="", pmid="", url=""
    )
    csl = get_detail(client, summary)["csl_json"]
    assert csl == {"id": summary.slug, "type": "article-journal", "title": "A study title"}


def test_csl_json_url_prefers_source_then_pubmed(client):
    with_url = ResearchSummaryFactory(url="https://example.org/study", doi="")
    pubmed_only = ResearchSummaryFactory(doi="", pmid="12345")
    assert get_detail(client, with_url)["csl_json"]["URL"] == "https://example.org/study"
    assert (
        get_detail(client, pubmed_only)["csl_json"]["URL"]
        == "https://pubmed.ncbi.nlm.nih.gov/12345/"
    )
