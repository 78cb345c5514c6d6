"""An editor uploads an image in the admin, in a real browser, and finds it in the public API."""

import pytest
from PIL import Image as PillowImage

from images.models import Image
from tests.conftest import make_user
from tests.images import image_bytes
from tests.test_admin_browser import anonymous_get, browser, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, next_url):  # noqa: F811
    actions = ("view", "add", "change", "delete")
    make_user("librarian", permissions=[("images", f"{action}_image") for action in actions])
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "librarian")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_an_editor_uploads_an_image_in_the_admin(page, live_server, media_root):  # noqa: F811
    exif = PillowImage.Exif()
    exif[0x010F] = "SecretCam"
    photo = image_bytes(1000, 600, format_name="JPEG", exif=exif)
    sign_in(page, live_server, "/admin/images/image/add/")

    page.set_input_files(
        "#id_upload", {"name": "clinic-photo.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.fill("#id_slug", "infusion-room")
    page.click("input[name=_continue]")
    # Alt text is required unless the image is decorative: the form says so, nothing is stored.
    page.locator(".field-alt_text .errorlist").wait_for()
    assert Image.objects.count() == 0

    page.set_input_files(
        "#id_upload", {"name": "clinic-photo.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.fill("#id_alt_text", "A quiet treatment room with a reclining chair.")
    page.fill("#id_focal_x", "0.3")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    # The preview is served from this server under the Content-Security-Policy.
    preview = page.locator(".field-thumbnail img")
    preview.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", preview.element_handle())
    page.screenshot(path=str(media_root.parent / "image-change-form.png"), full_page=True)

    image = anonymous_get(f"{live_server.url}/api/v1/images/infusion-room/")
    assert (image["width"], image["height"], image["focal_x"]) == (1000, 600, 0.3)
    assert image["alt_text"] == "A quiet treatment room with a reclining chair."
    assert "clinic-photo" not in image["url"]
    with Image.objects.get().file.open("rb") as stored:
        assert b"SecretCam" not in stored.read()


def test_the_admin_refuses_an_svg_by_name(page, live_server, media_root):  # noqa: F811
    sign_in(page, live_server, "/admin/images/image/add/")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page.set_input_files("#id_upload", {"name": "x.png", "mimeType": "image/png", "buffer": svg})
    page.fill("#id_slug", "sneaky")
    page.fill("#id_alt_text", "Nothing")
    page.click("input[name=_continue]")
    error = page.locator(".field-upload .errorlist")
    error.wait_for()
    assert "SVG" in error.inner_text()
    assert Image.objects.count() == 0
