"""The media library's API: staff upload and describe images, everybody reads them."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_user
from tests.factories import ArticleFactory, ConditionFactory
from tests.images import image_bytes, make_image, upload
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def stored_files(media_root):
    return sorted(path.name for path in media_root.rglob("*") if path.is_file())


def test_an_upload_is_answered_with_the_image_and_every_rendition(image_api, media_root):
    response = upload(
        image_api, caption="Ein Rezeptor, 受容体", credit="Clinic", licence="CC BY 4.0"
    )
    assert response.status_code == 201
    image = response.json()
    assert {"slug", "url", "width", "height", "alt_text", "renditions"} <= set(image)
    assert (image["slug"], image["width"], image["height"]) == ("receptor", 800, 450)
    assert image["caption"] == "Ein Rezeptor, 受容体"
    assert image["renditions_ready"] is True
    kinds = {(r["ratio"], r["format"], r["width"], r["height"]) for r in image["renditions"]}
    assert kinds == {
        ("original", "webp", 320, 180),
        ("original", "jpeg", 320, 180),
        ("original", "webp", 640, 360),
        ("original", "jpeg", 640, 360),
        ("16:9", "webp", 320, 180),
        ("16:9", "jpeg", 320, 180),
        ("16:9", "webp", 640, 360),
        ("16:9", "jpeg", 640, 360),
        ("1:1", "webp", 320, 320),
        ("1:1", "jpeg", 320, 320),
    }
    # Every rendition listed exists, and nothing else was stored but the original.
    listed = {r["url"].rsplit("/", 1)[1] for r in image["renditions"]}
    assert set(stored_files(media_root)) == {*listed, image["url"].rsplit("/", 1)[1]}


def test_every_width_up_to_the_original_is_made():
    from images.renditions import rendition_specs

    specs = rendition_specs(folder="f", width=4000, height=3000, focal=(0.5, 0.5))
    whole = sorted({spec.width for spec in specs if spec.ratio == "original"})
    assert whole == [320, 640, 960, 1280, 1920]
    tiny = rendition_specs(folder="f", width=100, height=50, focal=(0.5, 0.5))
    assert {(spec.ratio, spec.width, spec.height) for spec in tiny} == {
        ("original", 100, 50),
        ("16:9", 89, 50),
        ("1:1", 50, 50),
    }


def test_crops_follow_the_focal_point():
    from images.renditions import crop_box

    assert crop_box(1000, 500, (1, 1), (0.0, 0.5)) == (0, 0, 500, 500)
    assert crop_box(1000, 500, (1, 1), (1.0, 0.5)) == (500, 0, 1000, 500)
    assert crop_box(1000, 500, (1, 1), (0.6, 0.5)) == (350, 0, 850, 500)
    assert crop_box(900, 1600, (16, 9), (0.5, 0.0)) == (0, 0, 900, 506)


def test_alt_text_is_required_unless_the_image_is_decorative(image_api):
    response = upload(image_api, alt_text="")
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["/alt_text"]
    assert upload(image_api, slug="rule", alt_text="", is_decorative="true").status_code == 201
    refused = upload(image_api, slug="rule-2", alt_text="A line", is_decorative="true")
    assert refused.status_code == 400
    assert "alt_text" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"focal_x": "1.5"}, "focal_x"),
        ({"focal_y": "-0.1"}, "focal_y"),
        ({"focal_x": "left"}, "focal_x"),
        ({"slug": "not a slug"}, "slug"),
        ({"alt_text": "x" * 301}, "alt_text"),
        ({"width": "10"}, "width"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_refused_by_name_and_nothing_is_stored(image_api, media_root, fields, named):
    response = upload(image_api, **fields)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert named in response.json()["detail"]
    assert stored_files(media_root) == []


def test_a_missing_file_is_named(image_api):
    response = image_api.post("/api/v1/images/", {"slug": "x", "alt_text": "y"}, format="multipart")
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["/file"]


def test_a_slug_taken_is_a_conflict(image_api, media_root):
    assert upload(image_api).status_code == 201
    response = upload(image_api)
    assert response.status_code == 409
    assert "slug" in response.json()["detail"]
    assert len([name for name in stored_files(media_root) if name.startswith("original.")]) == 1


def test_only_staff_with_the_permission_upload(editor_api, media_root):
    assert upload(APIClient()).status_code == 401
    assert upload(editor_api).status_code == 403  # entries, but not images
    staff = APIClient()
    staff.force_authenticate(make_user("looker", permissions=[("images", "view_image")]))
    assert upload(staff).status_code == 403
    assert stored_files(media_root) == []


def test_everybody_reads_the_library(image_api, client):
    upload(image_api, slug="first")
    upload(image_api, slug="second")
    listing = client.get("/api/v1/images/")
    assert listing.status_code == 200
    assert [image["slug"] for image in listing.json()["results"]] == ["second", "first"]
    assert (
        client.get("/api/v1/images/first/").json()["alt_text"] == "A receptor drawn as a channel."
    )
    missing = client.get("/api/v1/images/nothing-here/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_an_empty_library_lists_nothing(client):
    response = client.get("/api/v1/images/")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_new_focal_point_makes_new_crops_under_new_urls(image_api, media_root):
    before = upload(image_api).json()
    response = image_api.patch(
        "/api/v1/images/receptor/", {"focal_x": 0.0, "alt_text": "Changed"}, format="json"
    )
    assert response.status_code == 200
    after = response.json()
    assert after["alt_text"] == "Changed"

    def urls(image, ratio):
        return {r["url"] for r in image["renditions"] if r["ratio"] == ratio}

    crops = lambda image: urls(image, "1:1")  # noqa: E731
    # The square moved; a 16:9 image's 16:9 crop is the whole image, wherever its focal point.
    assert crops(before).isdisjoint(crops(after))
    assert urls(before, "16:9") == urls(after, "16:9")
    assert urls(before, "original") == urls(after, "original")
    # The old crops are gone, the new ones stored.
    names = set(stored_files(media_root))
    assert {url.rsplit("/", 1)[1] for url in crops(after)} <= names
    assert not {url.rsplit("/", 1)[1] for url in crops(before)} & names


def test_the_file_of_a_stored_image_is_never_replaced(image_api):
    upload(image_api)
    response = image_api.patch(
        "/api/v1/images/receptor/",
        {"file": upload_file_again()},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["detail"]


def upload_file_again():
    from tests.images import upload_file

    return upload_file(image_bytes(300, 300))


def test_an_image_nobody_shows_is_deleted_with_its_files(
    image_api, media_root, django_capture_on_commit_callbacks
):
    upload(image_api)
    with django_capture_on_commit_callbacks(execute=True):
        response = image_api.delete("/api/v1/images/receptor/")
    assert response.status_code == 204
    assert stored_files(media_root) == []
    assert image_api.get("/api/v1/images/receptor/").status_code == 404


def test_an_image_in_use_is_not_deleted_and_the_answer_names_where(image_api, media_root):
    upload(image_api)
    from images.models import Image

    image = Image.objects.get()
    ArticleFactory(slug="hero-user", image=image)
    ArticleFactory(slug="draft-user", draft=True, body="Text\n\n![A receptor](image:receptor)")
    ConditionFactory(slug="depression", image=image)
    response = image_api.delete("/api/v1/images/receptor/")
    assert response.status_code == 409
    detail = response.json()["detail"]
    for where in ["'hero-user'", "'draft-user'", "'depression'", "hero image", "in its body"]:
        assert where in detail
    assert len(stored_files(media_root)) > 1
    assert Image.objects.exists()


def test_a_similar_slug_in_a_body_does_not_block_deletion(image_api):
    upload(image_api)
    ArticleFactory(body="![x](image:receptor-2) and the word image:receptor alone")
    assert image_api.delete("/api/v1/images/receptor/").status_code == 204


def test_deleting_needs_the_permission(image_api, editor_api):
    upload(image_api)
    assert APIClient().delete("/api/v1/images/receptor/").status_code == 401
    assert editor_api.delete("/api/v1/images/receptor/").status_code == 403


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"slug": 7}, "slug"),
        ({"focal_x": "0.5"}, "focal_x"),
        ({"is_decorative": "true"}, "is_decorative"),
        ({"alt_text": ["A list"]}, "alt_text"),
    ],
)
def test_a_json_change_has_the_json_types_of_the_schema(image_api, body, named):
    make_image()
    response = image_api.patch("/api/v1/images/receptor/", body, format="json")
    problem = assert_problem(response, 400)
    assert [error["pointer"] for error in problem["errors"]] == [f"/{named}"]
    assert image_api.get("/api/v1/images/receptor/").json()["slug"] == "receptor"


@pytest.mark.parametrize("body", ["false", "[]", '"receptor"', "7", "null", "{}"])
def test_a_json_change_that_is_not_an_object_is_a_400(image_api, body):
    make_image()
    response = image_api.patch(
        "/api/v1/images/receptor/", data=body, content_type="application/json"
    )
    assert_problem(response, 400)


def test_a_multipart_change_without_fields_is_a_400(image_api):
    make_image()
    response = image_api.patch(
        "/api/v1/images/receptor/",
        data=b"--b\r\n[]--b--\r\n",
        content_type="multipart/form-data; boundary=b",
    )
    assert "at least one field" in assert_problem(response, 400)["detail"]


def test_a_body_that_is_not_an_object_is_an_error_on_the_whole_body(image_api):
    make_image()
    response = image_api.patch(
        "/api/v1/images/receptor/", data="7", content_type="application/json"
    )
    problem = assert_problem(response, 400)
    assert [error["pointer"] for error in problem["errors"]] == ["/"]
    assert "dictionary" in problem["detail"]


def test_an_editor_reads_the_version_and_changes_only_the_version_read(image_api, client):
    upload(image_api, slug="held")
    read = image_api.get("/api/v1/images/held/")
    assert read["ETag"] == '"v1"'
    assert 'v1"' not in client.get("/api/v1/images/held/").get("ETag", "")

    changed = image_api.patch(
        "/api/v1/images/held/", {"caption": "First"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert changed.status_code == 200
    assert changed["ETag"] == '"v2"'

    # A second editor, still holding version 1, would overwrite the first one's caption.
    stale = image_api.patch(
        "/api/v1/images/held/", {"caption": "Second"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    problem = assert_problem(stale, 412)
    assert "version 2" in problem["detail"]
    assert image_api.get("/api/v1/images/held/").json()["caption"] == "First"

    # Without If-Match the change is made, as before; `*` and weak tags count too.
    assert (
        image_api.patch("/api/v1/images/held/", {"caption": "Third"}, format="json").status_code
        == 200
    )
    for tag in ("*", 'W/"v4"'):
        answer = image_api.patch(
            "/api/v1/images/held/", {"credit": tag}, format="json", HTTP_IF_MATCH=tag
        )
        assert answer.status_code == 200, answer.content


def test_a_delete_of_a_changed_image_is_refused_and_keeps_it(image_api, media_root):
    upload(image_api, slug="kept")
    image_api.patch("/api/v1/images/kept/", {"caption": "Changed"}, format="json")
    files = stored_files(media_root)
    assert_problem(image_api.delete("/api/v1/images/kept/", HTTP_IF_MATCH='"v1"'), 412)
    assert image_api.get("/api/v1/images/kept/").status_code == 200
    assert stored_files(media_root) == files
    assert image_api.delete("/api/v1/images/kept/", HTTP_IF_MATCH='"v2"').status_code == 204
