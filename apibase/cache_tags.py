"""
Names of cached answers for a CDN's purge by tag (`Cache-Tag`, `Surrogate-Key`).

An answer is named after what it shows: a detail after its item and the item's conditions and
topics (its related content is drawn from items sharing them), a list after its collection.
A change to an item names every answer it can alter (`change_tags()`), which webhook
payloads carry, so a CDN purges exactly those.
"""

# Answers that show every content type: search results and suggestions, and sync pages.
SHARED_COLLECTIONS = ("search", "sync")
# Conditions and topics count and list the published items tagged with them.
TAG_COLLECTIONS = ("conditions", "topics")


def item_tag(kind, slug):
    """Name one item's answers, e.g. `article:ketamine-and-nmda` or `condition:ptsd`."""
    return f"{kind}:{slug}"


def detail_tags(kind, slug, conditions=(), topics=()):
    return [
        item_tag(kind, slug),
        *(item_tag("condition", tag) for tag in conditions),
        *(item_tag("topic", tag) for tag in topics),
    ]


def change_tags(kind, group, slug, conditions=(), topics=()):
    """Every answer a change to an item can alter: itself, its collections, its tags' pages."""
    return [
        *detail_tags(kind, slug, conditions, topics),
        group,
        *TAG_COLLECTIONS,
        *SHARED_COLLECTIONS,
    ]


def header_value(tags):
    """Both header fields take the same names: comma-separated here, see set_cache_tags()."""
    return ",".join(dict.fromkeys(tags))


def set_cache_tags(response, tags):
    """Name the answer in `Cache-Tag` (Cloudflare, Akamai) and `Surrogate-Key` (Fastly)."""
    tags = list(dict.fromkeys(tags))
    if tags:
        response["Cache-Tag"] = ",".join(tags)
        response["Surrogate-Key"] = " ".join(tags)
