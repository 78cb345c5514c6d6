"""Uploads are checked by their content, bounded, stripped of metadata and stored afresh."""

import io

import pytest
from PIL import Image as PillowImage

import api.urls  # noqa: F401  (attaches the views' policies)
from api.policies import policy_of
from images.models import Image
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def stored_original(slug="receptor"):
    image = Image.objects.get(slug=slug)
    with image.file.open("rb") as stored:
        return stored.read()


def refused(response, *words):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert [error["pointer"] for error in problem["errors"]] == ["/file"]
    for word in words:
        assert word in problem["errors"][0]["detail"]
    assert not Image.objects.exists()
    return problem


def test_the_type_comes_from_the_content_not_the_name(image_api):
    response = upload(image_api, content=image_bytes(format_name="PNG"), name="holiday.jpg")
    assert response.status_code == 201
    assert Image.objects.get().format == "png"
    assert response.json()["url"].endswith("/original.png")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"just some text, named like a picture", ["JPEG", "PNG", "WebP"]),
        (b"", ["empty"]),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', ["SVG"]),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', ["SVG"]),
        (image_bytes(format_name="GIF"), ["GIF"]),
        (image_bytes(format_name="BMP"), ["BMP"]),
        (image_bytes(format_name="TIFF"), ["TIFF"]),
    ],
    ids=["text", "empty", "svg-xml", "svg", "gif", "bmp", "tiff"],
)
def test_anything_but_jpeg_png_webp_is_refused(image_api, content, words):
    refused(upload(image_api, content=content, name="picture.png"), *words)


@pytest.mark.parametrize("format_name", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_is_kept_as_it_is(image_api, format_name):
    response = upload(image_api, content=image_bytes(format_name=format_name), name="x")
    assert response.status_code == 201
    assert PillowImage.open(io.BytesIO(stored_original())).format == format_name


def test_a_damaged_file_is_refused(image_api):
    whole = image_bytes(1200, 800, format_name="JPEG")
    refused(upload(image_api, content=whole[: len(whole) // 2]), "damaged")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(image_api):
    # 100 million pixels that compress to a few kilobytes.
    output = io.BytesIO()
    PillowImage.new("1", (10_000, 10_000)).save(output, "PNG")
    assert len(output.getvalue()) < 100_000
    refused(upload(image_api, content=output.getvalue()), "pixels")


def test_the_pixel_limit_is_a_setting(image_api, settings):
    settings.IMAGE_MAX_PIXELS = 800 * 450 - 1
    refused(upload(image_api), "pixels")
    settings.IMAGE_MAX_PIXELS = 800 * 450
    assert upload(image_api).status_code == 201


def test_a_file_over_the_size_limit_is_refused(image_api, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 2000
    refused(upload(image_api, content=image_bytes(900, 900, format_name="JPEG")), "bytes")


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(image_api, settings):
    from images.views import ImageViewSet

    response = image_api.generic(
        "POST",
        "/api/v1/images/",
        b"x" * (policy_of(ImageViewSet).max_body_bytes + 1),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_exif_and_gps_are_removed_and_the_orientation_applied(image_api):
    exif = PillowImage.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: turn a quarter clockwise to view
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 26.0)  # GPSLatitude
    content = image_bytes(800, 450, format_name="JPEG", exif=exif)
    assert b"SecretCam" in content
    response = upload(image_api, content=content)
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (450, 800)
    stored = stored_original()
    assert b"SecretCam" not in stored
    reopened = PillowImage.open(io.BytesIO(stored))
    assert dict(reopened.getexif()) == {}
    assert reopened.size == (450, 800)


def test_png_text_chunks_are_removed(image_api):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address: 1 Secret Road")
    response = upload(image_api, content=image_bytes(format_name="PNG", pnginfo=info))
    assert response.status_code == 201
    assert b"Secret Road" not in stored_original()


def test_the_stored_name_is_random_and_never_the_clients(image_api):
    first = upload(image_api, slug="one", name="my-holiday-at-home.png").json()
    second = upload(image_api, slug="two", name="my-holiday-at-home.png").json()
    assert "holiday" not in first["url"]
    folder = lambda image: image["url"].rsplit("/", 2)[1]  # noqa: E731
    assert folder(first) != folder(second)
    assert len(folder(first)) == 32


def test_rendition_urls_are_served_as_immutable(image_api, client):
    image = upload(image_api).json()
    webp = next(r for r in image["renditions"] if r["format"] == "webp")
    response = client.get(webp["url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    served = PillowImage.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (served.format, served.size) == ("WEBP", (webp["width"], webp["height"]))
    assert client.get("/media/images/nothing/here.webp").status_code == 404


def test_any_storage_backend_is_used_through_settings_alone(image_api, settings, media_root):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    response = upload(image_api)
    assert response.status_code == 201
    assert response.json()["renditions_ready"] is True
    assert not media_root.exists()  # nothing on the local disk
    from django.core.files.storage import default_storage

    for rendition in response.json()["renditions"]:
        name = rendition["url"].split("/media/", 1)[1]
        assert default_storage.exists(name)


def test_the_worker_makes_renditions_after_the_commit(
    image_api, settings, django_capture_on_commit_callbacks
):
    from api.worker import app

    settings.IMAGE_RENDITIONS_IN_WORKER = True
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = upload(image_api)
            created = response.json()
            assert created["renditions_ready"] is False
            assert Image.objects.get().renditions_ready is False
    finally:
        app.conf.task_always_eager = False
    assert any("renditions_schedule" in callback.__qualname__ for callback in callbacks)
    assert response.status_code == 201
    assert image_api.get("/api/v1/images/receptor/").json()["renditions_ready"] is True
    # The answer listed, before they were made, the renditions that now exist.
    image = Image.objects.get()
    for rendition in created["renditions"]:
        assert image.file.storage.exists(rendition["url"].split("/media/", 1)[1])


@pytest.mark.parametrize("options", ["{not json", "[1, 2]"])
def test_malformed_storage_options_stop_the_process_saying_why(options):
    from tests.test_deployment_settings import PRODUCTION, manage

    result = manage(
        "check",
        MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        MEDIA_STORAGE_OPTIONS=options,
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_a_storage_backend_and_its_options_come_from_the_environment():
    from tests.test_deployment_settings import PRODUCTION, manage

    result = manage(
        "shell",
        "-c",
        "from django.core.files.storage import storages; "
        "s = storages['default']; print(type(s).__name__, s.base_url)",
        MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        MEDIA_STORAGE_OPTIONS='{"base_url": "https://cdn.example.org/m/"}',
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "InMemoryStorage https://cdn.example.org/m/" in result.stdout
