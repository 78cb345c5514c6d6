"""Export every entry, in every state, and the taxonomy to a folder of Markdown files."""

from pathlib import Path

from django.core.management.base import BaseCommand

from transfer.services import export_content


class Command(BaseCommand):
    help = (
        "Write taxonomy.yaml and one Markdown file with YAML front matter per article, FAQ and "
        "research summary (drafts and archived included) into FOLDER, as in demo/."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, folder, no_progress, **options):
        count = export_content(folder, show_progress=not no_progress)
        self.stdout.write(f"Exported {count} entries and the taxonomy to {folder}.")
