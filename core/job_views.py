"""The pages of long work (core.jobs): "Việc của tôi", a job's page with its progress bar (static/js/
job_progress.js polls `job_status`), and the download of its file. A job is loaded through
`Job.objects.visible_to(user)`: anyone else's answers 404, its file included."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import ListView

from core.mixins import PaginatedListMixin, PortalMixin, portal_view
from core.models import Job
from core.security_log import security_event

#: a finished job's page and its status say nothing more after this (the file is listed until removed)
STATUS_FIELDS = (
    "id",
    "owner_id",
    "kind",
    "title",
    "titles",
    "status",
    "progress_done",
    "progress_total",
    "message",
    "file",
    "file_name",
    "result_url",
    "created_at",
    "started_at",
    "finished_at",
    "file_removed_at",
)


class JobListView(PaginatedListMixin, PortalMixin, ListView):
    """The user's own jobs, newest first (an administrator's list too holds only their own)."""

    template_name = "jobs/job_list.html"
    context_object_name = "jobs"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user).only(*STATUS_FIELDS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(file_days=settings.JOB_FILE_DAYS, **kwargs)


def _job(request, pk) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).only(*STATUS_FIELDS), pk=pk)


@portal_view
def job_detail(request, pk):
    job = _job(request, pk)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "file_days": settings.JOB_FILE_DAYS,
            "status_url": reverse("jobs:job_status", args=[pk]),
        },
    )


@portal_view
def job_status(request, pk):
    """What the progress bar needs, polled every second or two while the job runs."""
    job = _job(request, pk)
    response = JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "finished": job.is_finished,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@portal_view
def job_download(request, pk):
    """The job's file: what its owner could see when it ran, so served to them only and never cached."""
    job = _job(request, pk)
    if not job.has_file:
        raise Http404
    security_event("data.export_download", job=job.pk, kind=job.kind)
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=job.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
