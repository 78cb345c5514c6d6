"""A sync holds one page in memory at a time, however many items it mirrors."""

import tracemalloc

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Items that weigh something (some 50 kB each, with their rendered HTML and text), so that
# holding them all would show.
BODY = "Ketamine and the NMDA receptor, in many words. " * 300


def page_with_peak(client, params):
    """Request one sync page; return its body and the most memory the request held at once."""
    tracemalloc.start()
    try:
        response = client.get("/api/v1/sync/", params)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    return response.json(), peak


def test_a_page_s_memory_does_not_grow_with_the_items_synced(client):
    ArticleFactory.create_batch(10, body=BODY)
    client.get("/api/v1/sync/", {"limit": 5})  # first use: imports and lazy caches
    cache.clear()
    _, few = page_with_peak(client, {"limit": 5})

    ArticleFactory.create_batch(110, body=BODY)
    cache.clear()
    peaks, synced, params = [], 0, {"limit": 5}
    while True:
        page, peak = page_with_peak(client, params)
        peaks.append(peak)
        synced += len(page["changes"])
        if not page["has_more"]:
            break
        params = {"limit": 5, "cursor": page["cursor"]}
    assert synced == 120
    # Twelve times the items, the same page size: the same memory, give or take.
    assert max(peaks) < 1.5 * few
