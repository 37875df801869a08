"""`manage.py security_events --since 24h [--event login.] [--user 12]`: recent security events, oldest
first, in the portal's log format. `--delete-older-than 400d` removes old ones (the retention period)."""

import datetime
import logging
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import SecurityEvent

_SPAN = re.compile(r"^(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_span(text: str) -> datetime.timedelta:
    match = _SPAN.match(text.strip().lower())
    if not match:
        raise CommandError(f"--since takes a number and m, h or d (30m, 24h, 7d), not {text!r}")
    return datetime.timedelta(**{_UNITS[match[2]]: int(match[1])})


class Command(BaseCommand):
    help = "Print recent security events (logins, lockouts, refusals, exports, imports, role changes)."

    def add_arguments(self, parser):
        parser.add_argument("--since", default="24h", help="how far back: 30m, 24h, 7d (default 24h)")
        parser.add_argument("--event", help="only events whose name starts with this, e.g. login.")
        parser.add_argument("--user", type=int, help="only events of this user id")
        parser.add_argument(
            "--delete-older-than",
            metavar="SPAN",
            help="delete the events older than this (e.g. 400d) instead",
        )

    def handle(self, *args, since, event, user, delete_older_than, **options):
        if delete_older_than:
            cutoff = timezone.now() - parse_span(delete_older_than)
            deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
            self.stderr.write(f"{deleted} events older than {delete_older_than} deleted")
            return
        events = SecurityEvent.objects.filter(created_at__gte=timezone.now() - parse_span(since))
        if event:
            events = events.filter(event__startswith=event)
        if user is not None:
            events = events.filter(user_id=user)
        count = 0
        for row in events.order_by("created_at", "pk").iterator():
            when = timezone.localtime(row.created_at).isoformat(sep=" ", timespec="seconds")
            self.stdout.write(
                f"{when} {logging.getLevelName(row.level)} {row.event} user={row.user_id or '-'} "
                f"address={row.address or '-'} {row.details_text}".rstrip()
            )
            count += 1
        self.stderr.write(f"{count} events since {since}")
