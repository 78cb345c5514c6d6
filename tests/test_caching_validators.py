"""
Every public answer carries validators; a client holding the current answer gets a 304.

Any change to what an answer shows, including a tag's name or a safety notice inside an
item, or a scheduled publish date passing, changes the validators of every answer showing it.
"""

import pytest
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from content.models import Status
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

URLS = [
    "/api/v1/articles/",
    "/api/v1/articles/a/",
    "/api/v1/faqs/",
    "/api/v1/faqs/f/",
    "/api/v1/research/",
    "/api/v1/research/r/",
    "/api/v1/conditions/",
    "/api/v1/conditions/ptsd/",
    "/api/v1/topics/",
    "/api/v1/topics/nmda/",
    "/api/v1/sync/",
    "/api/v1/articles/?condition=ptsd&page_size=5",
]


@pytest.fixture
def catalogue():
    condition = ConditionFactory(slug="ptsd", name="PTSD")
    topic = TopicFactory(slug="nmda", name="NMDA receptors")
    notice = SafetyNoticeFactory(conditions=[condition], title="Crisis line")
    tags = {"conditions": [condition], "topics": [topic]}
    article = ArticleFactory(slug="a", **tags)
    FAQFactory(slug="f", **tags)
    ResearchSummaryFactory(slug="r", **tags)
    return {"condition": condition, "topic": topic, "notice": notice, "article": article}


@pytest.mark.parametrize("url", URLS)
def test_every_public_answer_has_a_weak_etag_and_last_modified(client, catalogue, url):
    # Once the clock has caught up with the fixtures' burst of saves (see below).
    with clock_moved(seconds=30):
        response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_with_the_current_etag_is_304_without_body(client, catalogue, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]
    assert "Accept-Encoding" in response["Vary"]


def test_a_304_costs_no_query_and_no_rendering(client, catalogue, django_assert_num_queries):
    etag = client.get("/api/v1/articles/a/")["ETag"]
    with django_assert_num_queries(0):  # the content generation is remembered
        response = client.get("/api/v1/articles/a/", headers={"if-none-match": etag})
    assert response.status_code == 304


def test_etag_list_matches_too_and_star_gets_the_answer(client, catalogue):
    etag = client.get("/api/v1/faqs/")["ETag"]
    listed = f'W/"0-old", {etag}'
    assert client.get("/api/v1/faqs/", headers={"if-none-match": listed}).status_code == 304
    # "*" would also match a copy of an address that answers 404: it gets the full answer.
    assert client.get("/api/v1/faqs/", headers={"if-none-match": "*"}).status_code == 200
    # Weak comparison: the strong form of the same tag matches.
    strong = etag.removeprefix("W/")
    assert client.get("/api/v1/faqs/", headers={"if-none-match": strong}).status_code == 304


def test_an_other_etag_gets_the_full_answer(client, catalogue):
    response = client.get("/api/v1/articles/", headers={"if-none-match": 'W/"1-nothing"'})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_etags_differ_by_address_and_query(client, catalogue):
    etags = {client.get(url)["ETag"] for url in URLS}
    assert len(etags) == len(URLS)


def test_if_modified_since_last_modified_is_304(client, catalogue):
    # Saves in a burst move Last-Modified ahead of the clock; answer once it has caught up.
    with clock_moved(minutes=5):
        last_modified = client.get("/api/v1/articles/a/")["Last-Modified"]
        response = client.get("/api/v1/articles/a/", headers={"if-modified-since": last_modified})
        assert response.status_code == 304
        earlier = http_date(1_000_000_000)
        response = client.get("/api/v1/articles/a/", headers={"if-modified-since": earlier})
        assert response.status_code == 200


def test_if_none_match_wins_over_if_modified_since(client, catalogue):
    with clock_moved(minutes=5):
        last_modified = client.get("/api/v1/articles/a/")["Last-Modified"]
        response = client.get(
            "/api/v1/articles/a/",
            headers={"if-modified-since": last_modified, "if-none-match": 'W/"1-other"'},
        )
    assert response.status_code == 200


def test_last_modified_is_never_in_the_future(client, catalogue):
    # Fixtures saved many times this second: changed_at is ahead of the clock now. Any date
    # before it could also stamp an older generation's copy, so there is none until then.
    response = client.get("/api/v1/articles/")
    assert "Last-Modified" not in response
    assert response["ETag"]
    with clock_moved(seconds=30):
        response = client.get("/api/v1/articles/")
    assert parse_http_date(response["Last-Modified"]) <= timezone.now().timestamp() + 30


def test_errors_carry_no_validator(client, catalogue):
    response = client.get("/api/v1/articles/missing/")
    assert response.status_code == 404
    assert "ETag" not in response
    assert client.get("/api/v1/articles/?page_size=0").status_code == 400


def edit_article(catalogue):
    catalogue["article"].title = "A new title"
    catalogue["article"].save()


def rename_condition(catalogue):
    catalogue["condition"].name = "Post-traumatic stress disorder"
    catalogue["condition"].save()


def rename_topic(catalogue):
    catalogue["topic"].name = "Glutamate"
    catalogue["topic"].save()


def edit_notice(catalogue):
    catalogue["notice"].body = "Call **988**."
    catalogue["notice"].save()


def retag_article(catalogue):
    catalogue["article"].topics.clear()


def publish_new_article(catalogue):
    ArticleFactory(conditions=[catalogue["condition"]])


def publish_draft(catalogue):
    draft = ArticleFactory(draft=True)
    draft.status = Status.PUBLISHED
    draft.save()


def unpublish_article(catalogue):
    catalogue["article"].status = Status.DRAFT
    catalogue["article"].save()


def archive_article(catalogue):
    catalogue["article"].status = Status.ARCHIVED
    catalogue["article"].save()


def delete_article(catalogue):
    catalogue["article"].delete()


CHANGES = [
    edit_article,
    rename_condition,
    rename_topic,
    edit_notice,
    retag_article,
    publish_new_article,
    publish_draft,
    unpublish_article,
    archive_article,
    delete_article,
]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/conditions/ptsd/"])
def test_a_change_changes_the_validators(client, catalogue, change, url):
    with clock_moved(minutes=5):
        before = client.get(url)
        change(catalogue)
    with clock_moved(minutes=10):
        after = client.get(url, headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert after["Last-Modified"] != before["Last-Modified"]
        since = client.get(url, headers={"if-modified-since": before["Last-Modified"]})
        assert since.status_code == 200


@pytest.mark.parametrize("change", [rename_condition, edit_notice, edit_article])
def test_a_change_shown_inside_the_detail_changes_its_validator(client, catalogue, change):
    before = client.get("/api/v1/articles/a/")
    change(catalogue)
    after = client.get("/api/v1/articles/a/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after.content != before.content


def test_saving_a_draft_changes_no_validator(client, catalogue):
    draft = ArticleFactory(draft=True)
    etag = client.get("/api/v1/articles/")["ETag"]
    draft.title = "Still a draft"
    draft.save()
    draft.delete()
    assert client.get("/api/v1/articles/", headers={"if-none-match": etag}).status_code == 304


def test_a_scheduled_publish_date_passing_changes_the_validators(client, catalogue):
    with clock_moved(seconds=0):
        scheduled = ArticleFactory(scheduled=True)
    etag = client.get("/api/v1/articles/")["ETag"]
    assert client.get(f"/api/v1/articles/{scheduled.slug}/").status_code == 404
    with clock_moved(days=1, minutes=1):
        response = client.get("/api/v1/articles/", headers={"if-none-match": etag})
        assert response.status_code == 200
        assert response.json()["count"] == 2
        assert client.get(f"/api/v1/articles/{scheduled.slug}/").status_code == 200
