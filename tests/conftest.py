import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import CONTENT_FACTORIES


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "requires_postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def empty_answer_cache():
    """Start each test with no cached answers: generations start over with each test."""
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture(params=sorted(CONTENT_FACTORIES))
def content(request):
    """Each content resource in turn: its URL segment and the factory of its items."""
    return request.param, CONTENT_FACTORIES[request.param]
