"""
What every app's HTTP interface shares, below all of them: the error format (problem details,
problems.py), refusing unknown and unsettable fields by name (strict_fields.py), who may write
through the API (permissions.py), the names of cached answers for a CDN (cache_tags.py), and
conditional writes: records that count their saves, held to `If-Match` (preconditions.py),
and the language of an answer: its negotiation (languages.py) and the viewset and serializer
parts of items answered in it (translated.py).

Any app may import it; it imports no app but publishing, whose records are below it. The
project's own HTTP plumbing (settings, URLs, caching, throttling, the schema) is `api/`, at
the top.
"""
