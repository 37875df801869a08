"""The current second-step code of a demo login, so a visitor of the demo can log in as the demo
administrator or provincial staff. Demo accounts only, and never under production settings."""

import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import secret_base32
from demo.accounts import DEMO_TOTP_KEY, DEMO_USERS

PRODUCTION_SETTINGS = "config.settings.production"


class Command(BaseCommand):
    help = "Print the current two-step code of a demo login (e.g. quantri), and its key for an app."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[username for username, *_rest in DEMO_USERS])

    def handle(self, *args, username, **options):
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError("demo_totp does not run under production settings.")
        # Only a device that still has the published demo key: never the code of a real authenticator.
        device = TOTPDevice.objects.filter(user__username=username, key=DEMO_TOTP_KEY, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator (run `manage.py load_demo`).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stdout.write(
            f"Code for {username}, valid for {left} more seconds (each code works once; then wait for the "
            f"next).\nOr add the key {secret_base32(device.key)} to an authenticator app "
            "(time-based, 6 digits)."
        )
