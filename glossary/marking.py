"""
Re-mark glossary terms in every content item when the published glossary changes.

The marks are rendered on save (content/glossary_terms.py); this re-renders what the new
set of terms changes and logs it like any other change, so caches, validators and sync
clients all see the new bodies.
"""

import threading
from contextlib import contextmanager

from django.db import transaction

from content import registry
from content.glossary_terms import published_terms
from content.models import PlainLanguageContent
from entries.markdown import render_markdown
from glossary.models import GlossaryEntry
from publishing import changes

_held = threading.local()


@contextmanager
def remarking_held():
    """
    Re-mark content once, as the block ends, for the glossary changes made inside it: an
    import writing thirty entries re-renders every item once, not thirty times (the marks
    come out the same, the last published glossary decides them).
    """
    if getattr(_held, "pending", None) is not None:  # an outer block re-marks
        yield
        return
    _held.pending = False
    try:
        yield
        pending = _held.pending
    finally:
        _held.pending = None
    if pending:
        remark_content()


def remark_content_now_or_when_held():
    """Re-mark content now, or when the block holding re-marking (remarking_held) ends."""
    if getattr(_held, "pending", None) is None:
        remark_content()
    else:
        _held.pending = True


def remark_content():
    """
    Re-render the marks of every content item against the published glossary now.

    Only the rendered HTML and the list of terms change, with an UPDATE that neither moves
    an entry's version (editors' If-Match) nor its `updated_at`: the text is the editor's
    as it was. Public items whose marks changed are logged as changed and announced.
    """
    terms = published_terms()
    upserts = []
    rerendered = {}
    with transaction.atomic():
        for model in registry.models():
            if not issubclass(model, PlainLanguageContent):
                continue
            source = model.marked_field
            public = set(model.objects.published().values_list("pk", flat=True))
            html_field = f"{source}_html"
            rows = model.objects.order_by("pk").values_list(
                "pk", "slug", source, html_field, "glossary_terms"
            )
            for pk, slug, text, old_html, old_terms in rows.iterator():
                rendered = render_markdown(text, terms=terms)
                if rendered.html == old_html and rendered.glossary_terms == old_terms:
                    continue
                model.objects.filter(pk=pk).update(
                    **{html_field: rendered.html, "glossary_terms": rendered.glossary_terms}
                )
                if pk in public:
                    upserts.append((model.reference_type, slug))
                    rerendered.setdefault(model, []).append(pk)
        if upserts:
            changes.content_changed(upserts=upserts)
        for model, pks in rerendered.items():
            changes.content_rerendered.send(sender=model, pks=pks)
    return len(upserts)


def remark_if_terms_published(sender, upserts, **kwargs):
    """A glossary entry that has just become public (scheduled) is marked from now on."""
    if any(kind == GlossaryEntry.reference_type for kind, _slug in upserts):
        remark_content()
