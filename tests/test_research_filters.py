"""Research-only filters: study design, evidence level and publication-year range."""

import pytest

from tests.factories import ResearchSummaryFactory
from tests.problems import assert_invalid_parameter

pytestmark = pytest.mark.django_db


def listed_slugs(client, params):
    response = client.get("/api/v1/research/", params)
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


@pytest.fixture
def studies():
    return {
        "rct": ResearchSummaryFactory(study_design="rct", evidence_level="2", year=2000),
        "meta": ResearchSummaryFactory(study_design="meta-analysis", evidence_level="1", year=2015),
        "series": ResearchSummaryFactory(study_design="case-series", evidence_level="4", year=2021),
        "undated": ResearchSummaryFactory(study_design="guideline", evidence_level="5", year=None),
    }


def slugs_of(studies, *names):
    return sorted(studies[name].slug for name in names)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("rct", ["rct"]),
        ("rct,meta-analysis", ["rct", "meta"]),
        ("meta-analysis,case-series,guideline", ["meta", "series", "undated"]),
        ("crossover", []),
    ],
)
def test_study_design_matches_any_listed(client, studies, value, expected):
    assert listed_slugs(client, {"study_design": value}) == slugs_of(studies, *expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", ["meta"]), ("1,2", ["rct", "meta"]), ("4,5", ["series", "undated"]), ("3", [])],
)
def test_evidence_level_matches_any_listed(client, studies, value, expected):
    assert listed_slugs(client, {"evidence_level": value}) == slugs_of(studies, *expected)


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("study_design", "RCT"),
        ("study_design", "rct,nonsense"),
        ("study_design", "randomised"),
        ("evidence_level", "6"),
        ("evidence_level", "0"),
        ("evidence_level", "1,level-2"),
        ("evidence_level", "1a"),
    ],
)
def test_invalid_choice_is_400(client, parameter, value):
    assert_invalid_parameter(client.get("/api/v1/research/", {parameter: value}), parameter)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year_min": 2015}, ["meta", "series"]),
        ({"year_max": 2015}, ["rct", "meta"]),
        ({"year_min": 2001, "year_max": 2020}, ["meta"]),
        ({"year_min": 2000, "year_max": 2000}, ["rct"]),
        ({"year_min": 2022}, []),
        ({"year_min": 2020, "year_max": 2001}, []),
    ],
)
def test_year_range_is_inclusive_and_leaves_out_undated(client, studies, params, expected):
    assert listed_slugs(client, params) == slugs_of(studies, *expected)


@pytest.mark.parametrize("parameter", ["year_min", "year_max"])
@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "0",
        "-2000",
        "10000",
        "9" * 10_000,
        "1e5",
        "NaN",
        "Infinity",
        "2000.5",
        "1e3",
        "2000x",
    ],
)
def test_invalid_or_huge_year_is_400(client, parameter, value):
    assert_invalid_parameter(client.get("/api/v1/research/", {parameter: value}), parameter)


def test_research_filters_combine_with_each_other(client, studies):
    params = {"study_design": "rct,meta-analysis,case-series", "evidence_level": "1,4"}
    assert listed_slugs(client, {**params, "year_max": 2020}) == slugs_of(studies, "meta")
