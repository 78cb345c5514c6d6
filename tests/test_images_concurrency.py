"""Two editors uploading, or deleting while another places the image, at the same moment."""

import pytest

from images.models import Image
from tests.factories import ArticleFactory
from tests.images import make_image, upload
from tests.test_write_concurrency import run_together

ROUNDS = 4


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_slug_uploaded_twice_at_once_is_stored_once(image_api, media_root):
    for round_ in range(ROUNDS):
        slug = f"same-{round_}"
        answers = run_together(
            lambda slug=slug: upload(image_api, slug=slug),
            lambda slug=slug: upload(image_api, slug=slug),
        )
        assert sorted(answer.status_code for answer in answers) == [201, 409]
        assert Image.objects.filter(slug=slug).count() == 1
    # The loser's file was removed: one original per stored image.
    originals = list(media_root.rglob("original.*"))
    assert len(originals) == ROUNDS


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("placement", ["hero", "markdown"])
def test_an_image_placed_while_it_is_deleted_is_never_left_missing(
    image_api, editor_api, media_root, placement
):
    for round_ in range(ROUNDS):
        slug = f"{placement}-{round_}"
        make_image(slug=slug)
        article = ArticleFactory(slug=f"article-{round_}")
        body = {"image": slug} if placement == "hero" else {"body": f"![](image:{slug})"}

        def delete(slug=slug):
            return image_api.delete(f"/api/v1/images/{slug}/")

        def place(article=article, body=body):
            return editor_api.patch(f"/api/v1/articles/{article.slug}/", body, format="json")

        deleted, placed = run_together(delete, place)
        outcome = (deleted.status_code, placed.status_code)
        # Either the image went first and the placement is refused by name, or the
        # placement went first and the delete is refused naming the article.
        assert outcome in {(204, 400), (204, 409), (409, 200)}, outcome
        if outcome[0] == 409:
            assert article.slug in deleted.json()["detail"]
            assert Image.objects.filter(slug=slug).exists()
        else:
            field = "image" if placement == "hero" else "body"
            assert [e["pointer"] for e in placed.json()["errors"]] == [f"/{field}"]


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_changing_the_same_version_at_once_one_wins(image_api, media_root):
    for round_ in range(ROUNDS):
        slug = f"contested-{round_}"
        make_image(slug=slug)
        version = image_api.get(f"/api/v1/images/{slug}/")["ETag"]

        def change(caption, slug=slug, version=version):
            return image_api.patch(
                f"/api/v1/images/{slug}/",
                {"caption": caption},
                format="json",
                HTTP_IF_MATCH=version,
            )

        answers = run_together(lambda: change("First"), lambda: change("Second"))
        assert sorted(answer.status_code for answer in answers) == [200, 412]
        (winner,) = [answer for answer in answers if answer.status_code == 200]
        image = Image.objects.get(slug=slug)
        assert image.caption == winner.json()["caption"]
        assert image.version == 2
