import time

from django.core.management.base import BaseCommand, CommandError

from branches.divisions import UnknownProvinceCode, divisions_load


class Command(BaseCommand):
    help = (
        "Load the official units of both worlds: provinces, districts and communes to 30/06/2025 "
        "(vietnam-provinces 0.6.0), provinces and communes from 01/07/2025 and the lineage between them "
        "(branches/data/divisions-2025.json.gz). Without --province, the whole country. Re-running changes "
        "only what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help=(
                "Official province code, e.g. 84 for Trà Vinh (to 2025) and the province it went into, "
                "Vĩnh Long (86). Repeat for several provinces."
            ),
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
                f"{level:<17} {counts.created:>6} created  {counts.updated:>6} updated  "
                f"{counts.unchanged:>6} unchanged"
            )
        if report.lineage_unmatched:
            self.stdout.write(
                f"{report.lineage_unmatched} rows of the conversion table name an old commune that is not in "
                "the old list; skipped."
            )
        outcome = "Loaded" if report.changed else "Already up to date"
        self.stdout.write(self.style.SUCCESS(f"{outcome} in {elapsed:.1f} s."))
