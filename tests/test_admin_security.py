"""The admin locks a user name out after repeated failed logins, and only staff get in."""

import pytest
from django.conf import settings
from django.test import Client

from entries.markdown import render_markdown
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )


def test_repeated_failures_lock_the_login_even_with_the_right_password(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again
    assert login(client, "wrong").status_code == 429
    response = login(client, "pw-for-tests")
    assert response.status_code == 429
    assert client.get("/admin/articles/article/").status_code == 302


def test_the_right_password_works_before_the_limit(editor):
    client = Client()
    login(client, "wrong")
    assert login(client, "pw-for-tests").status_code == 302


def test_markdown_preview_renders_like_the_api_for_staff_only(editor):
    source = "## Heading\n\n<script>x</script> **bold**"
    assert Client().post("/admin/editorial/markdown-preview/", {"text": source}).status_code == 302
    patient = make_user("patient", staff=False)
    client = Client()
    client.force_login(patient)
    assert client.post("/admin/editorial/markdown-preview/", {"text": source}).status_code == 302
    client.force_login(editor)
    response = client.post("/admin/editorial/markdown-preview/", {"text": source})
    assert response.json() == {"html": render_markdown(source).html}
    assert "<script>" not in response.json()["html"]
    assert client.get("/admin/editorial/markdown-preview/").status_code == 405
