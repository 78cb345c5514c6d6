"""Build the search index again from the content, from scratch."""

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every article, FAQ and research summary."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"Search index rebuilt: {count} document(s).")
