from django.core.management.base import BaseCommand

from representations.rendering import render_stale


class Command(BaseCommand):
    help = "Render every public item's answers that are missing or stale (bin/serve runs it)."

    def handle(self, *args, **options):
        rendered = render_stale()
        if options["verbosity"]:
            self.stdout.write(f"Rendered {rendered} items' answers.")
