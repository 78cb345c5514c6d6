"""With read replicas, anonymous reads go to them; writes and editors' requests to the primary."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.replicas import PrimaryReplicaRouter
from articles.models import Article
from tests.factories import ArticleFactory

# Committed for real, so that the replica's own connection sees the rows.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica"]


class Queries:
    """The queries each alias ran while the block ran."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def count(self, alias):
        return len(self.contexts[alias].captured_queries)


def test_anonymous_reads_go_to_the_replica(client):
    ArticleFactory(slug="on-the-replica")
    with Queries() as queries:
        assert client.get("/api/v1/articles/").json()["count"] == 1
        assert client.get("/api/v1/articles/on-the-replica/").status_code == 200
    assert queries.count("replica") > 0
    assert queries.count("default") == 0


def test_an_editor_reads_their_own_write_from_the_primary(editor):
    article = ArticleFactory(slug="edited")
    token = Token.objects.create(user=editor)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    with Queries() as queries:
        response = api.patch("/api/v1/articles/edited/", {"title": "Just saved"}, format="json")
        assert response.status_code == 200, response.content
        assert api.get("/api/v1/articles/edited/").json()["title"] == "Just saved"
    assert queries.count("replica") == 0
    assert queries.count("default") > 0
    article.refresh_from_db()
    assert article.title == "Just saved"


def test_a_session_reads_from_the_primary(client, editor):
    client.force_login(editor)
    with Queries() as queries:
        assert client.get("/api/v1/articles/").status_code == 200
    assert queries.count("replica") == 0


def test_reads_inside_a_transaction_stay_on_the_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "replica"
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"


def test_only_the_primary_is_migrated():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


def test_without_replicas_everything_is_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert PrimaryReplicaRouter().db_for_read(Article) == "default"
