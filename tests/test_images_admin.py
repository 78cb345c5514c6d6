"""The admin keeps an image in use from deletion and names where it is used."""

import pytest
from django.test import Client

from images.models import Image
from tests.factories import ArticleFactory
from tests.images import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(image_editor):
    client = Client()
    client.force_login(image_editor)
    return client


def test_deleting_an_image_in_use_is_refused_naming_the_entry(admin_client, media_root):
    image = make_image()
    ArticleFactory(slug="nmda-article", body="![](image:receptor)")
    page = admin_client.get(f"/admin/images/image/{image.pk}/delete/")
    assert page.status_code == 200
    assert "nmda-article" in page.content.decode()
    refused = admin_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 200  # the page again, explaining, not a redirect
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted_from_the_admin(admin_client, media_root):
    image = make_image()
    response = admin_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.exists()


def test_the_change_page_lists_where_the_image_is_used(admin_client, media_root):
    image = make_image()
    ArticleFactory(slug="hero-article", image=image)
    page = admin_client.get(f"/admin/images/image/{image.pk}/change/").content.decode()
    assert "hero-article" in page
    assert image.file.url in page


def test_article_and_condition_forms_offer_the_library(admin_client, media_root):
    make_image()
    for url in ["/admin/articles/article/add/", "/admin/taxonomy/condition/add/"]:
        page = admin_client.get(url).content.decode()
        assert 'name="image"' in page
        assert ">receptor</option>" in page
