"""Load the demo content in demo/ into the database; running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from api.content_transfer import apply_import, plan_import

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = "Load the demo articles, FAQs, research summaries and taxonomy from demo/."

    def handle(self, *args, **options):
        # The demo folder has the import format, so it goes through the same validation:
        # a bad demo file stops the load before anything is written.
        changed = apply_import(plan_import(DEMO_DIR), comment="Demo content loaded.")
        self.stdout.write(f"Demo content loaded: {changed} item(s) created or changed.")
