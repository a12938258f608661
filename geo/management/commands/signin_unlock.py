from django.core.management.base import BaseCommand

from geo.signin import unlock


class Command(BaseCommand):
    help = (
        'End a sign-in lockout now (docs/architecture.md, "Limits"): forget the '
        "failed attempts for a user name and, with --address, from an address."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user name that is locked out.")
        parser.add_argument(
            "--address", default=None, help="Also the address (IP) that is locked out."
        )

    def handle(self, *args, username, address, **options):
        unlock(username, address)
        self.stdout.write(f"unlocked: {username}" + (f", {address}" if address else ""))
