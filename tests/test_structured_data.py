"""
Each content detail carries `structured_data`: schema.org JSON-LD to embed as it is.

Articles are a MedicalWebPage, FAQs an FAQPage, research summaries a ScholarlyArticle. Every
property is one schema.org defines for its type, the properties search engines require are
there, addresses are absolute, and a property without a value is left out, never null.
"""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# The properties schema.org defines for each type used (its own and those it inherits), as far
# as the API emits them: anything else would be ignored or flagged by validators.
CREATIVE_WORK = {
    "url", "name", "headline", "description", "datePublished", "dateModified", "about",
    "keywords", "author", "isPartOf", "identifier", "sameAs", "mainEntity", "inLanguage",
}  # fmt: skip
PROPERTIES = {
    "MedicalWebPage": CREATIVE_WORK | {"lastReviewed", "reviewedBy"},
    "FAQPage": CREATIVE_WORK | {"lastReviewed", "reviewedBy"},
    "ScholarlyArticle": CREATIVE_WORK | {"pagination"},
    "MedicalCondition": {"name", "code"},
    "MedicalCode": {"codeValue", "codingSystem"},
    "Person": {"name", "honorificSuffix"},
    "Periodical": {"name"},
    "PropertyValue": {"propertyID", "value"},
    "Question": {"name", "acceptedAnswer"},
    "Answer": {"text"},
}


def structured_data(client, resource, item):
    response = client.get(f"/api/v1/{resource}/{item.slug}/")
    assert response.status_code == 200
    return response.json()["structured_data"]


def assert_valid_json_ld(document, schema_type):
    """Assert the shape every document shares; return it for the type's own checks."""
    assert document["@context"] == "https://schema.org"
    assert document["@type"] == schema_type
    assert document["url"].startswith(("http://", "https://"))
    assert_nodes_are_valid(document)
    return document


def assert_nodes_are_valid(node):
    if isinstance(node, list):
        assert node, "an empty list"
        for item in node:
            assert_nodes_are_valid(item)
    elif isinstance(node, dict):
        schema_type = node["@type"]
        assert set(node) - {"@context", "@type"} <= PROPERTIES[schema_type], schema_type
        for key, value in node.items():
            assert value not in (None, "", [], {}), f"{schema_type}.{key} is empty"
            assert_nodes_are_valid(value)
    else:
        assert isinstance(node, str | int), node


@pytest.fixture
def depression():
    return ConditionFactory(
        name="Treatment-resistant depression", icd10cm="F33.2", snomed_ct="", mesh="D061218"
    )


def test_article_is_a_medical_web_page(client, depression):
    topic = TopicFactory(name="NMDA receptors")
    article = ArticleFactory(
        title="How ketamine works",
        summary="Briefly.",
        conditions=[depression],
        topics=[topic],
        reviewer_name="Dr Ada Reviewer",
        reviewer_credentials="MD, PhD",
    )
    data = assert_valid_json_ld(structured_data(client, "articles", article), "MedicalWebPage")
    assert data["url"] == f"http://testserver/api/v1/articles/{article.slug}/"
    assert data["name"] == data["headline"] == "How ketamine works"
    assert data["description"] == "Briefly."
    assert data["lastReviewed"] == "2026-01-15"
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Ada Reviewer",
        "honorificSuffix": "MD, PhD",
    }
    assert data["about"] == [
        {
            "@type": "MedicalCondition",
            "name": "Treatment-resistant depression",
            "code": [
                {"@type": "MedicalCode", "codeValue": "F33.2", "codingSystem": "ICD-10-CM"},
                {"@type": "MedicalCode", "codeValue": "D061218", "codingSystem": "MeSH"},
            ],
        }
    ]
    assert data["keywords"] == "NMDA receptors"
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert data["dateModified"]


def test_unknown_review_and_tags_are_left_out(client):
    article = ArticleFactory(reviewer_name="", reviewer_credentials="", last_reviewed=None)
    data = assert_valid_json_ld(structured_data(client, "articles", article), "MedicalWebPage")
    assert not {"reviewedBy", "lastReviewed", "about", "keywords"} & set(data)


def test_condition_without_codes_has_no_code(client):
    article = ArticleFactory(conditions=[ConditionFactory(name="Pain")])
    data = assert_valid_json_ld(structured_data(client, "articles", article), "MedicalWebPage")
    assert data["about"] == [{"@type": "MedicalCondition", "name": "Pain"}]


def test_reviewer_without_credentials_is_a_person_by_name(client):
    article = ArticleFactory(reviewer_name="Dr B", reviewer_credentials="")
    data = structured_data(client, "articles", article)
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr B"}


def test_faq_is_an_faq_page_with_its_question_and_answer(client, depression):
    faq = FAQFactory(
        question="Is it safe?", answer="Mostly *yes*, under care.", conditions=[depression]
    )
    data = assert_valid_json_ld(structured_data(client, "faqs", faq), "FAQPage")
    assert data["url"] == f"http://testserver/api/v1/faqs/{faq.slug}/"
    assert data["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Is it safe?",
            "acceptedAnswer": {"@type": "Answer", "text": "Mostly yes, under care."},
        }
    ]
    assert data["lastReviewed"] == "2026-01-15"
    assert data["about"][0]["@type"] == "MedicalCondition"


def test_research_is_the_studys_scholarly_article(client, depression):
    summary = ResearchSummaryFactory(
        citation_authors="Berman RM, Cappiello A, Anand A, et al.",
        citation_title="Antidepressant effects of ketamine in depressed patients",
        journal="Biological Psychiatry",
        year=2000,
        pages="351-354",
        doi="10.1016/S0006-3223(99)00230-9",
        pmid="10686270",
        conditions=[depression],
    )
    data = assert_valid_json_ld(structured_data(client, "research", summary), "ScholarlyArticle")
    assert data["url"] == f"http://testserver/api/v1/research/{summary.slug}/"
    assert data["headline"] == data["name"] == summary.citation_title
    assert data["author"] == [
        {"@type": "Person", "name": "Berman RM"},
        {"@type": "Person", "name": "Cappiello A"},
        {"@type": "Person", "name": "Anand A"},
    ]
    assert data["datePublished"] == "2000"
    assert data["isPartOf"] == {"@type": "Periodical", "name": "Biological Psychiatry"}
    assert data["pagination"] == "351-354"
    assert data["sameAs"] == [
        "https://doi.org/10.1016/S0006-3223(99)00230-9",
        "https://pubmed.ncbi.nlm.nih.gov/10686270/",
    ]
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1016/S0006-3223(99)00230-9"},
        {"@type": "PropertyValue", "propertyID": "PMID", "value": "10686270"},
    ]
    assert data["about"][0]["name"] == depression.name
    # The summary's review is of the summary, not of the study.
    assert "lastReviewed" not in data


def test_unverified_citation_parts_are_left_out(client):
    summary = ResearchSummaryFactory(
        citation_authors="",
        citation_title="",
        journal="",
        year=None,
        pages="",
        doi="",
        pmid="",
        url="",
    )
    data = assert_valid_json_ld(structured_data(client, "research", summary), "ScholarlyArticle")
    assert set(data) == {"@context", "@type", "inLanguage", "url", "name", "description"}
    # Named by the summary's own title, never by a guessed one.
    assert data["name"] == summary.title


def test_a_study_without_a_verified_title_is_named_by_its_journal_and_year(client):
    summary = ResearchSummaryFactory(citation_title="", journal="Biological Psychiatry", year=2000)
    data = assert_valid_json_ld(structured_data(client, "research", summary), "ScholarlyArticle")
    assert data["name"] == "Article in Biological Psychiatry, 2000"
    assert "headline" not in data
    summary = ResearchSummaryFactory(citation_title="", journal="Biological Psychiatry", year=None)
    data = structured_data(client, "research", summary)
    assert data["name"] == "Article in Biological Psychiatry"


def test_source_address_is_the_same_work(client):
    summary = ResearchSummaryFactory(doi="", pmid="", url="https://journal.example/article/1")
    data = structured_data(client, "research", summary)
    assert data["sameAs"] == ["https://journal.example/article/1"]
    assert "identifier" not in data


@pytest.mark.parametrize(
    ("resource", "factory", "path"),
    [
        ("articles", ArticleFactory, "/learn/{slug}"),
        ("faqs", FAQFactory, "/faq/{slug}/"),
        ("research", ResearchSummaryFactory, "/studies/{slug}/"),
    ],
)
def test_frontend_address_is_used_when_configured(client, settings, resource, factory, path):
    settings.FRONTEND_BASE_URL = "https://www.clinic.example"
    settings.FRONTEND_PATHS = {**settings.FRONTEND_PATHS, factory._meta.model.reference_type: path}
    item = factory()
    data = structured_data(client, resource, item)
    assert data["url"] == "https://www.clinic.example" + path.format(slug=item.slug)


def test_lists_carry_no_structured_data(client, content):
    resource, factory = content
    factory()
    (item,) = client.get(f"/api/v1/{resource}/").json()["results"]
    assert "structured_data" not in item


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FRONTEND_BASE_URL", "www.clinic.example"),
        ("FRONTEND_BASE_URL", "https://www.clinic.example/?page=1"),
        ("FRONTEND_ARTICLE_PATH", "/learn/"),
        ("FRONTEND_FAQ_PATH", "faq/{slug}/"),
        ("FRONTEND_RESEARCH_PATH", "/studies/{id}/{slug}/"),
    ],
)
def test_malformed_frontend_setting_stops_the_process(variable, value):
    result = subprocess.run(
        [sys.executable, "-c", "import tests.settings"],
        env={**os.environ, variable: value},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert variable in result.stderr


class ScriptElements(HTMLParser):
    """Collect the elements of a page and the text of each script element, as a browser would."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append("")

    def handle_data(self, data):
        if self.lasttag == "script" and self.scripts:
            self.scripts[-1] += data


HOSTILE_TEXTS = [
    "</script><script>alert(1)</script>",
    "</SCRIPT ><img src=x onerror=alert(1)>",
    "<!--<script>",
    "Tom &amp; Jerry & <b>friends</b>",
]


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
@pytest.mark.parametrize("resource", ["articles", "faqs", "research"])
def test_the_readme_recipe_never_lets_a_title_close_the_script_element(client, resource, hostile):
    condition = ConditionFactory(name=f"Condition {hostile}")
    factory, title = {
        "articles": (ArticleFactory, "title"),
        "faqs": (FAQFactory, "question"),
        "research": (ResearchSummaryFactory, "title"),
    }[resource]
    item = factory(**{title: hostile}, conditions=[condition])
    detail = client.get(f"/api/v1/{resource}/{item.slug}/").json()

    # The README: put structured_data_script, unchanged, as the text of the script element.
    page = (
        "<html><head>"
        f'<script type="application/ld+json">{detail["structured_data_script"]}</script>'
        "</head><body><p>After</p></body></html>"
    )
    parsed = ScriptElements()
    parsed.feed(page)
    assert parsed.tags == ["html", "head", "script", "body", "p"]
    (text,) = parsed.scripts
    assert not set("<>&") & set(text)
    assert "\\u003c" in text
    assert json.loads(text) == detail["structured_data"]
    assert hostile in json.dumps(detail["structured_data"], ensure_ascii=False)
