"""The demo's own diagrams load into the library, with real alt text, as articles' hero images."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from images.models import Image
from tests.conftest import shared_rows

pytestmark = pytest.mark.django_db

DIAGRAMS = {
    "nmda-receptor-block": ["ketamine-and-the-nmda-receptor"],
    "glutamate-bdnf-synapses": ["neuroplasticity-and-bdnf", "the-glutamate-connection"],
    "default-mode-network": ["default-mode-network"],
}


def load():
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the module's tests (its images in a folder of the
    module's own); what the first load said."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), shared_rows(django_db_blocker):
        yield load()


def test_the_demo_diagrams_are_stored_described_and_shown(demo, client):
    assert "3 stored, 4 set as hero images" in demo
    listed = {image["slug"]: image for image in client.get("/api/v1/images/").json()["results"]}
    assert set(listed) == set(DIAGRAMS)
    for slug, articles in DIAGRAMS.items():
        image = listed[slug]
        assert len(image["alt_text"].split()) >= 25, slug  # a description, not a label
        assert image["is_decorative"] is False
        assert (image["width"], image["height"]) == (1600, 900)
        assert image["renditions_ready"] is True
        for article in articles:
            assert client.get(f"/api/v1/articles/{article}/").json()["image"]["slug"] == slug


def test_loading_again_stores_nothing_and_keeps_editors_choices(demo):
    from articles.models import Article

    Article.objects.filter(slug="default-mode-network").update(image=None)
    assert "0 stored, 1 set as hero images" in load()
    assert Image.objects.count() == 3
    assert "0 stored, 0 set as hero images" in load()
