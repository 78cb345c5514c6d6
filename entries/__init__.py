"""
The entry machinery: what every entry editors write shares, tags (taxonomy/) and content
(content/) alike.

The row lock (on the version every save counts: apibase.preconditions), the seam through which
writes reach the editorial services (`writing`), history (`history`), Markdown rendering
(`markdown`), the read-only and write serializers (`readonly`, `writable`), filters, the
slug-lookup viewset (`views`), references between items and tag hubs (`references`), the
admin's history and stale-form check (`admin`, `forms`), and the private internals of
Django's ORM and django-reversion the project relies on, in one place (`orm_internals`).

It sits below taxonomy and content and imports neither: the editorial app plugs its services
in (`writing.plug_in()`), and the content types reach it through the registry
(content/registry.py).
"""
