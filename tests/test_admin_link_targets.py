"""The internal-link picker's list of entries: staff only, drafts included, by view permission."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_user
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

URL = "/admin/editorial/link-targets/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_and_non_staff_are_sent_to_the_login(db):
    ArticleFactory(title="Secret draft", draft=True)
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    patient = client_for(make_user("patient", staff=False)).get(URL)
    assert patient.status_code == 302
    assert b"Secret draft" not in anonymous.content + patient.content


def test_staff_see_every_type_drafts_included_with_their_reader_paths(editor):
    ArticleFactory(title="Bridging synapses", slug="bridging-synapses", draft=True)
    FAQFactory(question="Does it hurt?", slug="does-it-hurt")
    ResearchSummaryFactory(title="A trial in review", slug="trial", in_review=True)
    response = client_for(editor).get(URL)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "type": "research",
            "type_label": "research summary",
            "title": "A trial in review",
            "slug": "trial",
            "status": "in_review",
            "path": "/research/trial/",
        },
        {
            "type": "article",
            "type_label": "mechanism article",
            "title": "Bridging synapses",
            "slug": "bridging-synapses",
            "status": "draft",
            "path": "/articles/bridging-synapses/",
        },
        {
            "type": "faq",
            "type_label": "FAQ",
            "title": "Does it hurt?",
            "slug": "does-it-hurt",
            "status": "published",
            "path": "/faqs/does-it-hurt/",
        },
    ]


def test_q_narrows_by_title_in_any_script(editor):
    ArticleFactory(title="Kétamine et synapses", slug="ketamine-synapses")
    ArticleFactory(title="Sleep after treatment", slug="sleep")
    FAQFactory(question="Is ketamine safe?", slug="safe")
    client = client_for(editor)
    titles = [item["title"] for item in client.get(URL, {"q": "étamine"}).json()["results"]]
    assert titles == ["Kétamine et synapses"]
    titles = [item["title"] for item in client.get(URL, {"q": "  SLEEP "}).json()["results"]]
    assert titles == ["Sleep after treatment"]
    assert client.get(URL, {"q": "nothing like it"}).json() == {"results": []}


def test_staff_see_only_the_types_they_may_view(db):
    ArticleFactory(title="Visible article")
    FAQFactory(question="Hidden question")
    reader = make_user("article-reader", permissions=[("articles", "view_article")])
    results = client_for(reader).get(URL).json()["results"]
    assert [item["title"] for item in results] == ["Visible article"]
    assert client_for(make_user("no-permissions")).get(URL).json() == {"results": []}


def test_paths_follow_the_frontend_settings(editor, settings):
    settings.FRONTEND_PATHS = {**settings.FRONTEND_PATHS, "article": "/learn/{slug}"}
    ArticleFactory(title="Custom path", slug="custom")
    assert client_for(editor).get(URL).json()["results"][0]["path"] == "/learn/custom"


def test_a_huge_query_is_a_problem_naming_q(editor):
    response = client_for(editor).get(URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "q is longer than 200 characters" in response.json()["detail"]
    assert client_for(editor).get(URL, {"q": "x" * 200}).status_code == 200


def test_the_list_is_capped_and_its_queries_do_not_grow_with_content(editor):
    client = client_for(editor)
    ArticleFactory()
    client.get(URL)  # the session and user, read once
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    ArticleFactory.create_batch(24)
    FAQFactory.create_batch(3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.json()["results"]) == 20
    assert len(many) == len(few)
