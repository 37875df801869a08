"""Rebuild the report aggregates from the records (all, or those named): after a bulk load or a repair."""

import time

from django.core.management.base import BaseCommand, CommandError

from core import aggregates


class Command(BaseCommand):
    help = "Rebuild the report aggregates from the records (all of them, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="e.g. assessments.totals; all when none is named")

    def handle(self, *args, names, **options):
        started = time.monotonic()
        try:
            done = aggregates.rebuild(names or None)
        except KeyError as error:
            known = ", ".join(aggregates.rebuilders()) or "none"
            raise CommandError(f"Unknown aggregate: {error.args[0]} (known: {known})") from error
        self.stdout.write(
            f"Rebuilt {len(done)} aggregate(s) in {time.monotonic() - started:.1f} s: {', '.join(done)}"
        )
