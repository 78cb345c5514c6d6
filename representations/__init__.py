"""
Each public content item's answers (list entry and detail, per language) stored as rendered
when the item changes, and served from there: hangs off the content kernel beside search.
"""
