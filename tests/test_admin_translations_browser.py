"""
Translating in a real browser (Debian's Chromium driven by Playwright), as issue #18 asks: an
editor goes from an article's change form to its Spanish text and writes it; the draft is
never served; the editor may not sign off their own text; a medical reviewer signs it off and
a publisher publishes it, each in a browser of their own, and the API answers in Spanish;
once the English text changes, the Translations page lists the translation as out of date.
"""

import json
import urllib.request

import pytest

from publishing.models import Reviewer
from tests.conftest import editor_permissions, make_user
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSLATION_ACCESS = [("publishing", "view_translation")]
SPANISH = {
    "title": "La ketamina y las nuevas conexiones",
    "summary": "Cómo se forman nuevas conexiones, en pocas palabras.",
    "body": "## Crecimiento\n\nUnas palabras sobre las **sinapsis**.",
}


@pytest.fixture
def third_page(browser):
    """A page in a browser of its own, for a third person (see second_page)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def api_get(url):
    """Return the answer's Content-Language and its JSON, as an anonymous reader gets them."""
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the test's own live server
        return response.headers["Content-Language"], json.load(response)


def sign_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")


def run_action(page, action):
    """Select the Translations page's only row, run the action and return its messages."""
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    return page.locator(".messagelist")


def medical_reviewer(username, name, permissions):
    """A user with the sign-off permission, linked to a reviewer record."""
    user = make_user(
        username, permissions=[*permissions, ("publishing", "sign_off_medical_review")]
    )
    Reviewer.objects.create(name=name, credentials="MD", user=user)
    return user


def test_an_article_is_translated_signed_off_published_and_flagged_out_of_date(
    page,
    second_page,
    third_page,
    live_server,
):
    # The writer is a bilingual clinician: an editor who may sign off others' texts.
    medical_reviewer(
        "moreno",
        "Dr Moreno",
        [
            *editor_permissions(),
            *TRANSLATION_ACCESS,
            ("publishing", "add_translation"),
            ("publishing", "change_translation"),
        ],
    )
    medical_reviewer("rivera", "Dr Rivera", TRANSLATION_ACCESS)
    make_user(
        "okafor",
        permissions=[
            *TRANSLATION_ACCESS,
            ("publishing", "change_translation"),
            ("publishing", "publish_content"),
        ],
    )
    article = ArticleFactory(slug="new-connections", title="Ketamine and new connections")
    detail_url = f"{live_server.url}/api/v1/articles/new-connections/?lang=es"
    translations_path = "/admin/publishing/translation/"

    # 1. From the article's change form to its Spanish text, saved as a draft.
    sign_in(page, live_server, "moreno", f"/admin/articles/article/{article.pk}/change/")
    translations = page.locator(".field-translations")
    assert "Spanish (es): not started." in translations.inner_text()
    translations.get_by_role("link", name="Translate").click()
    entry_choice = page.locator("#id_entry_choice option:checked")
    assert entry_choice.inner_text() == "mechanism article: Ketamine and new connections"
    assert page.input_value("#id_language") == "es"
    page.click("input[name=_save]")  # on to the text, not back to the list
    page.locator(".messagelist .success").wait_for()
    # The English is beside each Spanish field.
    assert "English: Ketamine and new connections" in page.locator(".field-title").inner_text()
    for name, text in SPANISH.items():
        page.fill(f"#id_{name}", text)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    page.goto(f"{live_server.url}{translations_path}")
    assert page.locator("td.field-entry_title").inner_text() == "Ketamine and new connections"
    assert page.locator("td.field-status").inner_text() == "Draft"
    language, data = api_get(detail_url)
    assert (language, data["language"], data["is_fallback"]) == ("en", "en", True)
    assert data["title"] == "Ketamine and new connections"

    # 4. Its author submits it for review, and may not sign it off.
    assert "Submitted: 1." in run_action(page, "submit_for_review").inner_text()
    refused = run_action(page, "sign_off")
    assert refused.inner_text() == (
        "“Ketamine and new connections” (es): You last changed this translation: "
        "someone else must sign it off."
    )
    assert refused.locator(".warning").count() == 1
    assert "Not signed off" in page.locator("td.field-signed_off").inner_text()

    # 2. A medical reviewer signs it off, a publisher publishes it.
    sign_in(second_page, live_server, "rivera", translations_path)
    # Moving a translation between states needs the permission to change it.
    actions = second_page.locator("select[name=action] option").all_inner_texts()
    assert actions[1:] == ["Sign off the medical review of the translation"]
    assert "Signed off: 1." in run_action(second_page, "sign_off").inner_text()
    assert "Dr Rivera, MD on" in second_page.locator("td.field-signed_off").inner_text()

    sign_in(third_page, live_server, "okafor", translations_path)
    assert "Published: 1." in run_action(third_page, "publish").inner_text()
    assert third_page.locator("td.field-status").inner_text() == "Published"
    language, data = api_get(detail_url)
    assert (language, data["language"], data["is_fallback"]) == ("es", "es", False)
    assert data["title"] == SPANISH["title"]
    assert "<strong>sinapsis</strong>" in data["body_html"]

    # 3. The English text changes: the translation is out of date.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert "Spanish (es): published." in page.locator(".field-translations").inner_text()
    page.fill("#id_summary", "How ketamine helps neurons grow new connections within a day.")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    assert "Spanish (es): published, out of date." in (
        page.locator(".field-translations").inner_text()
    )
    page.goto(f"{live_server.url}{translations_path}")
    page.locator(
        "#changelist-filter a", has_text="Changed since the translation's sign-off"
    ).click()
    page.wait_for_url("**out_of_date=yes**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.locator("td.field-entry_title").inner_text() == "Ketamine and new connections"
    assert rows.locator("td.field-out_of_date img").get_attribute("alt") == "True"
