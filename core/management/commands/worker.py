"""`manage.py worker`: the job worker (README, "The worker"). First queues again the jobs a stopped worker
left "running" (core.jobs.requeue_abandoned), then works like django-rq's `rqworker`."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.jobs import requeue_abandoned


class Command(BaseCommand):
    help = "Run the job worker: queue again the jobs a stopped worker left behind, then work on the queue."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Stop once the queue is empty.")
        parser.add_argument("--name", default=None, help="The worker's name (default: RQ's).")
        parser.add_argument("--worker-class", default=None, help="An RQ worker class (default: rq.Worker).")

    def handle(self, *args, **options):
        requeued = requeue_abandoned("default")
        if requeued:
            self.stdout.write(f"Queued again {len(requeued)} job(s) left by a stopped worker: {requeued}")
        call_command(
            "rqworker",
            "default",
            burst=options["burst"],
            name=options["name"],
            worker_class=options["worker_class"],
            verbosity=options["verbosity"],
        )
