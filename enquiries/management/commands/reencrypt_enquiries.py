from django.core.management.base import BaseCommand

from enquiries.services import enquiries_reencrypt


class Command(BaseCommand):
    help = (
        "Encrypt every enquiry again with the first key of ENQUIRY_ENCRYPTION_KEYS and hash "
        "it with the current ENQUIRY_LOOKUP_KEY. Run it after adding a key, before dropping "
        "the old one."
    )

    def handle(self, *args, **options):
        done = enquiries_reencrypt()
        self.stdout.write(f"{done} enquiries encrypted with the newest key.")
