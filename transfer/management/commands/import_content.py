"""Import a folder written by export_content (or laid out like demo/), by slug."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfer.services import ImportProblems, apply_import, plan_import


class Command(BaseCommand):
    help = (
        "Create or update, by slug, the taxonomy and every entry in FOLDER. Everything is "
        "validated first: if any file is bad, nothing is written and every problem is listed, "
        "each at its file and line."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, folder, no_progress, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            plan = plan_import(folder)
            changed = apply_import(
                plan, comment=f"Imported from {folder}.", show_progress=not no_progress
            )
        except ImportProblems as error:
            raise CommandError(
                f"Nothing was imported; {len(error.problems)} problem(s):\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from None
        self.stdout.write(
            f"Imported {folder}: {changed} of {len(plan)} item(s) created or changed."
        )
