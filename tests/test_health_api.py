"""The liveness probe answers without touching anything else."""

import pytest

from tests.problems import assert_problem


def test_health_is_ok_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_with_trailing_slash_is_404_problem(client):
    assert_problem(client.get("/healthz/"), 404)
