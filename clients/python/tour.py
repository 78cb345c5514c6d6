"""
A Python app's tour of the API through the client openapi-python-client generates from
openapi.yaml: list, page, filter, details, search, sync and a problem, against a live server.

Usage: python tour.py http://127.0.0.1:8000 (with the generated `content_api_client` package
importable; .ci/clients generates it).
"""

import sys

from content_api_client import Client
from content_api_client.api.articles import get_article, list_articles
from content_api_client.api.conditions import list_conditions
from content_api_client.api.faqs import get_faq, list_faqs
from content_api_client.api.search import search_content
from content_api_client.api.sync import sync_content
from content_api_client.models import (
    FAQDetail,
    PaginatedArticleList,
    PaginatedConditionList,
    PaginatedFAQList,
    Problem,
    SearchResponse,
    SyncPage,
)


def expect(answer, kind):
    if not isinstance(answer, kind):
        raise SystemExit(f"Expected {kind.__name__}, got {answer!r}")
    return answer


def main(base_url):
    # Reads need no credentials. (The generator types every operation that lists any security
    # scheme as taking an AuthenticatedClient, even when `{}` allows anonymous calls.)
    client = Client(base_url=base_url, raise_on_unexpected_status=True)

    first = expect(list_articles.sync(client=client, page_size=2), PaginatedArticleList)
    second = expect(list_articles.sync(client=client, page_size=2, page=2), PaginatedArticleList)
    assert first.count > 2 and len(first.results) == 2 and first.next_
    assert second.results[0].slug != first.results[0].slug
    print(f"articles: {first.count}, page 2 starts with {second.results[0].slug}")

    conditions = expect(list_conditions.sync(client=client), PaginatedConditionList)
    condition = next(tag for tag in conditions.results if tag.content_counts.faqs)
    faqs = expect(list_faqs.sync(client=client, condition=[condition.slug]), PaginatedFAQList)
    faq = expect(get_faq.sync(client=client, slug=faqs.results[0].slug), FAQDetail)
    assert faq.type_ == "faq"
    print(f"{condition.name}: {faqs.count} FAQs; {faq.question!r} ({len(faq.related)} related)")

    found = expect(
        search_content.sync(client=client, q="ketamin nmda", page_size=3), SearchResponse
    )
    best = found.results[0]
    assert best.score > 0 and best.snippet
    types = ", ".join(f"{facet.value} {facet.count}" for facet in found.facets.type_)
    print(
        f"search {found.query!r} (suggestion: {found.suggestion}): {found.count} results, "
        f"best {best.type_}/{best.slug} score {best.score:.2f}; {types}"
    )

    mirror, cursor, has_more = {}, None, True
    while has_more:
        kwargs = {"cursor": cursor} if cursor else {}
        page = expect(sync_content.sync(client=client, limit=10, **kwargs), SyncPage)
        for change in page.changes:
            if change.action == "upsert":
                mirror[(change.type_, change.slug)] = change.item
            else:
                mirror.pop((change.type_, change.slug), None)
        cursor, has_more = page.cursor, page.has_more
    assert len(mirror) >= first.count
    again = expect(sync_content.sync(client=client, cursor=cursor), SyncPage)
    assert again.changes == []
    print(f"sync: {len(mirror)} items mirrored, nothing changed since")

    missing = get_article.sync_detailed(client=client, slug="no-such")
    assert missing.status_code == 404
    problem = expect(missing.parsed, Problem)
    print(f"problem: {problem.status} {problem.title}: {problem.detail}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
