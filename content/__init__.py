"""
The content kernel: what every content type shares.

The publishable base model and its QuerySet (`models`), the registry of content types
(`registry`), base serializers, filters and viewset, references between items and tag hubs
(`references`), structured data (`structured_data`), Markdown rendering and readability.
Content apps (articles, research, glossary) build on it; it never imports them.
"""
