"""Give a local demo an admin login; refused outside DEBUG so it never reaches production."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the demo editor account (superuser) if it does not exist yet. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor exists only for local demos (DJANGO_DEBUG=1).")
        username = os.environ.get("DEMO_EDITOR_USERNAME", "editor")
        password = os.environ.get("DEMO_EDITOR_PASSWORD", "editor-demo-password")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        state = "created" if created else "already there"
        self.stdout.write(
            f"Admin at http://127.0.0.1:8000/admin/ - user {username!r} ({state}), "
            f"password {password!r} unless you changed it."
        )
