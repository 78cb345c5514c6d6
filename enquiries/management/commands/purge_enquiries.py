from django.conf import settings
from django.core.management.base import BaseCommand

from enquiries.services import enquiries_purge


class Command(BaseCommand):
    help = "Delete enquiries older than ENQUIRY_RETENTION_DAYS. Run it daily."

    def handle(self, *args, **options):
        deleted = enquiries_purge()
        self.stdout.write(
            f"{deleted} enquiries older than {settings.ENQUIRY_RETENTION_DAYS} days deleted."
        )
