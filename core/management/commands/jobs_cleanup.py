"""`manage.py jobs_cleanup`: removes jobs' files JOB_FILE_DAYS after they were made, and the jobs'
records after JOB_KEEP_DAYS. Run it once a day (cron or a systemd timer: docs/worker.md)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import Job


class Command(BaseCommand):
    help = "Remove the files of finished jobs after JOB_FILE_DAYS and their records after JOB_KEEP_DAYS."

    def handle(self, *args, **options):
        now = timezone.now()
        file_limit = now - datetime.timedelta(days=settings.JOB_FILE_DAYS)
        keep_limit = now - datetime.timedelta(days=settings.JOB_KEEP_DAYS)
        removed = 0
        for job in Job.objects.filter(finished_at__lt=file_limit, file_removed_at__isnull=True).exclude(
            file=""
        ):
            job.file.delete(save=False)
            job.file_removed_at = now
            job.save(update_fields=["file", "file_removed_at"])
            removed += 1
        old = Job.objects.filter(created_at__lt=keep_limit).exclude(
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        )
        for job in old.exclude(file="").filter(file_removed_at__isnull=True):
            job.file.delete(save=False)
        deleted, _ = old.delete()
        self.stdout.write(f"Removed {removed} job file(s) and {deleted} old job record(s).")
