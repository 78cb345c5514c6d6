"""
The sync endpoint mirrors public content: all of it first, then what changed since.

A client that follows the cursors ends with exactly the public items in its scope, in
their detail representation, whatever editors do meanwhile, and never sees a draft.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import Status
from publishing.models import ChangeLogEntry
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)
from tests.timetravel import clock_moved

pytestmark = pytest.mark.django_db

RESTART_TYPE = "urn:ketamine-content-api:problem:sync-restart"
DETAIL_PATHS = {"article": "articles", "faq": "faqs", "research": "research"}


class App:
    """A mobile app's local copy, kept by following the sync cursors."""

    def __init__(self, client, **scope):
        self.client = client
        self.scope = scope
        self.items = {}
        self.cursor = None
        self.seen = []
        self.page_sizes = []

    def fetch(self, limit=100):
        params = {**self.scope, "limit": limit}
        if self.cursor:
            params["cursor"] = self.cursor
        response = self.client.get("/api/v1/sync/", params)
        assert response.status_code == 200, response.content[:500]
        page = response.json()
        self.page_sizes.append(len(page["changes"]))
        for change in page["changes"]:
            self.seen.append(change)
            key = (change["type"], change["slug"])
            if change["action"] == "upsert":
                self.items[key] = change["item"]
            else:
                assert set(change) == {"type", "slug", "action"}
                self.items.pop(key, None)
        self.cursor = page["cursor"]
        return page

    def sync(self, limit=100):
        """Fetch pages until nothing more is waiting; return how many it took."""
        pages = 1
        while self.fetch(limit)["has_more"]:
            pages += 1
            assert pages < 100
        return pages

    def slugs(self):
        return {slug for _kind, slug in self.items}


def without_related(items):
    return {key: {k: v for k, v in item.items() if k != "related"} for key, item in items.items()}


def public_details(client, **scope):
    """What the app should hold: every public item in scope, exactly as its detail endpoint
    gives it, related content included."""
    expected = {}
    types = scope.get("type", "article,faq,research").split(",")
    for kind in types:
        params = {"page_size": 100}
        if "condition" in scope:
            params["condition"] = scope["condition"]
        listing = client.get(f"/api/v1/{DETAIL_PATHS[kind]}/", params).json()["results"]
        for entry in listing:
            detail = client.get(f"/api/v1/{DETAIL_PATHS[kind]}/{entry['slug']}/").json()
            expected[(kind, entry["slug"])] = detail
    return expected


@pytest.fixture
def content():
    ptsd = ConditionFactory(slug="ptsd", name="PTSD")
    depression = ConditionFactory(slug="depression", name="Depression")
    SafetyNoticeFactory(applies_everywhere=True)
    SafetyNoticeFactory(conditions=[depression])
    return {
        "ptsd": ptsd,
        "depression": depression,
        "articles": ArticleFactory.create_batch(3, conditions=[ptsd]),
        "faqs": FAQFactory.create_batch(2, conditions=[depression]),
        "research": ResearchSummaryFactory.create_batch(2, conditions=[ptsd, depression]),
        "draft": ArticleFactory(slug="secret-draft", draft=True, conditions=[ptsd]),
    }


def test_first_sync_sends_every_public_item_as_its_detail(client, content):
    app = App(client)
    assert app.sync() == 1
    assert app.items == public_details(client)
    assert len(app.items) == 7
    assert all(change["action"] == "upsert" for change in app.seen)


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_first_sync_in_pages_sends_each_item_once(client, content, limit):
    app = App(client)
    app.sync(limit=limit)
    assert app.items == public_details(client)
    assert len(app.seen) == 7
    assert max(app.page_sizes) == limit


def test_a_page_holds_at_most_limit_changes(client, content):
    page = App(client).fetch(limit=2)
    assert len(page["changes"]) == 2
    assert page["has_more"] is True


def test_nothing_changed_means_no_changes(client, content):
    app = App(client)
    app.sync()
    page = app.fetch()
    assert page == {"changes": [], "cursor": app.cursor, "has_more": False}


def test_a_later_sync_sends_only_what_changed(client, content):
    app = App(client)
    app.sync()
    article = content["articles"][0]
    article.title = "Edited"
    article.save()
    new_faq = FAQFactory()
    app.sync()
    assert [(change["slug"], change["action"]) for change in app.seen[7:]] == [
        (article.slug, "upsert"),
        (new_faq.slug, "upsert"),
    ]
    assert app.items[("article", article.slug)]["title"] == "Edited"
    # An item's `related` is as it was when the item was sent; the rest is current.
    assert without_related(app.items) == without_related(public_details(client))


def test_several_edits_of_one_item_are_one_change(client, content):
    app = App(client)
    app.sync()
    article = content["articles"][0]
    for title in ("One", "Two", "Three"):
        article.title = title
        article.save()
    app.sync()
    (change,) = app.seen[7:]
    assert change["item"]["title"] == "Three"


def unpublish(item):
    item.status = Status.DRAFT
    item.save()


def archive(item):
    item.status = Status.ARCHIVED
    item.save()


def reschedule(item):
    item.published_at = timezone.now() + datetime.timedelta(days=3)
    item.save()


@pytest.mark.parametrize(
    "change", [unpublish, archive, reschedule, lambda item: item.delete()], ids=lambda f: f.__name__
)
def test_items_no_longer_public_are_removed(client, content, change):
    app = App(client)
    app.sync()
    faq = content["faqs"][0]
    change(faq)
    app.sync()
    assert app.seen[7:] == [{"type": "faq", "slug": faq.slug, "action": "remove"}]
    assert without_related(app.items) == without_related(public_details(client))


def test_a_slug_change_removes_the_old_slug_and_upserts_the_new(client, content):
    app = App(client)
    app.sync()
    study = content["research"][0]
    old = study.slug
    study.slug = "renamed-study"
    study.save()
    app.sync()
    assert [(c["slug"], c["action"]) for c in app.seen[7:]] == [
        (old, "remove"),
        ("renamed-study", "upsert"),
    ]
    assert without_related(app.items) == without_related(public_details(client))


def test_tag_and_notice_changes_upsert_the_items_showing_them(client, content):
    app = App(client)
    app.sync()
    content["ptsd"].name = "Post-traumatic stress disorder"
    content["ptsd"].save()
    app.sync()
    assert {c["slug"] for c in app.seen[7:]} == {
        *(a.slug for a in content["articles"]),
        *(r.slug for r in content["research"]),
    }
    notice = SafetyNoticeFactory(conditions=[content["ptsd"]])
    notice.body = "Changed"
    notice.save()
    app.sync()
    assert without_related(app.items) == without_related(public_details(client))


def test_drafts_never_appear_not_even_as_tombstones(client, content):
    app = App(client)
    app.sync()
    draft = content["draft"]
    draft.title = "Still secret"
    draft.save()
    draft.slug = "secret-draft-renamed"
    draft.save()
    draft.topics.set([TopicFactory()])
    draft.delete()
    ArticleFactory(slug="secret-scheduled", scheduled=True)
    in_review = FAQFactory(slug="secret-review", in_review=True)
    in_review.delete()
    response = client.get("/api/v1/sync/", {"cursor": app.cursor})
    assert response.json()["changes"] == []
    first = client.get("/api/v1/sync/")
    assert b"secret" not in first.content
    assert not ChangeLogEntry.objects.filter(slug__startswith="secret").exists()


def test_a_scheduled_item_is_sent_once_its_date_passes(client, content):
    app = App(client)
    app.sync()
    scheduled = ArticleFactory(scheduled=True)
    app.sync()
    assert app.seen[7:] == []
    with clock_moved(days=1, minutes=1):
        app.sync()
        assert [(c["slug"], c["action"]) for c in app.seen[7:]] == [(scheduled.slug, "upsert")]


def test_scope_by_type(client, content):
    app = App(client, type="faq,research")
    app.sync()
    assert {kind for kind, _slug in app.items} == {"faq", "research"}
    assert app.items == public_details(client, type="faq,research")
    content["articles"][0].delete()
    assert app.fetch()["changes"] == []


def test_scope_by_condition(client, content):
    app = App(client, condition="ptsd")
    app.sync()
    assert app.items == public_details(client, condition="ptsd")
    assert len(app.items) == 5


def test_an_item_leaving_the_condition_is_removed_from_that_scope(client, content):
    app = App(client, condition="ptsd")
    app.sync()
    article = content["articles"][0]
    article.conditions.set([content["depression"]])
    app.sync()
    assert app.seen[5:] == [{"type": "article", "slug": article.slug, "action": "remove"}]
    article.conditions.add(content["ptsd"])
    app.sync()
    assert app.seen[-1]["action"] == "upsert"
    assert without_related(app.items) == without_related(public_details(client, condition="ptsd"))


def test_edits_between_pages_are_not_missed(client, content):
    """An editor saves while the app pages through its first sync."""
    app = App(client)
    app.fetch(limit=2)  # articles[0] and [1] sent
    first, _second, third = content["articles"]
    first.title = "Edited after it was sent"
    first.save()
    third.delete()  # not sent yet
    late = ArticleFactory(slug="published-meanwhile")
    content["faqs"][0].status = Status.ARCHIVED
    content["faqs"][0].save()
    app.fetch(limit=2)
    study = content["research"][1]
    study.slug = "renamed-meanwhile"
    study.save()
    app.sync(limit=2)
    assert without_related(app.items) == without_related(public_details(client))
    assert app.items[("article", first.slug)]["title"] == "Edited after it was sent"
    assert ("article", late.slug) in app.items


def test_a_page_costs_the_same_queries_whatever_its_size(
    client, content, django_assert_num_queries
):
    # The generation, the log position, per type the items and their two kinds of tags,
    # the safety notices with their conditions, whether changes are waiting, and the related
    # content of every item on the page (one query per hundred items).
    with django_assert_num_queries(16):
        App(client).fetch()
    for _ in range(10):
        ArticleFactory(conditions=[content["ptsd"]], topics=[TopicFactory()])
        FAQFactory(conditions=[content["depression"]])
    with django_assert_num_queries(16):
        App(client).fetch()


def test_a_page_of_changes_costs_the_same_queries_whatever_its_size(
    client, content, django_assert_num_queries
):
    app = App(client)
    app.sync()
    cursor = app.cursor
    content["ptsd"].save()
    content["depression"].save()
    # The generation (twice: once more to check the cursor), the log position, the entries,
    # per type the items and their two kinds of tags, the safety notices and their conditions,
    # and the related content of every item on the page.
    with django_assert_num_queries(16):
        app.fetch()
    for article in ArticleFactory.create_batch(10, conditions=[content["depression"]])[:5]:
        article.delete()
    content["depression"].save()
    app.cursor = cursor
    with django_assert_num_queries(16):
        assert len(app.fetch()["changes"]) == 7 + 5 + 5


def test_related_content_is_read_in_batches_and_stays_exact(client, content, monkeypatch):
    """A page's related content is read a few items at a time, as each detail gives it."""
    monkeypatch.setattr("entries.references.RELATED_BATCH", 2)
    app = App(client)
    app.sync(limit=5)
    assert app.items == public_details(client)
    assert any(item["related"] for item in app.items.values())


def test_an_unchanged_sync_is_a_304(client, content):
    app = App(client)
    app.sync()
    response = client.get("/api/v1/sync/", {"cursor": app.cursor, "limit": 100})
    again = client.get(
        "/api/v1/sync/",
        {"cursor": app.cursor, "limit": 100},
        headers={"if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    content["faqs"][0].save()
    changed = client.get(
        "/api/v1/sync/",
        {"cursor": app.cursor, "limit": 100},
        headers={"if-none-match": response["ETag"]},
    )
    assert changed.status_code == 200


def assert_restart(response):
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == RESTART_TYPE
    assert body["code"] == "sync_restart"
    assert "Start a new sync" in body["detail"]


@pytest.mark.parametrize("cursor", ["garbage", "a:b", "eyJ2IjoxfQ:abc", "x" * 2001])
def test_a_malformed_cursor_asks_to_start_over(client, content, cursor):
    response = client.get("/api/v1/sync/", {"cursor": cursor})
    if len(cursor) > 2000:
        assert response.json()["errors"][0]["parameter"] == "cursor"
    else:
        assert_restart(response)


def test_an_empty_cursor_starts_a_sync(client, content):
    assert len(client.get("/api/v1/sync/", {"cursor": ""}).json()["changes"]) == 7


def test_a_tampered_cursor_asks_to_start_over(client, content):
    cursor = App(client).fetch()["cursor"]
    payload, signature = cursor.rsplit(":", 1)
    forged = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + ":" + signature
    assert_restart(client.get("/api/v1/sync/", {"cursor": forged}))


def test_a_cursor_of_another_scope_asks_to_start_over(client, content):
    app = App(client, type="faq")
    app.sync()
    assert_restart(client.get("/api/v1/sync/", {"cursor": app.cursor}))
    assert_restart(client.get("/api/v1/sync/", {"cursor": app.cursor, "type": "article"}))
    assert_restart(
        client.get("/api/v1/sync/", {"cursor": app.cursor, "type": "faq", "condition": "ptsd"})
    )
    # The same scope written differently is the same scope.
    other = App(client, type="research,faq,faq")
    other.cursor = App(client, type="faq,research").fetch()["cursor"]
    other.fetch()


def test_a_cursor_older_than_the_kept_log_asks_to_start_over(client, content):
    app = App(client)
    app.sync()
    content["faqs"][0].save()
    with clock_moved(days=91):
        call_command("prune_change_log", "--days", "90", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_restart(client.get("/api/v1/sync/", {"cursor": app.cursor}))
    fresh = App(client)
    fresh.sync()
    assert fresh.items == public_details(client)


def test_a_recent_cursor_survives_pruning(client, content):
    with clock_moved(days=-100):
        ArticleFactory()  # logged long ago
    app = App(client)
    app.sync()
    call_command("prune_change_log", "--days", "90", stdout=open("/dev/null", "w"))  # noqa: SIM115
    content["faqs"][0].save()
    app.sync()
    assert app.seen[-1]["slug"] == content["faqs"][0].slug


@pytest.mark.parametrize(
    "params",
    [
        {"type": "video"},
        {"type": ""},
        {"condition": "not a slug"},
        # Items as given, as the schema's enum and pattern say: no trimming.
        {"type": " faq"},
        {"type": "article, faq"},
        {"condition": " depression"},
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "ten"},
        {"page": "2"},
    ],
)
def test_bad_parameters_are_400_problems_naming_them(client, params):
    response = client.get("/api/v1/sync/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "about:blank"
    assert {error["parameter"].split("/")[0] for error in body["errors"]} == set(params)
