"""
Anonymous list pages and details answered from representations rendered when content changes
(representations/): the same bytes and headers as the long way, one query, and never anything
that is not public now.
"""

import contextlib
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from api.public_answers import content_version
from articles.models import Article
from content.models import Status
from representations.models import Representation
from representations.tasks import render_stale
from tests.conftest import shared_rows
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    GlossaryEntryFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)
from tests.test_spanish import SPANISH_ARTICLE, make_reviewer, make_translator, translate

pytestmark = pytest.mark.django_db

PER_REQUEST = {"X-Request-ID", "RateLimit"}


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """Items of every type sharing tags (so related items), notices and a Spanish article,
    rendered: made once for the module's tests, each of which changes them in a savepoint."""
    with shared_rows(django_db_blocker):
        conditions = [ConditionFactory(slug=f"c-{n}", name=f"Condición {n}") for n in range(3)]
        topics = [TopicFactory(slug=f"t-{n}") for n in range(2)]
        SafetyNoticeFactory(applies_everywhere=True, title="Everywhere")
        SafetyNoticeFactory(conditions=[conditions[0]], title="On c-0")
        articles = [
            ArticleFactory(slug=f"article-{n}", conditions=conditions[: 1 + n % 3], topics=topics)
            for n in range(5)
        ]
        FAQFactory.create_batch(3, conditions=conditions[1:])
        ResearchSummaryFactory.create_batch(2, conditions=conditions[:2], topics=topics[:1])
        ArticleFactory(slug="draft", draft=True, conditions=conditions)
        ArticleFactory(slug="later", scheduled=True, conditions=conditions)
        people = {"translator": make_translator(), "reviewer": make_reviewer()}
        translate(articles[0], SPANISH_ARTICLE, **people)
        call_command("render_representations", verbosity=0)
        yield SimpleNamespace(articles=articles, **people)


def fresh_start():
    cache.clear()
    content_version.forget()


def answered_from_representations(client, url, django_assert_num_queries, **headers):
    """GET `url` anonymously; it must be answered from representations: the generation and
    one query."""
    fresh_start()
    with django_assert_num_queries(2):
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def answered_the_long_way(client, url, **headers):
    """GET `url` with every representation stale, so the views answer it themselves."""
    rendered = list(Representation.objects.values_list("pk", "rendered_changes"))
    Representation.objects.update(rendered_changes=0)
    fresh_start()
    try:
        return client.get(url, **headers)
    finally:
        for pk, count in rendered:
            Representation.objects.filter(pk=pk).update(rendered_changes=count)


def stable_headers(response):
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


URLS = [
    ("/api/v1/articles/", {}),
    ("/api/v1/articles/?page_size=2&page=2", {}),
    ("/api/v1/articles/?page=3&page_size=2&lang=es", {}),
    ("/api/v1/articles/", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}),
    ("/api/v1/faqs/", {"HTTP_ACCEPT": "application/json"}),
    ("/api/v1/research/?lang=en&fallback=true", {}),
    ("/api/v1/articles/article-0/", {}),
    ("/api/v1/articles/article-0/?lang=es", {}),
    ("/api/v1/articles/article-2/?lang=es", {"HTTP_ACCEPT": "*/*"}),
    ("/api/v1/articles/article-4/", {"secure": True}),
]


@pytest.mark.parametrize(("url", "headers"), URLS)
def test_the_same_answer_as_the_long_way(
    client, catalogue, django_assert_num_queries, url, headers
):
    stored = answered_from_representations(client, url, django_assert_num_queries, **headers)
    long_way = answered_the_long_way(client, url, **headers)
    assert stored.content == long_way.content
    assert stable_headers(stored) == stable_headers(long_way)


def test_every_item_of_every_type_in_both_languages(client, catalogue, django_assert_num_queries):
    for resource, model_items in (("articles", 5), ("faqs", 3), ("research", 2)):
        for language in ("en", "es"):
            url = f"/api/v1/{resource}/?lang={language}"
            listed = answered_from_representations(client, url, django_assert_num_queries)
            assert listed.content == answered_the_long_way(client, url).content
            results = listed.json()["results"]
            assert len(results) == model_items
            for item in results:
                url = f"/api/v1/{resource}/{item['slug']}/?lang={language}"
                stored = answered_from_representations(client, url, django_assert_num_queries)
                assert stored.content == answered_the_long_way(client, url).content


def test_addresses_take_the_asking_request_s_origin(client, catalogue, django_assert_num_queries):
    body = answered_from_representations(
        client, "/api/v1/articles/article-0/", django_assert_num_queries, secure=True
    ).json()
    assert body["translations"][0]["url"].startswith("https://testserver/api/v1/articles/")
    assert "representations.invalid" not in str(body)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?condition=c-0",
        "/api/v1/articles/?fields=slug,title",
        "/api/v1/articles/?lang=es&fallback=false",
        "/api/v1/articles/?page=1&page=2",
        "/api/v1/articles/?page=99",
        "/api/v1/articles/?page_size=101",
        "/api/v1/articles/?lang=fr",
        "/api/v1/articles/article-0/?fallback=false&lang=es",
    ],
)
def test_anything_but_a_plain_page_goes_the_long_way(client, catalogue, url):
    stored = client.get(url)
    assert stored.content == answered_the_long_way(client, url).content
    assert stored.status_code == answered_the_long_way(client, url).status_code


def test_drafts_scheduled_and_withdrawn_items_are_never_answered(
    client, catalogue, django_assert_num_queries
):
    # Withdrawn behind the signals' back: its representations still say it is fresh.
    Article.objects.filter(slug="article-1").update(status=Status.DRAFT)
    listed = answered_from_representations(
        client, "/api/v1/articles/", django_assert_num_queries
    ).json()
    slugs = [item["slug"] for item in listed["results"]]
    assert "article-1" not in slugs and "draft" not in slugs and "later" not in slugs
    assert listed["count"] == 4
    for slug in ("article-1", "draft", "later"):
        fresh_start()
        assert client.get(f"/api/v1/articles/{slug}/").status_code == 404


def test_a_stale_item_on_the_page_sends_the_page_the_long_way(client, catalogue):
    item = Article.objects.get(slug="article-3")
    Article.objects.filter(pk=item.pk).update(title="Changed, not rendered yet")
    Representation.objects.filter(kind="article", object_id=item.pk).update(
        changes=F("changes") + 1
    )
    fresh_start()
    titles = [result["title"] for result in client.get("/api/v1/articles/").json()["results"]]
    assert "Changed, not rendered yet" in titles
    fresh_start()
    assert client.get("/api/v1/articles/article-3/").json()["title"] == (
        "Changed, not rendered yet"
    )


@contextlib.contextmanager
def worker_asked():
    """Record the worker being asked to render what is stale (the test runs it, if it wants)."""
    with mock.patch.object(render_stale, "apply_async") as apply_async:
        asked = []
        yield asked
        asked += apply_async.call_args_list


def related_slugs(response):
    return [reference["slug"] for reference in response.json()["related"]]


def test_a_related_item_withdrawn_leaves_the_details_showing_it(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = "/api/v1/articles/article-0/"
    shown = related_slugs(answered_from_representations(client, url, django_assert_num_queries))
    assert "article-3" in shown
    gone = Article.objects.get(slug="article-3")
    gone.status = Status.DRAFT
    with django_capture_on_commit_callbacks(execute=False):
        gone.save()
    # Before the rendering after the commit, the long way answers.
    fresh_start()
    assert "article-3" not in related_slugs(client.get(url))
    with worker_asked() as asked, django_capture_on_commit_callbacks(execute=True):
        gone.status = Status.PUBLISHED
        gone.save()
        gone.status = Status.DRAFT
        gone.save()
    # The withdrawn item's own answers are rendered at once; those it was shown in, by the
    # worker, and the long way answers them meanwhile.
    assert asked
    fresh_start()
    assert "article-3" not in related_slugs(client.get(url))
    render_stale.apply()
    after = answered_from_representations(client, url, django_assert_num_queries)
    assert "article-3" not in related_slugs(after)
    assert after.content == answered_the_long_way(client, url).content


def test_a_new_item_sharing_more_tags_enters_related_items(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = "/api/v1/faqs/"
    faq = answered_from_representations(client, url, django_assert_num_queries).json()
    detail = f"/api/v1/faqs/{faq['results'][0]['slug']}/"
    before = related_slugs(answered_from_representations(client, detail, django_assert_num_queries))
    item = Article.objects.get(slug="article-0")
    with worker_asked() as asked, django_capture_on_commit_callbacks(execute=True):
        newcomer = FAQFactory(slug="newcomer", conditions=item.conditions.all())
        newcomer.conditions.set(
            list(item.conditions.all()) + list(catalogue.articles[2].conditions.all())
        )
        newcomer.topics.set(item.topics.all())
    # The newcomer is rendered at once; the items it may now be related to, by the worker.
    assert asked
    render_stale.apply()
    after = answered_from_representations(client, detail, django_assert_num_queries)
    assert "newcomer" not in before and "newcomer" in related_slugs(after)
    assert after.content == answered_the_long_way(client, detail).content


def test_a_tag_renamed_or_a_notice_changed_is_in_the_items_at_once(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from taxonomy.models import Condition, SafetyNotice

    with django_capture_on_commit_callbacks(execute=True):
        condition = Condition.objects.get(slug="c-0")
        condition.name = "Renamed condition"
        condition.save()
        notice = SafetyNotice.objects.get(title="On c-0")
        notice.title = "Changed notice"
        notice.save()
    url = "/api/v1/articles/article-0/"
    detail = answered_from_representations(client, url, django_assert_num_queries).json()
    assert [tag["name"] for tag in detail["conditions"]] == ["Renamed condition"]
    assert "Changed notice" in [notice["title"] for notice in detail["safety_notices"]]
    listed = answered_from_representations(client, "/api/v1/articles/", django_assert_num_queries)
    assert b"Renamed condition" in listed.content


def test_a_translation_published_is_served_in_spanish_at_once(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = "/api/v1/articles/article-1/?lang=es"
    before = answered_from_representations(client, url, django_assert_num_queries).json()
    assert before["is_fallback"] is True
    with django_capture_on_commit_callbacks(execute=True):
        translate(
            catalogue.articles[1],
            SPANISH_ARTICLE,
            translator=catalogue.translator,
            reviewer=catalogue.reviewer,
        )
    after = answered_from_representations(client, url, django_assert_num_queries)
    assert after.json()["title"] == SPANISH_ARTICLE["title"]
    assert after["Content-Language"] == "es"


def rendering_after_commit(django_capture_on_commit_callbacks, change):
    """Make `change` in one transaction; return the queries its commit hooks made."""
    with django_capture_on_commit_callbacks() as hooks:
        change()
    with CaptureQueriesContext(connection) as queries:
        for hook in hooks:
            hook()
    return len(queries)


@pytest.mark.parametrize("saves", [2, 6])
def test_a_transaction_s_changes_are_rendered_together_once(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks, saves
):
    """An import or a demo load changes hundreds of items in one transaction: each item is
    rendered once after it, whatever number of times it changed."""
    article = Article.objects.get(slug="article-1")

    def edit(times):
        for n in range(times):
            article.title = f"Edited {n + 1} times"
            article.save()

    once = rendering_after_commit(django_capture_on_commit_callbacks, lambda: edit(1))
    repeated = rendering_after_commit(django_capture_on_commit_callbacks, lambda: edit(saves))
    assert repeated == once
    url = "/api/v1/articles/article-1/"
    detail = answered_from_representations(client, url, django_assert_num_queries)
    assert detail.json()["title"] == f"Edited {saves} times"


@pytest.mark.parametrize("items", [0, 30])
def test_one_query_however_many_items(client, catalogue, items, django_assert_num_queries):
    ArticleFactory.create_batch(items, conditions=[ConditionFactory()])
    call_command("render_representations", verbosity=0)
    listed = answered_from_representations(
        client, "/api/v1/articles/?page_size=100", django_assert_num_queries
    )
    assert listed.json()["count"] == len(catalogue.articles) + items
    slug = listed.json()["results"][-1]["slug"]
    answered_from_representations(client, f"/api/v1/articles/{slug}/", django_assert_num_queries)


def test_an_answer_from_representations_is_then_a_cache_hit_and_a_304(
    client, catalogue, django_assert_num_queries
):
    first = answered_from_representations(client, "/api/v1/articles/", django_assert_num_queries)
    with django_assert_num_queries(0):
        again = client.get("/api/v1/articles/")
        not_modified = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content
    assert not_modified.status_code == 304


def test_the_command_renders_what_is_missing(client, catalogue):
    Representation.objects.all().delete()
    fresh_start()
    assert client.get("/api/v1/articles/").status_code == 200
    call_command("render_representations", verbosity=0)
    languages = Representation.objects.filter(rendered_changes=F("changes")).count()
    assert languages == 2 * (5 + 3 + 2)


def test_a_deployment_renders_every_answer_again(client, catalogue, django_assert_num_queries):
    """`migrate` runs with every deployment, whose code may render answers differently."""
    Representation.objects.update(detail='{"rendered": "by the code before"}')
    call_command("migrate", verbosity=0)
    assert not Representation.objects.filter(detail__contains="by the code before").exists()
    assert not Representation.objects.exclude(rendered_changes=F("changes")).exists()
    answered_from_representations(client, "/api/v1/articles/article-0/", django_assert_num_queries)


def test_a_related_glossary_entry_retitled_is_retitled_in_the_details_showing_it(
    client, catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Glossary entries are related items too, though their own answers are not stored."""
    url = "/api/v1/articles/article-2/"
    item = Article.objects.get(slug="article-2")
    with worker_asked(), django_capture_on_commit_callbacks(execute=True):
        entry = GlossaryEntryFactory(slug="nmda", term="NMDA receptor")
        entry.conditions.set(item.conditions.all())
        entry.topics.set(item.topics.all())
    render_stale.apply()
    shown = answered_from_representations(client, url, django_assert_num_queries).json()
    assert "NMDA receptor" in [reference["title"] for reference in shown["related"]]
    with worker_asked() as asked, django_capture_on_commit_callbacks(execute=True):
        entry.term = "N-methyl-D-aspartate receptor"
        entry.save()
    assert asked
    fresh_start()
    titles = [reference["title"] for reference in client.get(url).json()["related"]]
    assert "N-methyl-D-aspartate receptor" in titles
    render_stale.apply()
    after = answered_from_representations(client, url, django_assert_num_queries)
    assert after.content == answered_the_long_way(client, url).content
    assert b"N-methyl-D-aspartate receptor" in after.content
