"""Remove a person's authenticator app when they have lost it: `manage.py two_factor_remove USERNAME --by ADMIN`.

They then sign in with their password only (or, where REQUIRE_2FA applies to them, are asked to
set up a new app at once). The removal is in the audit log, in the name of the superuser given.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews import services


class Command(BaseCommand):
    help = "Remove a person's two-factor sign-in (a lost phone), in the name of a superuser."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="The username of the superuser doing it.")

    def handle(self, *args, username, by, **options):
        User = get_user_model()
        actor = User.objects.filter(username=by, is_superuser=True, is_active=True).first()
        if actor is None:
            raise CommandError(f"“{by}” is not an active superuser.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account “{username}”.")
        try:
            services.two_factor_remove(actor=actor, user=user)
        except services.ActionNotAllowed as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        self.stdout.write(f"Two-factor sign-in removed from “{username}”.")
