"""Re-mark glossary terms in content when the published glossary's names change."""

from django.db.models import signals

from glossary.marking import remark_content_now_or_when_held, remark_if_terms_published
from glossary.models import GlossaryEntry
from publishing import changes


def connect():
    signals.pre_save.connect(remember_marking, sender=GlossaryEntry)
    signals.post_save.connect(entry_saved, sender=GlossaryEntry)
    signals.post_delete.connect(entry_deleted, sender=GlossaryEntry)
    changes.scheduled_published.connect(remark_if_terms_published)


def _marking(entry):
    """What marks in content depend on: the entry's slug and names, while it is public."""
    if not entry.is_public:
        return None
    return (entry.slug, entry.term, list(entry.other_names), list(entry.abbreviations))


def remember_marking(sender, instance, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._marking_before = _marking(stored) if stored else None


def entry_saved(sender, instance, **kwargs):
    before = instance.__dict__.pop("_marking_before", None)
    # Read back rather than trust the instance: its dates may still be strings.
    saved = sender.objects.get(pk=instance.pk)
    if _marking(saved) != before:
        remark_content_now_or_when_held()


def entry_deleted(sender, instance, **kwargs):
    if instance.is_public:
        remark_content_now_or_when_held()
