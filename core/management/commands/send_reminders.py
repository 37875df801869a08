"""Queue today's reminder digests: one job per user with an e-mail address and a staff role
(core/reminders.py).

Run once a day, e.g. from cron at 07:00 Vietnam time:
    0 7 * * *  cd /srv/bithu && .venv/bin/python manage.py send_reminders
An RQ worker (`manage.py rqworker default`) sends the mails. Running it twice the same day mails nothing
new: every item mailed is logged (ReminderSent) and never mailed again.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import reminders


class Command(BaseCommand):
    help = "Queue one reminder digest per user (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Not a date (YYYY-MM-DD): {date}") from error
        queued = reminders.queue_digests(day=day)
        self.stdout.write(f"Queued {queued} reminder digest(s) for {day:%d/%m/%Y}.")
