"""
Conditions, topics, synonyms and safety notices: the entries every content type is tagged
with, their endpoints (hubs, counts) and the seeded search vocabulary (vocabulary.py). Below
the content kernel; built on the entry machinery (entries/).
"""
