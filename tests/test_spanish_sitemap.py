"""
/sitemap.xml lists each published item's English page and, where its Spanish translation is
published, its Spanish page (`?lang=es`), each naming both as hreflang alternates. A draft,
in-review or withdrawn translation is never listed.
"""

import datetime

import pytest
from django.test import override_settings

from content.models import Status
from editorial.services import translation_move
from publishing.models import Translation
from tests.factories import ArticleFactory, FAQFactory, GlossaryEntryFactory
from tests.test_spanish import SPANISH_FAQ, article, reviewer, translate, translator
from tests.test_web_publishing import SITEMAP, parse_xml

pytestmark = pytest.mark.django_db

__all__ = ["article", "reviewer", "translator"]  # fixtures

XHTML = "{http://www.w3.org/1999/xhtml}"
ENGLISH = "http://testserver/api/v1/articles/nmda/"
SPANISH = "http://testserver/api/v1/articles/nmda/?lang=es"


def sitemap(client):
    """Map each page's address to its lastmod and its alternates, {hreflang: address}."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {
        url.find(f"{SITEMAP}loc").text: (
            url.find(f"{SITEMAP}lastmod").text,
            {
                link.get("hreflang"): link.get("href")
                for link in url.iter(f"{XHTML}link")
                if link.get("rel") == "alternate"
            },
        )
        for url in parse_xml(response).iter(f"{SITEMAP}url")
    }


def alternates(client):
    return {address: links for address, (_, links) in sitemap(client).items()}


def test_translated_item_lists_both_pages_naming_each_other(client, article):
    pages = alternates(client)
    assert set(pages) == {ENGLISH, SPANISH}
    assert pages[ENGLISH] == pages[SPANISH] == {"en": ENGLISH, "es": SPANISH}


def test_untranslated_and_english_only_items_have_no_alternates(client):
    FAQFactory(slug="untranslated")
    GlossaryEntryFactory(slug="nmda-receptor")
    assert alternates(client) == {
        "http://testserver/api/v1/faqs/untranslated/": {},
        "http://testserver/api/v1/glossary/nmda-receptor/": {},
    }


def test_unpublished_translations_are_never_listed(client, translator, reviewer):
    translate(
        FAQFactory(slug="in-review"),
        SPANISH_FAQ,
        translator=translator,
        reviewer=reviewer,
        publish=False,
    )
    withdrawn = translate(
        FAQFactory(slug="withdrawn"), SPANISH_FAQ, translator=translator, reviewer=reviewer
    )
    translation_move(translation=withdrawn, target="draft", actor=reviewer)
    assert alternates(client) == {
        "http://testserver/api/v1/faqs/in-review/": {},
        "http://testserver/api/v1/faqs/withdrawn/": {},
    }


def test_translation_of_an_unpublished_entry_is_never_listed(client, article):
    article.status = Status.DRAFT
    article.save()
    assert alternates(client) == {}


def test_spanish_page_was_last_modified_when_its_translation_was(client, article):
    later = article.updated_at + datetime.timedelta(days=3)
    Translation.objects.filter(object_id=article.pk, kind="article").update(updated_at=later)
    pages = sitemap(client)
    assert pages[ENGLISH][0] == article.updated_at.date().isoformat()
    assert pages[SPANISH][0] == later.date().isoformat()


@override_settings(FRONTEND_BASE_URL="https://www.clinic.example")
def test_website_pages_in_spanish_carry_the_language(client, article):
    english = "https://www.clinic.example/articles/nmda/"
    spanish = "https://www.clinic.example/articles/nmda/?lang=es"
    assert alternates(client) == {
        english: {"en": english, "es": spanish},
        spanish: {"en": english, "es": spanish},
    }


def test_sitemap_queries_do_not_grow_with_translations(
    client, translator, reviewer, django_assert_max_num_queries
):
    for n in range(3):
        translate(
            ArticleFactory(slug=f"a{n}"),
            {"title": "T", "summary": "S", "body": "B"},
            translator=translator,
            reviewer=reviewer,
        )
    with django_assert_max_num_queries(6):
        assert len(sitemap(client)) == 6
