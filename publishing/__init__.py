"""
Publishing: the records that say what is public and who vouched for it, with tables of their own.
Reviewers and their medical sign-offs, translations' states, renamed entries' redirects, the
content generation and the change log (changes.py) that every change to public content writes.

The bottom of the layers, below the content kernel: the kernel, the search index, the media
library, api and webhooks read or write these records, and editorial's workflow and services
work on them. It reads only the registry of content types (content/registry.py).
"""
