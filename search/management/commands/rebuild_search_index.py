"""Build the search index again from the content, from scratch."""

from django.core.management.base import BaseCommand
from django.db import transaction

from publishing.changes import content_changed
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every article, FAQ and research summary."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild()
            # Search answers are cached by content generation: a new index is a new one.
            content_changed()
        self.stdout.write(f"Search index rebuilt: {count} document(s).")
