"""Safety notices beside content: the general ones everywhere, a condition's only on its content."""

import pytest

from tests.factories import ConditionFactory, SafetyNoticeFactory

pytestmark = pytest.mark.django_db


def notice_slugs(client, resource, item):
    response = client.get(f"/api/v1/{resource}/{item.slug}/")
    assert response.status_code == 200
    return [notice["slug"] for notice in response.json()["safety_notices"]]


def test_notice_shown_everywhere_is_on_every_detail(client, content):
    resource, factory = content
    notice = SafetyNoticeFactory(applies_everywhere=True)
    untagged = factory()
    tagged = factory(conditions=[ConditionFactory()])
    assert notice_slugs(client, resource, untagged) == [notice.slug]
    assert notice_slugs(client, resource, tagged) == [notice.slug]


def test_condition_notice_only_on_items_tagged_with_it(client, content):
    resource, factory = content
    psychosis = ConditionFactory()
    notice = SafetyNoticeFactory(conditions=[psychosis])
    tagged = factory(conditions=[psychosis, ConditionFactory()])
    untagged = factory(conditions=[ConditionFactory()])
    assert notice_slugs(client, resource, tagged) == [notice.slug]
    assert notice_slugs(client, resource, untagged) == []


def test_inactive_notices_are_never_shown(client, content):
    resource, factory = content
    condition = ConditionFactory()
    SafetyNoticeFactory(applies_everywhere=True, is_active=False)
    SafetyNoticeFactory(conditions=[condition], is_active=False)
    assert notice_slugs(client, resource, factory(conditions=[condition])) == []


def test_notice_matching_several_ways_is_shown_once_in_order(client, content):
    resource, factory = content
    first, second = ConditionFactory(), ConditionFactory()
    both = SafetyNoticeFactory(applies_everywhere=True, conditions=[first, second], order=5)
    earlier = SafetyNoticeFactory(conditions=[second], order=1)
    item = factory(conditions=[first, second])
    assert notice_slugs(client, resource, item) == [earlier.slug, both.slug]


def test_notice_is_served_as_sanitised_html(client, content):
    resource, factory = content
    SafetyNoticeFactory(
        slug="monitoring",
        title="Blood pressure",
        severity="warning",
        applies_everywhere=True,
        body="Talk to your **clinician**. <script>x</script>",
    )
    data = client.get(f"/api/v1/{resource}/{factory().slug}/").json()
    assert data["safety_notices"] == [
        {
            "slug": "monitoring",
            "title": "Blood pressure",
            "severity": "warning",
            "body_html": (
                "<p>Talk to your <strong>clinician</strong>. &lt;script&gt;x&lt;/script&gt;</p>\n"
            ),
        }
    ]


def test_lists_carry_no_notices(client, content):
    resource, factory = content
    SafetyNoticeFactory(applies_everywhere=True)
    factory()
    (item,) = client.get(f"/api/v1/{resource}/").json()["results"]
    assert "safety_notices" not in item
