"""Revoke a user's API token; scripts using it get 401 from then on."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Revoke the API token of a user. Issue one with `drf_create_token USERNAME` "
        "(add -r to replace an existing token)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            self.stdout.write(f"Token of {username!r} revoked.")
        else:
            self.stdout.write(f"{username!r} had no token; nothing to revoke.")
