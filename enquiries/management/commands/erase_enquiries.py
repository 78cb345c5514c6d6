from django.core.management.base import BaseCommand, CommandError

from enquiries.models import Enquiry
from enquiries.phones import phone_e164
from enquiries.services import enquiries_erase


class Command(BaseCommand):
    help = (
        "Find and erase one person's enquiries, by the email address or phone number they "
        "gave (either matches). Without --yes, only says how many there are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="", help="In any notation; stored as E.164.")
        parser.add_argument("--yes", action="store_true", help="Erase them.")

    def handle(self, *args, email, phone, yes, **options):
        if not email and not phone:
            raise CommandError("Give --email, --phone or both.")
        if phone:
            phone = phone_e164(phone)
            if phone is None:
                raise CommandError("Not a valid phone number.")
        found = Enquiry.objects.of_person(email=email, phone=phone).count()
        if not yes:
            self.stdout.write(f"{found} enquiries found. Run again with --yes to erase them.")
            return
        erased = enquiries_erase(email=email, phone=phone)
        self.stdout.write(f"{erased} enquiries erased.")
