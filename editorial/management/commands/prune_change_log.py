"""Delete old change log entries; sync cursors older than them must start over."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publishing.changes import change_log_prune


class Command(BaseCommand):
    help = (
        "Delete change log entries older than --days (default 90). An app whose last sync "
        "is older than that is told to start over (400, code sync_restart)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Keep this many days.")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        before = timezone.now() - datetime.timedelta(days=days)
        deleted = change_log_prune(before=before)
        self.stdout.write(f"{deleted} change log entries older than {before:%Y-%m-%d} deleted.")
