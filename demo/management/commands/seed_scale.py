import time

from django.core.management.base import BaseCommand

from core import aggregates
from demo.scale import branches as scale
from demo.scale.assessments import assessments_step
from demo.scale.awards import awards_step
from demo.scale.reform import reform_step
from demo.scale.secretaries import secretaries_step
from demo.scale.seminars import seminars_step

# Run in this order; each step skips what is already there. Later apps append their own steps here
# (after the branches they hang on), e.g. demo.scale.secretaries.secretaries_step.
SEED_STEPS: list[scale.Step] = [
    scale.divisions_step,
    scale.branches_step,
    secretaries_step,
    scale.users_step,
    # After the secretaries (their terms stay with the branch): Trà Vinh's and every province's branches
    # move to the new communes on 01/07/2025; the new world's benchmark accounts.
    reform_step,
    # After the users: the benchmark accounts assess and confirm.
    assessments_step,
    seminars_step,
    awards_step,
]


class Command(BaseCommand):
    help = (
        "Fill the database with a national data set for benchmarks: all official units, about ten "
        "branches per commune (over 100,000), their secretaries, the benchmark accounts bench.quantri "
        "(administrator), bench.tinh (Trà Vinh) and bench.huyen (Tiểu Cần), and four years of skill "
        "assessments (over 300,000). Never run it against production data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=scale.ScaleOptions.password,
            help="Password of the benchmark accounts (default: %(default)s).",
        )
        parser.add_argument(
            "--per-commune",
            type=int,
            default=scale.ScaleOptions.per_commune,
            help="Average number of branches per commune (default: %(default)s).",
        )

    def handle(self, *args, password, per_commune, **options):
        seed_options = scale.ScaleOptions(per_commune=per_commune, password=password)
        started = time.monotonic()
        for step in SEED_STEPS:
            step_started = time.monotonic()
            step(options=seed_options, log=self.stdout.write)
            self.stdout.write(f"  ({time.monotonic() - step_started:.1f} s)")
        # The steps write in bulk, past the services that keep the aggregates exact: rebuild them all.
        step_started = time.monotonic()
        self.stdout.write("Aggregates rebuilt: " + ", ".join(aggregates.rebuild()))
        self.stdout.write(f"  ({time.monotonic() - step_started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {time.monotonic() - started:.1f} s."))
