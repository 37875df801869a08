"""Long work as jobs (core.jobs): the pages of a job and their scope, its progress, the large export that
becomes a job and gives the same workbook, a real RQ worker on Redis, and a job left by a killed worker."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from core.jobs import JobResult, job_start, requeue_abandoned
from core.models import Job
from tests.factories import BranchFactory, PersonFactory, UserFactory
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")


def done_job(*, owner, content: bytes = b"PK-bytes", title="Xuất Excel: Danh sách chi đoàn") -> Job:
    return job_start(
        owner=owner, kind="export", title=title, func=make_file, params={"content": content.decode()}
    )


def make_file(*, job, user, content: str) -> JobResult:
    """A job function of the tests: reports progress, then hands back a small file."""
    job.report(1, 2, force=True)
    job.report(2)
    return JobResult(file=content.encode(), filename="chi-doan.xlsx", content_type="text/plain")


def refuse(*, job, user) -> JobResult:
    from django.core.exceptions import ValidationError

    raise ValidationError("Quyết định không còn để in.")


def crash(*, job, user) -> JobResult:
    raise RuntimeError("disk full")


def who_am_i(*, job, user) -> JobResult:
    return JobResult(message=f"user={user.pk}")


def urls(job: Job) -> dict:
    return {
        "detail": reverse("jobs:job_detail", args=[job.pk]),
        "status": reverse("jobs:job_status", args=[job.pk]),
        "download": reverse("jobs:job_download", args=[job.pk]),
    }


# ---------------------------------------------------------------------------------------------------
# Scope


def test_a_job_and_its_file_are_its_owners(client, world, tieu_can_officer, cang_long_officer, administrator):
    job = done_job(owner=tieu_can_officer)
    assert job.is_done and job.has_file
    client.force_login(tieu_can_officer)
    for name, url in urls(job).items():
        assert client.get(url).status_code == 200, name
    response = client.get(urls(job)["download"])
    assert b"".join(response.streaming_content) == b"PK-bytes"
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="chi-doan.xlsx"' in response["Content-Disposition"]

    client.force_login(cang_long_officer)  # another district's officer: as if it did not exist
    for name, url in urls(job).items():
        assert client.get(url).status_code == 404, name
    assert job.title not in client.get(reverse("jobs:job_list")).content.decode()

    login_verified(client, administrator)  # the administrator too: the file is its owner's
    for name, url in urls(job).items():
        assert client.get(url).status_code == 404, name
    assert job.title not in client.get(reverse("jobs:job_list")).content.decode()


def test_a_secretary_account_and_the_anonymous_find_nothing(client, world, tieu_can_officer, tieu_can_person):
    job = done_job(owner=tieu_can_officer)
    secretary = UserFactory(username="bithu.tu", role=User.Role.SECRETARY, person=tieu_can_person)
    client.force_login(secretary)
    for url in [reverse("jobs:job_list"), *urls(job).values()]:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in [reverse("jobs:job_list"), *urls(job).values()]:
        assert client.get(url)["Location"].startswith(reverse("login")), url


def test_the_job_function_runs_as_the_owner_reloaded(world, tieu_can_officer):
    job = job_start(owner=tieu_can_officer, kind="test", title="Ai", func=who_am_i)
    assert job.is_done and job.message == f"user={tieu_can_officer.pk}"
    assert job.func == "tests.core.test_jobs.who_am_i" and job.params == {}


# ---------------------------------------------------------------------------------------------------
# Pages and progress


def test_the_job_page_shows_the_bar_the_link_and_polls_a_static_script(client, world, tieu_can_officer):
    job = done_job(owner=tieu_can_officer)
    client.force_login(tieu_can_officer)
    page = client.get(urls(job)["detail"]).content.decode()
    assert '<progress class="w-100" max="100" value="100">' in page
    assert urls(job)["download"] in page and "Tải về" in page
    assert "js/job_progress.js" in page and "<script>" not in page
    assert f'data-status-url="{urls(job)["status"]}"' in page


def test_the_status_tells_the_progress(client, world, tieu_can_officer):
    job = Job.objects.create(owner=tieu_can_officer, kind="export", title="Lớn", func="x.y")
    client.force_login(tieu_can_officer)
    assert client.get(urls(job)["status"]).json() == {
        "status": "queued",
        "label": "Đang chờ",
        "done": 0,
        "total": None,
        "percent": None,
        "finished": False,
    }
    Job.objects.filter(pk=job.pk).update(status="running", progress_done=1500, progress_total=6000)
    response = client.get(urls(job)["status"])
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "running",
        "label": "Đang chạy",
        "done": 1500,
        "total": 6000,
        "percent": 25,
        "finished": False,
    }
    page = client.get(urls(job)["detail"]).content.decode()
    assert '<progress class="w-100" max="100" value="25">' in page and "1.500 / 6.000" in page


def test_progress_is_written_as_the_job_goes(world, tieu_can_officer):
    job = done_job(owner=tieu_can_officer)
    assert (job.progress_done, job.progress_total, job.percent) == (2, 2, 100)


def test_a_failure_says_why_in_vietnamese(client, world, tieu_can_officer, caplog):
    refused = job_start(owner=tieu_can_officer, kind="certificates", title="In", func=refuse)
    crashed = job_start(owner=tieu_can_officer, kind="export", title="Xuất", func=crash)
    caplog.clear()  # the crash is logged on purpose
    client.force_login(tieu_can_officer)
    assert refused.is_failed and refused.finished_at
    page = client.get(urls(refused)["detail"]).content.decode()
    assert "Công việc chưa hoàn thành." in page and "Quyết định không còn để in." in page
    assert crashed.is_failed
    page = client.get(urls(crashed)["detail"]).content.decode()
    assert "Không thể hoàn thành công việc" in page and "disk full" not in page
    assert client.get(urls(crashed)["download"]).status_code == 404


def test_the_list_is_the_users_newest_first_with_a_link_from_the_menu(client, world, tieu_can_officer):
    first = done_job(owner=tieu_can_officer, title="Việc thứ nhất")
    second = done_job(owner=tieu_can_officer, title="Việc thứ hai")
    client.force_login(tieu_can_officer)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert page.index(second.title) < page.index(first.title)
    assert f'href="{reverse("jobs:job_list")}"' in client.get(reverse("home")).content.decode()
    assert "Việc của tôi" in page


def test_the_job_pages_cost_the_same_whatever_the_number_of_jobs(
    client, world, tieu_can_officer, count_queries
):
    job = done_job(owner=tieu_can_officer)
    client.force_login(tieu_can_officer)
    pages = [reverse("jobs:job_list"), urls(job)["detail"], urls(job)["status"]]
    small = []
    for url in pages:
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        small.append(len(ctx))
    for i in range(30):
        done_job(owner=tieu_can_officer, title=f"Việc {i}")
    for url, before in zip(pages, small, strict=True):
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == before, url


def test_files_expire_with_the_cleanup_command(client, world, tieu_can_officer, settings):
    import datetime

    from django.utils import timezone

    job = done_job(owner=tieu_can_officer)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    old = done_job(owner=tieu_can_officer, title="Rất cũ")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    call_command("jobs_cleanup", stdout=io.StringIO())
    job.refresh_from_db()
    assert not job.has_file and job.file_removed_at and not Job.objects.filter(pk=old.pk).exists()
    client.force_login(tieu_can_officer)
    assert client.get(urls(job)["download"]).status_code == 404
    assert "Tệp đã được xóa sau 7 ngày" in client.get(urls(job)["detail"]).content.decode()


# ---------------------------------------------------------------------------------------------------
# A large export becomes a job, and gives the same workbook


def _values(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("branches:branch_export", lambda branch: BranchFactory(commune=branch.commune)),
        ("secretaries:person_export", lambda branch: PersonFactory(branch=branch)),
    ],
)
def test_above_the_threshold_the_export_is_a_job_with_the_same_workbook(
    url, grow, client, world, tieu_can_branch, tieu_can_officer, settings, in_english
):
    for _ in range(4):
        grow(tieu_can_branch)
    client.force_login(tieu_can_officer)
    now = client.get(reverse(url))
    assert now["Content-Type"].startswith("application/vnd.openxmlformats")  # small: answered at once
    immediate = b"".join(now.streaming_content)
    assert not Job.objects.exists()

    settings.EXPORT_JOB_CELLS = 1
    response = client.get(reverse(url))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.owner == tieu_can_officer and job.kind == "export" and job.is_done
    assert job.progress_total == job.progress_done > 2
    download = client.get(urls(job)["download"])
    assert _values(b"".join(download.streaming_content)) == _values(immediate)
    # Its title is the reader's language, on every page that names it, whichever language started it.
    vietnamese = client.get(job.get_absolute_url()).content.decode()
    assert "Xuất Excel: " in vietnamese
    in_english()
    for page in (client.get(job.get_absolute_url()), client.get(reverse("jobs:job_list"))):
        text = page.content.decode()
        assert "Export to Excel: " in text and "Xuất Excel" not in text


@pytest.fixture
def in_english(client):
    """The reader switches the interface to English (the switch in the navigation bar); the test's own code
    is in Vietnamese again afterwards (a request leaves its language active)."""
    yield lambda: client.post(reverse("set_language"), {"language": "en", "next": "/"})
    translation.deactivate()


def test_the_export_job_keeps_the_filters_and_the_owners_scope(
    client, world, hieu_tu, an_truong, tieu_can_officer, settings
):
    for i in range(3):
        BranchFactory(commune=hieu_tu, name=f"Ấp Rạch Lọp {i}")
        BranchFactory(commune=an_truong, name=f"Ấp Rạch Lọp xa {i}")  # another district
    settings.EXPORT_JOB_CELLS = 1
    client.force_login(tieu_can_officer)
    client.get(reverse("branches:branch_export") + "?q=rach+lop")
    job = Job.objects.get()
    assert job.params["query"] == "q=rach+lop"
    rows = _values(b"".join(client.get(urls(job)["download"]).streaming_content))[4:]
    assert sorted(r[1] for r in rows) == ["Ấp Rạch Lọp 0", "Ấp Rạch Lọp 1", "Ấp Rạch Lọp 2"]


# ---------------------------------------------------------------------------------------------------
# A real worker on Redis


@pytest.fixture
def redis_queue(settings):
    """The test Redis database (RQ_QUEUES in config/settings/test.py, db 15), emptied before and after;
    jobs go to it instead of running at once."""
    import django_rq
    import redis

    queue = django_rq.get_queue("default")
    try:
        queue.connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert queue.connection.connection_pool.connection_kwargs.get("db") == 15
    queue.connection.flushdb()
    settings.JOBS_INLINE = False
    yield queue
    queue.connection.flushdb()


def work(queue) -> None:
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_worker_on_redis_runs_the_job(
    world, tieu_can_officer, redis_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = done_job(owner=tieu_can_officer, content=b"from the worker")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and redis_queue.get_job_ids() == [job.rq_id]
    work(redis_queue)
    job.refresh_from_db()
    assert job.is_done and job.attempts == 1 and job.file.read() == b"from the worker"


def test_a_job_left_running_by_a_killed_worker_is_queued_again_and_completes(
    world, tieu_can_officer, redis_queue, django_capture_on_commit_callbacks
):
    import datetime

    from rq import SimpleWorker
    from rq.registry import StartedJobRegistry
    from rq.utils import utcformat

    with django_capture_on_commit_callbacks(execute=True):
        job = done_job(owner=tieu_can_officer, content=b"second run")
    job.refresh_from_db()
    killed_run = job.rq_id
    # A worker takes it, as RQ does (out of the queue, into the started registry, the worker's current
    # job), and the portal marks it running.
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection, name="killed-worker")
    worker.register_birth()
    taken, _queue = redis_queue.dequeue_any([redis_queue], None, connection=redis_queue.connection)
    worker.prepare_execution(taken)
    worker.prepare_job_execution(taken)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)
    assert killed_run in StartedJobRegistry(queue=redis_queue).get_job_ids()

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_abandoned() == []  # its worker is alive: nothing to do
    # Killed (SIGKILL: no goodbye to Redis): its heartbeat stops.
    stale = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
    redis_queue.connection.hset(worker.key, "last_heartbeat", utcformat(stale))

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_abandoned() == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.rq_id != killed_run and redis_queue.get_job_ids() == [job.rq_id]
    assert killed_run not in StartedJobRegistry(queue=redis_queue).get_job_ids()
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_abandoned() == []  # queued now: left alone
    work(redis_queue)
    job.refresh_from_db()
    assert job.is_done and job.attempts == 2 and job.file.read() == b"second run"


def test_a_run_of_a_replaced_rq_job_stops_itself(world, tieu_can_officer, redis_queue):
    from unittest import mock

    job = Job.objects.create(
        owner=tieu_can_officer, kind="x", title="t", func="tests.core.test_jobs.make_file", rq_id="new"
    )
    job.params = {"content": "x"}
    job.save()
    with mock.patch("core.jobs._current_rq_id", return_value="old"):
        from core.jobs import run_job

        run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 0


def requeued_meanwhile(*, job, user) -> JobResult:
    Job.objects.filter(pk=job.pk).update(rq_id="new", status=Job.Status.QUEUED)
    return JobResult(message="late")


def test_a_run_queued_again_while_it_ran_leaves_the_result_to_the_new_run(world, tieu_can_officer):
    from unittest import mock

    from core.jobs import run_job

    job = Job.objects.create(
        owner=tieu_can_officer,
        kind="x",
        title="t",
        func="tests.core.test_jobs.requeued_meanwhile",
        rq_id="old",
    )
    with mock.patch("core.jobs._current_rq_id", return_value="old"):
        run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rq_id, job.message) == (Job.Status.QUEUED, "new", "")


def test_the_worker_command_queues_again_first(monkeypatch):
    calls = []
    monkeypatch.setattr("core.management.commands.worker.requeue_abandoned", lambda q: calls.append(q) or [7])
    monkeypatch.setattr(
        "core.management.commands.worker.call_command", lambda *a, **k: calls.append((a, k["burst"]))
    )
    out = io.StringIO()
    call_command("worker", burst=True, stdout=out)
    assert calls == ["default", (("rqworker", "default"), True)] and "[7]" in out.getvalue()


# ---------------------------------------------------------------------------------------------------
# The certificates of a large decision, and a large import


def test_the_certificates_of_a_large_decision_are_a_job(
    client, world, cang_long_officer, settings, in_english
):
    from pypdf import PdfReader

    decided = world["decided_campaign"]
    url = reverse("awards:commendation_certificates", args=[decided.pk])
    client.force_login(cang_long_officer)
    at_once = client.get(url)
    assert at_once["Content-Type"] == "application/pdf"

    settings.CERTIFICATES_JOB_THRESHOLD = 1
    response = client.get(url)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == "certificates" and job.is_done and (job.progress_done, job.progress_total) == (2, 2)
    download = client.get(urls(job)["download"])
    assert download["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == 2
    in_english()
    assert f"Certificates of decision {decided.decision_number} (2)" in client.get(urls(job)["detail"]).text


def test_a_large_import_is_committed_by_a_job_all_rows_or_none(
    client, world, hieu_tu, tieu_can_officer, settings, in_english
):
    from core.importing.models import ImportBatch
    from secretaries.models import Person
    from tests.importing import SECRETARY_HEADERS, secretary_row, upload, workbook_bytes

    vacant = [BranchFactory(commune=hieu_tu, name=f"Ấp Trống {i}") for i in range(3)]
    rows = [secretary_row(f"Trần Thị Mai {i}", vacant[i].name) for i in range(3)]
    client.force_login(tieu_can_officer)
    client.post(
        reverse("imports:batch_upload", args=["secretaries"]),
        {"file": upload(workbook_bytes(rows, SECRETARY_HEADERS))},
    )
    batch = ImportBatch.objects.get()
    settings.IMPORT_JOB_THRESHOLD = 2
    response = client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    batch.refresh_from_db()
    assert job.is_done and batch.is_committed and job.result_url == batch.get_absolute_url()
    assert Person.objects.filter(full_name__startswith="Trần Thị Mai").count() == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "3 mới" in page and batch.get_absolute_url() in page
    assert f"Nhập từ {batch.file_name} (3 dòng)" in page

    # Once done, a second run is refused with its reason, and writes nothing.
    again = job_start(
        owner=tieu_can_officer, kind="import", title="Lần hai", func=job.func, params=job.params
    )
    assert again.is_failed and again.message == "Lần nhập này đã thực hiện xong."
    in_english()
    assert f"Import from {batch.file_name} (3 rows)" in client.get(job.get_absolute_url()).text


def test_an_imports_row_count_is_grouped_on_its_button_and_its_jobs_title(
    client, world, hieu_tu, tieu_can_officer, settings
):
    """The rows counted as the preview's counters write them: "1.234 dòng"."""
    from core.importing.models import ImportBatch
    from tests.importing import SECRETARY_HEADERS, secretary_row, upload, workbook_bytes

    branch = BranchFactory(commune=hieu_tu, name="Ấp Trống Một")
    client.force_login(tieu_can_officer)
    client.post(
        reverse("imports:batch_upload", args=["secretaries"]),
        {"file": upload(workbook_bytes([secretary_row("Trần Thị Mai", branch.name)], SECRETARY_HEADERS))},
    )
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(row_count=1234)  # as a file of 1,234 rows counts
    assert "Nhập 1.234 dòng" in client.get(batch.get_absolute_url()).content.decode()
    settings.IMPORT_JOB_THRESHOLD = 2
    client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert f"Nhập từ {batch.file_name} (1.234 dòng)" in client.get(job.get_absolute_url()).content.decode()


def test_the_threshold_counts_cells_so_a_wide_export_becomes_a_job_sooner(settings):
    """XlsxWriter's time is per cell: 10,000 cells is a thousand rows of 9 columns (with the STT), or 625
    rows of 15."""
    from core.excel import job_threshold_rows

    settings.EXPORT_JOB_CELLS = 10_000
    assert job_threshold_rows(9) == 1000
    assert job_threshold_rows(15) == 625
    settings.EXPORT_JOB_CELLS = 3
    assert job_threshold_rows(40) == 1  # never below one row: an export of nothing is answered at once


def test_an_export_exactly_at_the_threshold_is_answered_at_once_and_one_cell_less_makes_it_a_job(
    client, world, tieu_can_branch, tieu_can_officer, settings
):
    from branches.models import Branch

    for i in range(3):
        BranchFactory(commune=tieu_can_branch.commune, name=f"Ấp Cầu Tre {i}")
    rows = Branch.objects.visible_to(tieu_can_officer).count()
    assert rows > 3
    client.force_login(tieu_can_officer)
    settings.EXPORT_JOB_CELLS = rows * 11  # the branch list: 10 columns and its STT
    assert client.get(reverse("branches:branch_export"))["Content-Type"].startswith("application/vnd")
    assert not Job.objects.exists()
    settings.EXPORT_JOB_CELLS = rows * 11 - 1
    assert client.get(reverse("branches:branch_export")).status_code == 302
    assert Job.objects.get().kind == "export"
