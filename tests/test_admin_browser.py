"""
The editing experience in a real browser (Debian's Chromium driven by Playwright): an editor
logs in, writes an article with a condition and a topic while the Markdown preview updates,
previews it, publishes it and finds it in the public API; the overdue-review list is right; a
librarian uploads an image.
"""

import datetime
import json
import os
import shutil
import subprocess
import urllib.request

import pytest
from django.utils import timezone
from PIL import Image as PillowImage

from editorial.models import Status
from images.models import Image
from tests.conftest import editor_permissions, make_user
from tests.factories import ArticleFactory, ConditionFactory, TopicFactory
from tests.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def find_chromium():
    """Locate Debian's Chromium, installing it with apt where this process may; else None."""
    for name in CHROMIUM_CANDIDATES:
        if path := shutil.which(name):
            return path
    apt_get = shutil.which("apt-get")
    if os.geteuid() == 0 and apt_get:
        # Debian's package, never Playwright's own browser download.
        subprocess.run(  # noqa: S603 - fixed arguments
            [apt_get, "install", "-y", "-qq", "chromium"],
            capture_output=True,
            check=False,
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("chromium")
    return None


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = find_chromium()
    if path is None:
        pytest.skip(
            "Chromium is not installed and could not be installed (apt-get install chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the Content-Security-Policy refused anything on it."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.refused = []
    page.on(
        "console",
        lambda message: (
            page.refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert page.refused == []


def anonymous_get(url):
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the test's own live server
        return json.load(response)


def choose_tag(page, field, text):
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").last.fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_writes_previews_and_publishes_an_article(page, live_server):
    make_user("writer", permissions=editor_permissions())
    ConditionFactory(name="Depression", slug="depression")
    TopicFactory(name="Neuroplasticity", slug="neuroplasticity")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "writer")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Ketamine and new connections")
    assert page.input_value("#id_slug") == "ketamine-and-new-connections"
    page.fill("#id_summary", "How ketamine helps neurons grow new connections.")
    page.fill("#id_body", "## Growth\n\nNew **synapses** form within a day.")
    page.locator("#id_body").press("End")  # an input event for the live preview
    preview = page.locator(".markdown-preview")
    preview.locator("h2#growth").wait_for()
    assert "<strong>synapses</strong>" in preview.inner_html()
    choose_tag(page, "conditions", "Depression")
    choose_tag(page, "topics", "Neuroplasticity")
    page.fill("#id_reviewer_name", "Dr Rivera")
    page.fill("#id_reviewer_credentials", "MD, psychiatrist")
    page.fill("#id_last_reviewed", timezone.localdate().isoformat())
    page.select_option("#id_status", Status.IN_REVIEW)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    with page.expect_popup() as popup_info:
        page.click("a.preview-link")
    popup = popup_info.value
    popup.wait_for_load_state()
    preview_json = json.loads(popup.locator("body").inner_text())
    assert preview_json["title"] == "Ketamine and new connections"
    assert preview_json["status"] == "in_review"
    assert [c["slug"] for c in preview_json["conditions"]] == ["depression"]

    api_url = f"{live_server.url}/api/v1/articles/"
    assert anonymous_get(api_url)["count"] == 0

    options = page.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review", "Published", "Archived"]
    page.select_option("#id_status", Status.PUBLISHED)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    listed = anonymous_get(api_url)["results"]
    assert [item["slug"] for item in listed] == ["ketamine-and-new-connections"]
    detail = anonymous_get(f"{api_url}ketamine-and-new-connections/")
    assert detail["body_html"].startswith('<h2 id="growth">Growth</h2>')
    assert detail["review"]["reviewer_name"] == "Dr Rivera"
    assert [t["slug"] for t in detail["topics"]] == ["neuroplasticity"]


def test_overdue_review_list_in_the_browser(page, live_server):
    old = timezone.localdate() - datetime.timedelta(days=400)
    ArticleFactory(title="Reviewed long ago", last_reviewed=old)
    ArticleFactory(title="Reviewed last week", last_reviewed=timezone.localdate())
    make_user("reviewer", superuser=True)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/editorial/overdue-review/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    rows = page.locator("tr.overdue-entry")
    rows.first.wait_for()
    assert rows.all_inner_texts() == [f"Reviewed long ago\t{old.isoformat()}\tDr Test Reviewer MD"]


def test_api_docs_render_from_this_server_under_the_content_security_policy(page, live_server):
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info .title", has_text="Ketamine clinic content API").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/articles/").first.wait_for()

    assert elsewhere == []

    page.goto(f"{live_server.url}/api/redoc/")
    page.locator("h1", has_text="Ketamine clinic content API").wait_for()
    page.locator("text=/api/v1/articles/").first.wait_for()
    # Redoc's bundle always asks for its maker's logo from a CDN: the policy refuses it.
    assert elsewhere == [REDOC_LOGO]
    assert len(page.refused) == 1
    assert REDOC_LOGO in page.refused.pop()


# The media library: an editor uploads an image and finds it in the public API.


def sign_in_librarian(page, live_server, next_url):
    actions = ("view", "add", "change", "delete")
    make_user("librarian", permissions=[("images", f"{action}_image") for action in actions])
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "librarian")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_an_editor_uploads_an_image_in_the_admin(page, live_server, media_root):
    exif = PillowImage.Exif()
    exif[0x010F] = "SecretCam"
    photo = image_bytes(1000, 600, format_name="JPEG", exif=exif)
    sign_in_librarian(page, live_server, "/admin/images/image/add/")

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


def test_the_admin_refuses_an_svg_by_name(page, live_server, media_root):
    sign_in_librarian(page, live_server, "/admin/images/image/add/")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page.set_input_files("#id_upload", {"name": "x.png", "mimeType": "image/png", "buffer": svg})
    page.fill("#id_slug", "sneaky")
    page.fill("#id_alt_text", "Nothing")
    page.click("input[name=_continue]")
    error = page.locator(".field-upload .errorlist")
    error.wait_for()
    assert "SVG" in error.inner_text()
    assert Image.objects.count() == 0
