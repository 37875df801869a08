"""The job pages in the URL × persona matrix (tests/test_scope_matrix.py): a job is its owner's (the Tiểu
Cần officer's) alone; everyone else, the administrator too, in the same province or not, gets 404, its file
included."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.timezone import now

from tests.test_scope_matrix import NOT_FOUND, OK, Case


def _job(world):
    from core.models import Job
    from tests.factories import UserFactory

    district = world["tieu_can"].commune.district
    owner = UserFactory(username="huyendoan.tieucan", role="district_officer", district=district)
    job = Job.objects.filter(owner=owner, title="Ma trận").first()
    if job is None:
        job = Job(
            owner=owner, kind="export", title="Ma trận", func="x.y", status=Job.Status.DONE, finished_at=now()
        )
        job.file.save("ma-tran.xlsx", ContentFile(b"xlsx"), save=False)
        job.file_name = "ma-tran.xlsx"
        job.save()
    return job


def job_url(name):
    return lambda world: reverse(name, args=[_job(world).pk])


OWNER = {
    "administrator": NOT_FOUND,
    "tra_vinh_staff": NOT_FOUND,
    "tieu_can_officer": OK,
    "cang_long_officer": NOT_FOUND,
    "vinh_long_staff": NOT_FOUND,
}

CASES = [
    Case("my jobs", lambda w: reverse("jobs:job_list"), {}),
    Case("job page", job_url("jobs:job_detail"), OWNER),
    Case("job status", job_url("jobs:job_status"), OWNER),
    Case("job download", job_url("jobs:job_download"), OWNER),
]
