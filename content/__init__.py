"""
The content kernel: what every content type shares.

The publishable base model and its QuerySet (`models`), the registry of content types
(`registry`), base serializers, filters and viewset, structured data (`structured_data`),
glossary marks and readability. Content apps (articles, research, glossary) build on it; it
never imports them. What content shares with tags (versions, history, Markdown, the write
serializer, the slug-lookup viewset, references) is one floor down, in entries/.
"""
