"""Reports "as recorded" and "rolled up to today's units" (branches.rollup), and the screens of the new
world: a small Trà Vinh whose communes went into a new Vĩnh Long on 01/07/2025 (the reform matrix's world).
The world's 2020 commendations (Tèo of Huyện Tiểu Cần, Nhung of Huyện Càng Long) are counted under Trà Vinh
and its districts as recorded, and under today's communes (Xã Tập Ngãi, Xã Càng Long) rolled up."""

import datetime
import io
import itertools
import pickle

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from awards import selectors as award_selectors
from awards.models import Commendation, Nomination
from tests.login import login_verified
from tests.test_scope_matrix_reform import reformed  # noqa: F401 (the module's shared world)

pytestmark = pytest.mark.usefixtures("world_once", "reformed")


def staff():
    return User.objects.get(username="tinhdoan.vinhlong.moi")


def groups(data) -> list[tuple[str, int, list[tuple[str, int]]]]:
    return [
        (g["province"].name, g["total"], [(r["unit"].name, r["total"]) for r in g["rows"]])
        for g in data["provinces"]
    ]


def test_commendations_as_recorded_are_under_tra_vinh_and_its_districts(world):
    data = award_selectors.statistics(user=staff(), year=2020)
    assert data["per_year"] == {2020: 2}
    assert groups(data) == [("Tỉnh Trà Vinh", 2, [("Huyện Càng Long", 1), ("Huyện Tiểu Cần", 1)])]


def test_commendations_rolled_up_are_under_todays_communes(world):
    data = award_selectors.statistics(user=staff(), year=2020, units="today")
    assert data["per_year"] == {2020: 2}
    assert data["level"] == "commune"
    assert groups(data) == [("Tỉnh Vĩnh Long (mới)", 2, [("Xã Càng Long", 1), ("Xã Tập Ngãi", 1)])]


def test_a_commune_campaigns_commendation_is_under_its_commune_the_past_under_districts(client, world):
    """Commendation statistics go no finer than districts; since the reform there are none: a commendation
    of a commune campaign counts under its commune (once a nameless row, and the page failed on it)."""
    nomination = Nomination.objects.get(commune__code="29365", status=Nomination.Status.SUBMITTED)
    Commendation.objects.create(
        nomination=nomination,
        campaign=nomination.campaign,
        person=nomination.person,
        branch=nomination.branch,
        commune=nomination.commune,
        province=nomination.province,
        year=nomination.campaign.year,
    )
    data = award_selectors.statistics(user=staff())
    assert groups(data) == [
        ("Tỉnh Trà Vinh", 2, [("Huyện Càng Long", 1), ("Huyện Tiểu Cần", 1)]),
        ("Tỉnh Vĩnh Long (mới)", 1, [("Xã Tập Ngãi", 1)]),
    ]
    officer = User.objects.get(username="doanxa.tapngai")
    assert ("Xã Tập Ngãi", 1) in groups(award_selectors.statistics(user=officer))[-1][2]
    login_verified(client, staff())
    page = client.get(reverse("awards:statistics")).content.decode()
    table = page[page.index('id="commendation-statistics"') :]
    assert table.index("Tỉnh Vĩnh Long (mới)") < table.index("Xã Tập Ngãi")


def test_the_page_shows_the_switch_and_keeps_it_with_the_year(client, world):
    login_verified(client, staff())
    recorded = client.get(reverse("awards:statistics"), {"year": 2020}).content.decode()
    today = client.get(reverse("awards:statistics"), {"year": 2020, "units": "today"}).content.decode()
    assert "Như khi ghi nhận" in recorded and "Quy về đơn vị hiện nay" in recorded
    assert "Huyện Tiểu Cần" in recorded and "Xã Tập Ngãi" not in recorded
    assert "Xã Tập Ngãi" in today and "Huyện Tiểu Cần" not in today
    # The year form sends the switch again, and the printed page says which one it is.
    assert 'name="units" value="today"' in today
    assert "data-units-printed>Quy về đơn vị hiện nay<" in today


@pytest.mark.parametrize("units", ["recorded", "today"])
def test_statistics_cost_a_fixed_number_of_queries(client, world, units, count_queries, tieu_can):
    from tests.awards.test_commendations import commend

    login_verified(client, staff())
    url = reverse("awards:statistics")
    with count_queries() as small:
        assert client.get(url, {"units": units}).status_code == 200
    for _ in range(3):
        commend(world["decided_campaign"], tieu_can)
    with count_queries() as large:
        assert client.get(url, {"units": units}).status_code == 200
    assert len(large) == len(small)


def test_commune_officer_home_speaks_of_its_commune(client, world):
    client.force_login(User.objects.get(username="doanxa.tapngai"))
    page = client.get(reverse("home")).content.decode()
    assert "Xã của bạn" in page
    assert "data-report-date" in page  # printed, the first screen says its unit and day
    assert "Các xã trong huyện" not in page
    assert "Bí thư theo tỉnh" not in page


def test_new_province_staff_home_lists_its_communes(client, world):
    from branches.models import Commune
    from tests.factories import BranchFactory

    BranchFactory(commune=Commune.objects.get(code="29350"), name="Ấp Chờ Xã")  # under ended Hiếu Tử: waits
    login_verified(client, staff())
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "Các xã trong tỉnh" in page
    assert "Bí thư theo xã" in page
    assert "Các xã trong huyện" not in page and "Bí thư theo tỉnh" not in page
    # What the figures count beyond its communes' rows waits under an ended commune, linked to the work list.
    number = response.context["branches_elsewhere"]
    assert number == 1
    said = " ".join(page.split())
    assert f"Các số ở trên còn tính {number} chi đoàn đang hoạt động còn thuộc xã đã chấm dứt" in said
    assert reverse("branches:branch_waiting") in said[said.index('data-home="branches-elsewhere"') :]


def test_an_ended_provinces_home_table_holds_every_branch_it_counts(client, world, tra_vinh_staff):
    """Trà Vinh's staff read their former branches, now under today's communes: each is counted in the row
    of the district it was in on 30/06/2025, so the districts' table adds up to the figures above it and
    nothing is left to explain under it (branches.counters.unit_counts, as_on_end)."""
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("home"))
    context = response.context
    in_table = sum(unit.branch_count for unit in context["units"])
    assert context["totals"]["branches"] == in_table > 0
    assert context["branches_elsewhere"] == 0
    page = response.content.decode()
    assert 'data-home="branches-elsewhere"' not in page
    # And that the unit has ended, what its account may still do, and what the figures are.
    assert "Tỉnh Trà Vinh đã chấm dứt ngày 30/06/2025. Tài khoản này xem được hồ sơ của đơn vị" in page
    assert "các ô tổng số dưới đây là tình hình hôm nay của các chi đoàn ấy" in page
    # The table counts as on its last day, and says so (its totals above are today's).
    note = page.split('data-home="counts-on-end">')[1].split("</p>")[0]
    assert "những chi đoàn mà từng đơn vị có vào ngày cuối cùng" in note
    # A commune officer's table holds its whole commune: nothing said.
    client.force_login(User.objects.get(username="doanxa.tapngai"))
    officer = client.get(reverse("home"))
    assert officer.context["branches_elsewhere"] == 0
    assert 'data-home="branches-elsewhere"' not in officer.content.decode()
    assert 'data-home="unit-ended"' not in officer.content.decode()


def test_an_ended_units_home_gives_it_no_work_of_today(client, world, tra_vinh_staff):
    """Terms ending soon are ended and replaced, overdue proposals followed up, by today's units: an account
    of an ended unit reads its former branches' state but is not handed today's to-do (nor its people)."""
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert 'data-stat="vacant"' in page
    assert 'data-stat="ending"' not in page and "Nhiệm kỳ hết hạn" not in page
    assert 'data-stat="overdue-proposals"' not in page
    client.force_login(User.objects.get(username="doanxa.tapngai"))
    page = client.get(reverse("home")).content.decode()
    assert 'data-stat="ending"' in page and 'data-stat="overdue-proposals"' in page


def test_secretaries_export_names_the_unit_of_the_time_and_today(client, world):
    login_verified(client, staff())
    response = client.get(reverse("secretaries:person_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "Đơn vị khi ghi nhận" in row)
    at, now = header.index("Đơn vị khi ghi nhận"), header.index("Đơn vị hiện nay")
    body = {row[header.index("Họ và tên")]: row for row in rows[rows.index(header) + 1 :]}
    teo = body["Nguyễn Văn Tèo"]
    assert teo[at] == "Huyện Tiểu Cần, Tỉnh Trà Vinh"
    assert teo[now] == "Xã Tập Ngãi, Tỉnh Vĩnh Long (mới)"
    # The branch's columns say where it is today, its province too (not the record's Trà Vinh).
    assert teo[header.index("Xã")] == "Xã Tập Ngãi"
    assert teo[header.index("Tỉnh")] == "Tỉnh Vĩnh Long (mới)"


def test_secretaries_export_says_a_waiting_branch_waits_today(client, world):
    """A branch of an ended commune not yet settled is in no commune today: its "Unit today" says it waits,
    in the province it is in today (Trà Vinh's went into Vĩnh Long)."""
    from secretaries.models import Person

    teo = Person.objects.get(full_name="Nguyễn Văn Tèo")
    branch = teo.terms.get(ended_on__isnull=True).branch
    from branches.models import Commune, Province

    ended = Commune.objects.create(
        code="29999",
        name="Xã Chờ",
        province=Province.objects.get(code="84"),
        ended_on=datetime.date(2025, 6, 30),
    )
    type(branch).objects.filter(pk=branch.pk).update(commune=ended)
    login_verified(client, staff())
    response = client.get(reverse("secretaries:person_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "Đơn vị hiện nay" in row)
    body = {row[header.index("Họ và tên")]: row for row in rows[rows.index(header) + 1 :]}
    assert body["Nguyễn Văn Tèo"][header.index("Đơn vị hiện nay")] == (
        "Chờ xác định xã mới (Xã Chờ đến 30/06/2025), Tỉnh Vĩnh Long (mới)"
    )


def test_assessment_summary_as_recorded_and_rolled_up(world):
    from assessments import selectors as assessment_selectors

    framework = world["tieu_can_assessment"].framework
    recorded = assessment_selectors.summary(user=staff(), framework=framework)
    today = assessment_selectors.summary(user=staff(), framework=framework, units="today")
    assert [(r.level, r.unit.name, r.drafts) for r in recorded.units] == [("district", "Huyện Tiểu Cần", 1)]
    assert [(r.level, r.unit.name, r.drafts) for r in today.units] == [("commune", "Xã Tập Ngãi", 1)]


def test_assessment_summary_page_keeps_the_switch(client, world):
    from assessments.models import Assessment
    from assessments.services import assessment_submit

    # Counted once submitted (a draft alone leaves the page at its empty state): through the service, which
    # keeps the report totals.
    assessment_submit(assessment=Assessment.objects.get(pk=world["tieu_can_assessment"].pk))
    login_verified(client, staff())
    page = client.get(reverse("assessments:summary"), {"units": "today"}).content.decode()
    assert "Theo xã hiện nay" in page and "Xã Tập Ngãi" in page
    assert 'name="units" value="today"' in page
    needs = client.get(reverse("assessments:training_needs"), {"units": "today"}).content.decode()
    assert "units=today" in needs  # the export keeps the switch


def test_rolled_up_an_ended_communes_row_says_its_branches_wait(client, world):
    """Rolled up to today's units, a branch still under its ended commune is counted in that commune's row:
    the summary and the training needs say the row holds branches waiting for their new commune, where it
    read as one more commune of today."""
    from assessments.models import Assessment
    from assessments.services import assessment_submit
    from branches.models import Commune, Province

    assessment = Assessment.objects.get(pk=world["tieu_can_assessment"].pk)
    ended = Commune.objects.create(
        code="29998",
        name="Xã Chờ Mới",
        province=Province.objects.get(code="84"),
        ended_on=datetime.date(2025, 6, 30),
    )
    type(assessment.branch).objects.filter(pk=assessment.branch_id).update(commune=ended)
    assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk))  # the totals count it from here
    login_verified(client, staff())
    for name in ("assessments:summary", "assessments:training_needs"):
        page = " ".join(
            client.get(reverse(name), {"units": "today", "threshold": "5"}).content.decode().split()
        )
        assert "Xã Chờ Mới" in page, name
        assert "(đến ngày 30/06/2025) · Chi đoàn chờ xác định xã mới</span>" in page, name
        recorded = " ".join(client.get(reverse(name), {"threshold": "5"}).content.decode().split())
        assert "Chi đoàn chờ xác định xã mới" not in recorded, name


def test_an_ended_province_reads_its_branches_under_todays_communes(world, tra_vinh_staff):
    from secretaries.selectors import vacancy_summary

    level, rows = vacancy_summary(user=tra_vinh_staff)
    # The two re-attached branches are under today's communes, not "directly under the province".
    assert level == "commune"
    assert {(row["level"], row["unit"].name, row["branches"]) for row in rows} == {
        ("commune", "Xã Càng Long", 1),
        ("commune", "Xã Tập Ngãi", 1),
    }


def test_seminars_export_names_the_unit_of_the_time_and_today(client, world):
    from branches.models import Commune
    from seminars.models import Seminar
    from seminars.services import seminar_save

    commune = (
        Commune.objects.filter(began_on__isnull=False).select_related("province").order_by("code").first()
    )
    seminar = seminar_save(
        seminar=Seminar(
            province=commune.province,
            commune=commune,
            title="Bí thư với chuyển đổi số",
            held_on=datetime.date(2026, 3, 1),
        ),
        participants=[],
        themes=[],
        proposals=[],
    )
    login_verified(client, staff())
    response = client.get(reverse("seminars:seminar_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "Đơn vị khi ghi nhận" in row)
    body = rows[rows.index(header) + 1 :]
    assert body, "the world's Tiểu Cần seminar"
    at, now = header.index("Đơn vị khi ghi nhận"), header.index("Đơn vị hiện nay")
    by_commune = f"{commune.name}, {commune.province.name}"  # the commune, not only its province
    assert {(row[at], row[now]) for row in body} == {
        ("Huyện Tiểu Cần, Tỉnh Trà Vinh", "Tỉnh Vĩnh Long (mới)"),
        (by_commune, by_commune),
    }
    # Its page's breadcrumbs go through the commune too.
    page = client.get(seminar.get_absolute_url()).content.decode()
    crumbs = page[page.index('class="breadcrumb') : page.index("</ol>")]
    assert commune.name in crumbs


def _grow(world, n: int, batch: str) -> None:
    """More branches of today's communes, each with a secretary and a submitted assessment, and more
    commendations of 2020 under the old districts: the rows of every report grow, not its queries."""
    from assessments.services import assessment_save, framework_criteria
    from branches.models import Commune
    from tests.awards.test_commendations import commend
    from tests.factories import BranchFactory, person_with_term

    framework = world["tieu_can_assessment"].framework
    criteria = framework_criteria(framework)
    for i, commune in enumerate(Commune.objects.filter(began_on__isnull=False).order_by("code")[:2]):
        for j in range(n):
            branch = BranchFactory(commune=commune, name=f"Ấp Mới {batch} {i}-{j}")
            person = person_with_term(branch=branch)
            assessment_save(
                person=person,
                framework=framework,
                assessor=staff(),
                values={c.pk: 2 for c in criteria},
                submit=True,
            )
    for district in {world["tieu_can_person"].district, world["cang_long_person"].district}:
        commend(world["decided_campaign"], district)


USERNAMES = ["tinhdoan.vinhlong.moi", "doanxa.tapngai", "tinhdoan.travinh"]
REPORTS = ["home", "awards:statistics", "assessments:summary", "assessments:training_needs"]
MODES = ["recorded", "today"]


@pytest.fixture(scope="module")
def report_queries(world_once, django_db_blocker, request) -> dict:
    """The queries of each report for each user and mode: on the world, after it grew a little, after it
    grew more. Measured once for the module (growing the data costs a second each time) in a savepoint
    undone at the end, so the module's other tests see the world as it was; asserted case by case below."""
    request.getfixturevalue("reformed")  # the module's new world, built before the savepoint
    world = pickle.loads(world_once)["world"]
    counts = {}
    with django_db_blocker.unblock():
        savepoint = transaction.savepoint()
        try:
            clients = {}
            for username in USERNAMES:
                user = User.objects.get(username=username)
                client = Client()
                if user.is_commune_officer:
                    client.force_login(user)
                else:
                    login_verified(client, user)
                clients[username] = client
            for stage, growth in (("first", None), ("small", (2, "A")), ("large", (4, "B"))):
                if growth:
                    _grow(world, *growth)
                for username, report, units in itertools.product(USERNAMES, REPORTS, MODES):
                    with CaptureQueriesContext(connection) as queries:
                        status = clients[username].get(reverse(report), {"units": units, "threshold": "5"})
                    counts[username, report, units, stage] = (status.status_code, len(queries))
        finally:
            transaction.savepoint_rollback(savepoint)
    return counts


@pytest.mark.parametrize("units", MODES)
@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize("username", USERNAMES)
def test_reports_cost_a_fixed_number_of_queries_in_both_worlds(report_queries, units, url, username):
    (first_status, first), (small_status, small), (large_status, large) = (
        report_queries[username, url, units, stage] for stage in ("first", "small", "large")
    )
    assert first_status == small_status == large_status == 200
    # Units are loaded once per level a table holds (the first growth brings today's communes beside the
    # old districts), and a list with nobody in it is not read (training needs: its rows by their ids, an
    # empty id list costs no query): at most two queries more, then none whatever the rows.
    assert small <= first + 2
    assert large == small


def test_a_secretarys_own_data_names_the_unit_that_keeps_the_record_today(
    client, world, tieu_can_secretary_account
):
    """Tèo's branch went into Xã Tập Ngãi of Vĩnh Long on 01/07/2025: his own download says so, and the
    units his record was made under beside it."""
    client.force_login(tieu_can_secretary_account)
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("own:export")).streaming_content)))
    rows = {row[1]: row[2] for row in workbook.worksheets[0].iter_rows(values_only=True) if row[1]}
    assert rows["Đơn vị quản lý hồ sơ"] == "Xã Tập Ngãi, Tỉnh Vĩnh Long (mới)"
    assert rows["Đơn vị khi ghi nhận"] == "Huyện Tiểu Cần, Tỉnh Trà Vinh"


def test_an_ended_provinces_home_totals_its_table_and_says_why_it_differs_from_today(
    client, world, tra_vinh_staff
):
    """A total row under the districts' table (as on the last day), and once a branch stopped working since,
    one sentence giving both sums: the table's and the figures' of today."""
    from branches.models import Branch
    from branches.services import SplitPart
    from secretaries.services import branch_split_with_terms

    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("home"))
    page = " ".join(response.content.decode().split())
    in_table = sum(unit.branch_count for unit in response.context["units"])
    members = sum(unit.member_count for unit in response.context["units"])
    total = page.split("data-unit-total>")[1].split("</tfoot>")[0]
    assert "Tổng" in total and f'<td class="text-end">{in_table}</td>' in total
    assert f'<td class="text-end">{members}</td>' in total
    assert 'data-home="sums-differ"' not in page
    # Split in 2026 by today's province: the table counts the branch it had on its last day; the figures of
    # today no longer do (its parts are today's province's, founded after Trà Vinh's end).
    branch = Branch.objects.visible_to(tra_vinh_staff).active().filter(member_count__gte=2).order_by("pk")[0]
    half = branch.member_count // 2
    parts = [
        SplitPart(name=f"{branch.name} A", kind=branch.kind, member_count=half),
        SplitPart(name=f"{branch.name} B", kind=branch.kind, member_count=branch.member_count - half),
    ]
    branch_split_with_terms(branch=branch, parts=parts, on=datetime.date(2026, 3, 1), user=staff())
    response = client.get(reverse("home"))
    page = " ".join(response.content.decode().split())
    today = response.context["totals"]
    assert today["branches"] == in_table - 1
    said = page.split('data-home="sums-differ">')[1].split("</span>")[0]
    assert f"({in_table} chi đoàn, {members} đoàn viên, vào ngày cuối cùng)" in said
    assert f"({today['branches']} chi đoàn đang hoạt động, {today['members']} đoàn viên, hôm nay)" in said
