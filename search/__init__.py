"""
Search: the index of every registered content type, its two engines (PostgreSQL full text and
SQLite FTS5) and the search endpoints. It hangs off the content kernel and never imports a
content app. The relevance suite that measures it is an app of its own (relevance/).
"""
