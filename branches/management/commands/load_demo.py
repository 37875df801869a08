import random

from django.core.management import BaseCommand, call_command
from django.db import transaction

from accounts.demo import populate_users
from branches.demo import DEMO_PROVINCE, populate_branches


class Command(BaseCommand):
    help = "Load the Trà Vinh demo: official units, generated branches (and later people), demo logins."

    def handle(self, *args, **options):
        call_command("load_divisions", "--province", DEMO_PROVINCE, stdout=self.stdout)
        rng = random.Random(84)
        with transaction.atomic():
            created = populate_branches(rng=rng)
            users = populate_users()
        self.stdout.write(f"Demo branches created: {created}")
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {users[0][1]}):"))
        for user, _password in users:
            scope = user.scope_label
            self.stdout.write(f"  {user.username:<22} {user.get_role_display():<22} {scope}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.\n")
