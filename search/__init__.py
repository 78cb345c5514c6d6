"""
Search: the index of every registered content type, its two engines (PostgreSQL full text and
SQLite FTS5), the search endpoints and the relevance suite. It hangs off the content kernel and
never imports a content app.
"""
