"""
The editing experience in a real browser (Debian's Chromium driven by Playwright): an editor
logs in, writes an article with a condition and a topic while the Markdown preview updates,
previews it, a medical reviewer signs it off, the editor publishes it and finds it in the
public API; the overdue-review list is right.
"""

import datetime
import json
import os
import shutil
import subprocess
import urllib.request

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from editorial.models import Reviewer, Status
from tests.conftest import editor_permissions, make_user
from tests.factories import ArticleFactory, ConditionFactory, TopicFactory

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

    # A medical reviewer, in a browser of their own, signs off the text from the list.
    reviewer = make_user("rivera", permissions=[("articles", "view_article")])
    reviewer.user_permissions.add(Permission.objects.get(codename="sign_off_medical_review"))
    Reviewer.objects.create(name="Dr Rivera", credentials="MD, psychiatrist", user=reviewer)
    reviewer_page = page.context.browser.new_context().new_page()
    reviewer_page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/")
    reviewer_page.fill("#id_username", "rivera")
    reviewer_page.fill("#id_password", "pw-for-tests")
    reviewer_page.click("input[type=submit]")
    reviewer_page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    reviewer_page.check("input[name=_selected_action]")
    reviewer_page.select_option("select[name=action]", "sign_off")
    reviewer_page.click("button[name=index]")
    assert "1 entry signed off" in reviewer_page.locator(".messagelist").inner_text()

    page.reload()
    assert "Dr Rivera, MD, psychiatrist" in page.locator(".field-signed_off").inner_text()
    options = page.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review", "Published", "Archived"]
    page.select_option("#id_status", Status.PUBLISHED)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    listed = anonymous_get(api_url)["results"]
    assert [item["slug"] for item in listed] == ["ketamine-and-new-connections"]
    detail = anonymous_get(f"{api_url}ketamine-and-new-connections/")
    assert detail["body_html"].startswith('<h2 id="growth">Growth</h2>')
    assert detail["review"]["reviewer"]["name"] == "Dr Rivera"
    assert detail["review"]["last_reviewed"] == timezone.localdate().isoformat()
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
