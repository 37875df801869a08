"""A large export in a real browser: a commune officer (doanxa.tapngai) exports the branch list, which is
over the threshold (lowered here to 5 rows), so it becomes a job: the officer lands on the job's page with
its progress bar, the bar's script sees the job finish and shows the download link, and the file holds the
commune's 14 branches and nothing of the neighbour's."""

import io
import threading

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import User
from branches.divisions import REFORM_DAY
from core.models import Job
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, CommuneFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def tap_ngai(db):
    province = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long", began_on=REFORM_DAY)
    commune = CommuneFactory(
        code="29365", name="Xã Tập Ngãi", district=None, province=province, began_on=REFORM_DAY
    )
    neighbour = CommuneFactory(
        code="29371", name="Xã Hùng Hòa", district=None, province=province, began_on=REFORM_DAY
    )
    for i in range(1, 15):
        BranchFactory(commune=commune, name=f"Ấp Tập Ngãi {i:02d}")
    BranchFactory(commune=neighbour, name="Ấp Hòa Lộc")
    return UserFactory(username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=commune)


@pytest.fixture
def held_jobs(settings, monkeypatch):
    """Jobs run in a thread of the live server (as `make run` without Redis does), held until the test
    lets them go, so the page is seen while the job waits."""
    settings.JOBS_INLINE = False
    settings.JOBS_IN_PROCESS = True
    settings.EXPORT_JOB_CELLS = 5 * 11  # the branch list's 10 columns and its STT: 5 rows
    go = threading.Event()
    from core import jobs

    start = jobs._in_thread

    def held(func, *args, **kwargs):
        def later(*a, **k):
            go.wait(20)
            func(*a, **k)

        start(later, *args, **kwargs)

    monkeypatch.setattr(jobs, "_in_thread", held)
    yield go
    go.set()


def test_a_large_export_runs_as_a_job_with_progress_and_a_download(page, live_server, tap_ngai, held_jobs):
    # A fresh live server's first page (templates compiled) can take long on a busy machine.
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, tap_ngai.username, PASSWORD)
    page.goto(f"{live_server.url}/branches/")
    with page.expect_navigation():
        page.get_by_role("link", name="Xuất Excel").click()

    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xuất Excel: Danh sách chi đoàn")
    expect(page.locator("main")).to_contain_text("Danh sách có hơn 5 dòng")
    expect(page.locator("#job-status")).to_contain_text("Đang chờ")
    expect(page.locator("#job-progress progress")).to_have_count(1)
    expect(page.locator("#job-download")).to_have_count(0)
    screenshot(page, "export_job_waiting")

    held_jobs.set()  # the worker runs it; the page's script sees it finish and shows the link
    link = page.locator("#job-download")
    expect(link).to_be_visible(timeout=30_000)
    expect(page.locator("#job-status")).to_contain_text("Hoàn thành")
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "100")
    screenshot(page, "export_job_done")
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the bar and the link still fit
    screenshot(page, "export_job_done_360")
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "chi-doan.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active  # noqa: SIM115
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
    assert len(names) == 14 and "Ấp Hòa Lộc" not in names

    page.goto(f"{live_server.url}/")
    page.locator("a.dropdown-toggle").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Việc của tôi").click()
    expect(page.locator("main table")).to_contain_text("Xuất Excel: Danh sách chi đoàn")
    screenshot(page, "my_jobs")
