"""Images in entries: hero images, images placed in Markdown, JSON-LD, sync and query budgets."""

import re

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from images.models import Image
from tests.factories import ArticleFactory, ConditionFactory, FAQFactory, ResearchSummaryFactory
from tests.images import make_image
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def img_tags(html):
    return re.findall(r"<img [^>]*>", html)


def attributes(tag):
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def test_an_image_placed_in_markdown_is_a_responsive_img(client):
    image = make_image(width=1400, height=700)
    ArticleFactory(slug="nmda", body="Before.\n\n![](image:receptor)\n\nAfter.")
    html = client.get("/api/v1/articles/nmda/").json()["body_html"]
    (tag,) = img_tags(html)
    attrs = attributes(tag)
    assert set(attrs) == {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "alt"}
    assert (attrs["width"], attrs["height"]) == ("1400", "700")
    assert (attrs["loading"], attrs["decoding"]) == ("lazy", "async")
    assert attrs["alt"] == image.alt_text
    assert attrs["sizes"] == "(max-width: 800px) 100vw, 800px"
    widths = [entry.split()[1] for entry in attrs["srcset"].split(", ")]
    assert widths == ["320w", "640w", "960w", "1280w"]
    assert all(".webp " in entry for entry in attrs["srcset"].split(", "))
    assert attrs["src"].endswith("/original-960.jpg")
    # Every address in it is a rendition the library lists.
    listed = {r["url"] for r in client.get("/api/v1/images/receptor/").json()["renditions"]}
    for url in [attrs["src"], *(entry.split()[0] for entry in attrs["srcset"].split(", "))]:
        assert f"http://testserver{url}" in listed


def test_the_alt_written_in_markdown_wins_and_a_decorative_image_has_none(client):
    make_image()
    make_image(slug="divider", alt_text="", is_decorative=True)
    ArticleFactory(
        slug="a", body="![Glutamate crossing the synapse](image:receptor)\n\n![](image:divider)"
    )
    first, second = (
        attributes(tag) for tag in img_tags(client.get("/api/v1/articles/a/").json()["body_html"])
    )
    assert first["alt"] == "Glutamate crossing the synapse"
    assert second["alt"] == ""


def test_images_from_elsewhere_and_raw_markup_never_become_img(client):
    ArticleFactory(
        slug="a",
        body='![tracker](https://evil.example/pixel.png)\n\n<img src="x" onerror="alert(1)">',
    )
    html = client.get("/api/v1/articles/a/").json()["body_html"]
    assert img_tags(html) == []
    assert "tracker" in html
    assert "evil.example" not in html
    assert "&lt;img" in html


def test_faq_answers_and_research_bodies_place_images_too(client):
    make_image()
    FAQFactory(slug="q", answer="![](image:receptor)")
    ResearchSummaryFactory(slug="r", body="![](image:receptor)")
    assert img_tags(client.get("/api/v1/faqs/q/").json()["answer_html"])
    assert img_tags(client.get("/api/v1/research/r/").json()["body_html"])


def test_a_body_placing_an_unknown_image_is_refused_by_name(editor_api):
    response = editor_api.post(
        "/api/v1/articles/",
        {"slug": "x", "title": "T", "summary": "S", "body": "![a](image:nowhere)"},
        format="json",
    )
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["/body"]
    assert "nowhere" in response.json()["errors"][0]["detail"]
    assert not Article.objects.exists()


def test_editors_set_and_clear_an_articles_hero_image(editor_api, client):
    make_image()
    body = {"slug": "x", "title": "T", "summary": "S", "body": "B", "image": "receptor"}
    created = editor_api.post("/api/v1/articles/", body, format="json")
    assert created.status_code == 201
    assert created.json()["image"]["slug"] == "receptor"
    assert created.json()["image"]["renditions"]
    unknown = editor_api.patch("/api/v1/articles/x/", {"image": "nope"}, format="json")
    assert unknown.status_code == 409
    assert [error["pointer"] for error in unknown.json()["errors"]] == ["/image"]
    assert editor_api.patch("/api/v1/articles/x/", {"image": 5}, format="json").status_code == 400
    cleared = editor_api.patch("/api/v1/articles/x/", {"image": None}, format="json")
    assert cleared.status_code == 200
    assert cleared.json()["image"] is None


def test_lists_details_and_json_ld_carry_the_hero_image(client):
    image = make_image(width=2000, height=1000, caption="The NMDA receptor", credit="Clinic")
    ArticleFactory(slug="with", image=image)
    ArticleFactory(slug="without")
    items = {item["slug"]: item for item in client.get("/api/v1/articles/").json()["results"]}
    assert items["with"]["image"]["slug"] == "receptor"
    assert items["with"]["image"]["alt_text"] == image.alt_text
    assert items["without"]["image"] is None
    detail = client.get("/api/v1/articles/with/").json()
    objects = detail["structured_data"]["image"]
    assert [(o["width"], o["height"]) for o in objects] == [(1920, 960), (1280, 720), (960, 960)]
    assert all(o["@type"] == "ImageObject" and o["url"].endswith(".jpg") for o in objects)
    assert objects[0]["caption"] == "The NMDA receptor"
    assert "image" not in client.get("/api/v1/articles/without/").json()["structured_data"]


@pytest.mark.parametrize(
    ("width", "height", "social"),
    [(2000, 1000, (1280, 720)), (700, 700, (640, 360))],
)
def test_the_social_image_is_the_hero_cut_to_16_9(client, width, height, social):
    ArticleFactory(slug="with", image=make_image(width=width, height=height))
    url = client.get("/api/v1/articles/with/").json()["seo"]["image"]
    rendition = next(
        spec
        for spec in Image.objects.get().renditions()
        if (spec.width, spec.height) == social and spec.ratio == "16:9" and spec.format == "jpeg"
    )
    assert url == f"http://testserver{Image.objects.get().rendition_url(rendition)}"
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert client.get(f"/api/v1/articles/{ArticleFactory().slug}/").json()["seo"]["image"] is None
    assert client.get(f"/api/v1/faqs/{FAQFactory().slug}/").json()["seo"]["image"] is None


@pytest.mark.parametrize(
    ("resource", "factory"), [("articles", ArticleFactory), ("conditions", ConditionFactory)]
)
def test_an_empty_image_slug_is_neither_a_slug_nor_null(editor_api, resource, factory):
    item = factory()
    response = editor_api.patch(f"/api/v1/{resource}/{item.slug}/", {"image": ""}, format="json")
    problem = assert_problem(response, 400)
    assert [error["pointer"] for error in problem["errors"]] == ["/image"]


def test_conditions_have_an_image(editor_api, client):
    make_image()
    ConditionFactory(slug="ptsd")
    response = editor_api.patch("/api/v1/conditions/ptsd/", {"image": "receptor"}, format="json")
    assert response.status_code == 200
    assert response.json()["image"]["slug"] == "receptor"
    (listed,) = client.get("/api/v1/conditions/").json()["results"]
    assert listed["image"]["slug"] == "receptor"


def test_sync_carries_image_references(client):
    ArticleFactory(slug="a", image=make_image(), body="![](image:receptor)")
    (change,) = client.get("/api/v1/sync/").json()["changes"]
    assert change["item"]["image"]["slug"] == "receptor"
    assert img_tags(change["item"]["body_html"])


def test_a_draft_using_an_image_shows_nowhere_public(client):
    ArticleFactory(
        slug="secret-draft",
        title="Secret plans",
        draft=True,
        image=make_image(),
        body="Secret words\n\n![](image:receptor)",
    )
    for url in ["/api/v1/images/", "/api/v1/images/receptor/"]:
        text = client.get(url).content.decode()
        assert "secret" not in text.lower()
    assert client.get("/api/v1/articles/").json()["results"] == []


def test_an_editor_without_delete_rights_learns_nothing_from_the_image(editor_api):
    ArticleFactory(slug="secret-draft", draft=True, image=make_image())
    assert editor_api.delete("/api/v1/images/receptor/").status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/images/", "/api/v1/conditions/"])
def test_image_bearing_lists_cost_the_same_whatever_their_length(
    client, django_assert_num_queries, url
):
    # Articles: their stored page looked for first (nothing is rendered in this test).
    budget = {"/api/v1/articles/": 6, "/api/v1/images/": 2, "/api/v1/conditions/": 3}[url]

    def add(n):
        for _ in range(n):
            image = make_image(slug=f"image-{add.count}", width=400, height=225)
            ArticleFactory(image=image, body=f"![](image:{image.slug})")
            ConditionFactory(image=image)
            add.count += 1

    add.count = 0
    add(1)
    with django_assert_num_queries(budget):
        assert client.get(url, {"page_size": 100}).status_code == 200
    add(19)
    with django_assert_num_queries(budget):
        response = client.get(url, {"page_size": 100})
    assert len(response.json()["results"]) == 20


def test_an_article_detail_with_images_costs_what_one_without_does(
    client, django_assert_num_queries
):
    ArticleFactory(slug="plain")
    ArticleFactory(slug="pictured", image=make_image(), body="![](image:receptor)")
    for slug in ["plain", "pictured"]:
        # Its stored detail looked for first (nothing is rendered here), then the long way.
        with django_assert_num_queries(6):
            assert client.get(f"/api/v1/articles/{slug}/").status_code == 200


def test_an_anonymous_client_cannot_write_the_library():
    assert APIClient().patch("/api/v1/images/x/", {}, format="json").status_code == 401


def test_a_changed_image_reaches_cached_answers_and_sync(client, image_api):
    ArticleFactory(slug="a", image=make_image())
    cursor = client.get("/api/v1/sync/").json()["cursor"]
    assert client.get("/api/v1/articles/a/").json()["image"]["caption"] == ""
    changed = image_api.patch("/api/v1/images/receptor/", {"caption": "New"}, format="json")
    assert changed.status_code == 200
    # The cached answer is not served again: a new generation began.
    assert client.get("/api/v1/articles/a/").json()["image"]["caption"] == "New"
    (change,) = client.get("/api/v1/sync/", {"cursor": cursor}).json()["changes"]
    assert (change["slug"], change["item"]["image"]["caption"]) == ("a", "New")


def test_a_slug_placed_in_markdown_cannot_change(image_api):
    make_image()
    ArticleFactory(slug="user", draft=True, body="![](image:receptor)")
    response = image_api.patch("/api/v1/images/receptor/", {"slug": "other"}, format="json")
    assert response.status_code == 400
    assert "'user'" in response.json()["errors"][0]["detail"]
    hero_only = make_image(slug="hero")
    ArticleFactory(image=hero_only)
    renamed = image_api.patch("/api/v1/images/hero/", {"slug": "hero-2"}, format="json")
    assert renamed.status_code == 200
