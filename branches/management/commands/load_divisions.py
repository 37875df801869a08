import time

from django.core.management.base import BaseCommand, CommandError

from branches.divisions import UnknownProvinceCode, divisions_load


class Command(BaseCommand):
    help = (
        "Load the official provinces, districts and communes (vietnam-provinces 0.6.0, before the 2025 "
        "reform). Without --province, the whole country. Re-running changes only what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="Official province code, e.g. 84 for Trà Vinh. Repeat for several provinces.",
        )

    def handle(self, *args, provinces=None, **options):
        started = time.monotonic()
        try:
            report = divisions_load(province_codes=provinces)
        except UnknownProvinceCode as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        for level, counts in report.levels():
            self.stdout.write(
                f"{level:<10} {counts.created:>6} created  {counts.updated:>6} updated  "
                f"{counts.unchanged:>6} unchanged"
            )
        outcome = "Loaded" if report.changed else "Already up to date"
        self.stdout.write(self.style.SUCCESS(f"{outcome} in {elapsed:.1f} s."))
