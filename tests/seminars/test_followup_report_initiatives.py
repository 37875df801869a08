"""The follow-up of proposals, the seminar report and its export, models/solutions, and the home panel.

Scope is proved for every URL in scope_cases_followup.py (the matrix); here the numbers and the rules.
"""

import datetime
import itertools
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from seminars.models import Initiative, Proposal, Seminar
from seminars.services import seminar_save
from tests.conftest import assert_counts_did_not_grow
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


_NUMBERS = itertools.count(1)


def make_seminar(district, held_on, participants=(), proposals=(), title=None, province=None):
    # Numbered titles: one unit records one seminar of a title a day (seminars.services).
    title = title or f"Tọa đàm thử {next(_NUMBERS)}"
    return seminar_save(
        seminar=Seminar(
            province=province or district.province, district=district, title=title, held_on=held_on
        ),
        participants=list(participants),
        themes=[{"title": "Vai trò của bí thư chi đoàn"}],
        proposals=list(proposals),
    )


def proposal(text, due_on=None, status="de_xuat"):
    return {"text": text, "responsible": "Huyện đoàn", "due_on": due_on, "status": status}


# ---------------------------------------------------------------------------------------------------
# Follow-up


class TestFollowup:
    def test_overdue_first_then_by_due_date(self, client, tieu_can_officer, world, tieu_can):
        today = datetime.date.today()
        make_seminar(
            tieu_can,
            D(2024, 5, 1),
            proposals=[
                proposal("Không hạn"),
                proposal("Sắp đến hạn", today + datetime.timedelta(days=10)),
                proposal("Quá hạn lâu", today - datetime.timedelta(days=300)),
                proposal("Đang làm, quá hạn", today - datetime.timedelta(days=3), "dang_thuc_hien"),
                proposal("Đã xong", today - datetime.timedelta(days=400), "hoan_thanh"),
                proposal("Đã dừng", today - datetime.timedelta(days=400), "dung"),
            ],
        )
        client.force_login(tieu_can_officer)
        response = client.get(reverse("seminars:followup"))
        texts = [p.text for p in response.context["proposals"]]
        assert texts == [
            "Tập huấn kỹ năng điều hành",  # the world's proposal, due 31/12/2021
            "Quá hạn lâu",
            "Đang làm, quá hạn",
            "Sắp đến hạn",
            "Không hạn",
        ]
        html = response.content.decode()
        assert html.count("data-overdue") == 3
        assert "Nâng cao chất lượng Bí thư Chi đoàn" in html  # the seminar of each proposal

    def test_filters(self, client, tra_vinh_staff, world, cang_long):
        make_seminar(
            cang_long, D(2024, 5, 1), proposals=[proposal("Xây dựng câu lạc bộ", status="dang_thuc_hien")]
        )
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:followup")
        assert len(client.get(url).context["proposals"]) == 2
        by_district = client.get(url, {"district": cang_long.pk}).context["proposals"]
        assert [p.text for p in by_district] == ["Xây dựng câu lạc bộ"]
        by_status = client.get(url, {"status": "de_xuat"}).context["proposals"]
        assert [p.text for p in by_status] == ["Tập huấn kỹ năng điều hành"]
        by_text = client.get(url, {"q": "câu lạc"}).context["proposals"]
        assert [p.text for p in by_text] == ["Xây dựng câu lạc bộ"]
        by_seminar = client.get(url, {"q": "chat luong"}).context["proposals"]  # the seminar's title, folded
        assert [p.text for p in by_seminar] == ["Tập huấn kỹ năng điều hành"]

    def test_a_filter_that_keeps_nothing_does_not_say_all_is_settled(self, client, tra_vinh_staff, world):
        """QA: a search that found nothing said every proposed solution had been settled while some were
        open (and overdue). Filtered, it says that none matches, with a link clearing the filter."""
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:followup")
        html = " ".join(client.get(url, {"q": "zzzzz"}).content.decode().split())
        empty = html[html.index("data-empty") : html.index("</td>", html.index("data-empty"))]
        assert "Không có đề xuất đang mở nào phù hợp." in empty
        assert f'<a href="{url}">Xóa bộ lọc</a>' in empty
        assert "đã được giải quyết" not in html
        # Without a filter, nothing open is what it says.
        Proposal.objects.update(status="hoan_thanh", result="Xong")
        html = " ".join(client.get(url).content.decode().split())
        assert "Không có đề xuất nào đang mở: mọi đề xuất giải pháp đã được giải quyết." in html
        assert "phù hợp" not in html

    def test_status_change_through_the_page(self, client, tieu_can_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(tieu_can_officer)
        page = reverse("seminars:followup") + "?status=de_xuat"
        html = client.get(page).content.decode()
        assert reverse("seminars:proposal_update", args=[item.pk]) in html
        response = client.post(
            reverse("seminars:proposal_update", args=[item.pk]),
            {"status": "hoan_thanh", "result": "Đã tập huấn 40 bí thư", "next": page},
        )
        assert response.status_code == 302 and response["Location"] == page
        item.refresh_from_db()
        assert (item.status, item.result) == ("hoan_thanh", "Đã tập huấn 40 bí thư")
        assert item.history.first().history_type == "~"
        assert [str(m) for m in get_messages(response.wsgi_request)]
        # Done: it leaves the list of open ones, and is found again under "done".
        assert not client.get(reverse("seminars:followup")).context["proposals"]
        done = client.get(reverse("seminars:followup"), {"status": "hoan_thanh"})
        assert list(done.context["proposals"]) == [item]
        assert (
            "1 đề xuất" in done.content.decode()
            and "đang mở" not in done.content.decode().split('data-result-count="1"')[1].split("</p>")[0]
        )

    def test_an_unknown_status_is_refused(self, client, tieu_can_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(tieu_can_officer)
        response = client.post(reverse("seminars:proposal_update", args=[item.pk]), {"status": "xong"})
        # Said next to the field, on the proposal's own page (it was a message above the list).
        assert response.status_code == 200 and "status" in response.context["form"].errors
        item.refresh_from_db()
        assert item.status == "de_xuat"

    def test_done_says_what_came_of_it(self, client, tieu_can_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(tieu_can_officer)
        url = reverse("seminars:proposal_update", args=[item.pk])
        response = client.post(url, {"status": "hoan_thanh", "result": "  "})
        assert response.status_code == 200
        assert response.context["form"].errors["result"] == [
            "Hãy ghi kết quả: đề xuất đã hoàn thành cần có kết quả."
        ]
        assert 'value="hoan_thanh" selected' in response.content.decode()
        item.refresh_from_db()
        assert item.status == "de_xuat"
        # The seminar's own form holds to it too (the model's rule).
        item.status, item.result = "hoan_thanh", ""
        with pytest.raises(ValidationError):
            item.full_clean()

    def test_a_foreign_next_is_not_followed(self, client, tieu_can_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("seminars:proposal_update", args=[item.pk]),
            {"status": "dang_thuc_hien", "next": "https://example.com/"},
        )
        assert response["Location"] == reverse("seminars:followup")

    def test_another_districts_proposal_cannot_be_updated_nor_seen(self, client, cang_long_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(cang_long_officer)
        response = client.post(
            reverse("seminars:proposal_update", args=[item.pk]), {"status": "dung", "result": "x"}
        )
        assert response.status_code == 404
        item.refresh_from_db()
        assert (item.status, item.result) == ("de_xuat", "")
        html = client.get(reverse("seminars:followup")).content.decode()
        assert "Tập huấn kỹ năng điều hành" not in html and "Tiểu Cần" not in html

    def test_a_proposal_is_followed_up_from_its_seminar(self, client, tieu_can_officer, world):
        """QA: the seminar's page listed its proposals without a way to update them. Each links to its own
        follow-up page, which comes back to the seminar (and offers to cancel back to it)."""
        seminar = world["tieu_can_seminar"]
        item = seminar.proposals.get()
        client.force_login(tieu_can_officer)
        update = reverse("seminars:proposal_update", args=[item.pk])
        back = seminar.get_absolute_url()
        assert f'href="{update}?next={back}"' in client.get(back).content.decode()
        page = client.get(update, {"next": back})
        assert page.status_code == 200 and page.context["form"].initial["status"] == "de_xuat"
        assert f'href="{back}"' in page.content.decode()
        response = client.post(update, {"status": "dang_thuc_hien", "next": back})
        assert response.status_code == 302 and response["Location"] == back
        item.refresh_from_db()
        assert item.status == "dang_thuc_hien"

    def test_another_districts_proposal_page_is_not_found(self, client, cang_long_officer, world):
        item = world["tieu_can_seminar"].proposals.get()
        client.force_login(cang_long_officer)
        assert client.get(reverse("seminars:proposal_update", args=[item.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Report


#: the report's year: its share of today's secretaries is this year's only (seminars.selectors.seminar_report)
YEAR = timezone.localdate().year


@pytest.fixture
def this_year(world, tieu_can, cang_long, hieu_tu, tra_vinh, long_ho, thanh_duc):
    """Tiểu Cần: four current secretaries (Tèo, A, B, C) and a deputy (D); two seminars this year with Tèo
    twice, A, B and the deputy: 4 people reached, 3 of 4 secretaries (75%). Càng Long: one seminar with
    its secretary. The province's own seminar: Càng Long's secretary. Vĩnh Long: one seminar."""
    teo, nhung = world["tieu_can_person"], world["cang_long_person"]
    a, b, c = (person_with_term(branch=BranchFactory(commune=hieu_tu)) for _ in range(3))
    deputy = person_with_term(branch=BranchFactory(commune=hieu_tu), role="pho_bi_thu")
    make_seminar(tieu_can, D(YEAR, 3, 1), [teo, a, deputy])
    make_seminar(tieu_can, D(YEAR, 9, 1), [teo, b])
    make_seminar(tieu_can, D(YEAR - 1, 9, 1), [c])  # another year
    make_seminar(cang_long, D(YEAR, 5, 5), [nhung])
    make_seminar(None, D(YEAR, 6, 6), [nhung], province=tra_vinh, title="Tọa đàm cấp tỉnh")
    vinh_long_person = person_with_term(branch=BranchFactory(commune=thanh_duc))
    make_seminar(long_ho, D(YEAR, 4, 4), [vinh_long_person])
    return {"teo": teo, "a": a, "b": b, "c": c}


def numbers(row):
    return (row.seminars, row.participants, row.secretaries, row.attended)


class TestReport:
    def test_provincial_staff_see_each_district_and_the_province_level(
        self, client, tra_vinh_staff, this_year
    ):
        login_verified(client, tra_vinh_staff)
        report = client.get(reverse("seminars:report"), {"year": YEAR}).context["report"]
        rows = {row.unit.name if row.unit else None: row for row in report.rows}
        assert list(rows) == ["Huyện Càng Long", "Huyện Tiểu Cần", None]
        assert numbers(rows["Huyện Tiểu Cần"]) == (2, 4, 4, 3)
        assert rows["Huyện Tiểu Cần"].share == 75.0
        assert numbers(rows["Huyện Càng Long"]) == (1, 1, 1, 1)
        assert numbers(rows[None]) == (1, 1, 0, 0) and rows[None].share is None
        # Distinct people over the province: Càng Long's secretary is counted once, not twice.
        assert numbers(report.total) == (4, 5, 5, 4)

    def test_rows_are_drawn_escaped(self, client, tra_vinh_staff, world, this_year):
        """The rows are drawn in the view (followup_views.draw_report_rows): each unit's name escaped, its
        counts and share in Vietnamese, the province's own row without a share (no secretaries of its own)."""
        district = world["tieu_can"].commune.district
        district.name = "Huyện <b>Tiểu</b> Cần"
        district.save(update_fields=["name"])
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("seminars:report"), {"year": YEAR}).content.decode()
        row = html.split(f'<tr data-unit="{district.pk}">')[1].split("</tr>")[0]
        # This year the district works; an ended one's row: tests/seminars/test_new_world.py.
        assert district.ended_on is None
        assert row.startswith("<td>Huyện &lt;b&gt;Tiểu&lt;/b&gt; Cần</td>") and "<b>" not in row
        assert '<td class="text-end" data-participants>4</td>' in row
        assert (
            '<td class="text-end text-nowrap" data-share>75,0% '
            '<span class="small text-muted d-block d-sm-inline">(3)</span></td>' in row
        )
        province = html.split('<tr data-unit="province">')[1].split("</tr>")[0]
        assert province.startswith("<td>Cấp tỉnh</td>") and "data-share>—</td>" in province

    def test_each_units_seminars_open_the_seminar_list_of_that_unit_and_year(
        self, client, tra_vinh_staff, tieu_can_officer, world, this_year
    ):
        """QA: the report was a dead end: "Huyện Tiểu Cần 2 tọa đàm" could not be opened to see which two."""
        district = world["tieu_can"].commune.district
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("seminars:report"), {"year": YEAR}).content.decode()
        row = html.split(f'<tr data-unit="{district.pk}">')[1].split("</tr>")[0]
        link = f"{reverse('seminars:seminar_list')}?district={district.pk}&amp;year={YEAR}"
        assert f'data-seminars><a href="{link}">2</a></td>' in row
        listed = client.get(link.replace("&amp;", "&")).context["seminars"]
        assert sorted(s.held_on for s in listed) == [D(YEAR, 3, 1), D(YEAR, 9, 1)]
        province = html.split('<tr data-unit="province">')[1].split("</tr>")[0]
        link = province.split('href="')[1].split('"')[0].replace("&amp;", "&")
        assert link == f"{reverse('seminars:seminar_list')}?level=province&year={YEAR}"
        assert [s.title for s in client.get(link).context["seminars"]] == ["Tọa đàm cấp tỉnh"]
        # An officer's list has no unit filter (and holds the seminars its secretaries attended elsewhere).
        client.force_login(tieu_can_officer)
        html = client.get(reverse("seminars:report"), {"year": YEAR}).content.decode()
        assert "data-seminars><a" not in html

    def test_columns_sort_on_the_page_and_in_the_export(self, client, tra_vinh_staff, this_year):
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:report")
        page = client.get(url, {"year": YEAR})
        html = page.content.decode()
        for key in ("unit", "seminars", "participants", "secretaries", "share"):
            assert f'href="?year={YEAR}&amp;o={key}"' in html
        ordered = client.get(url, {"year": YEAR, "o": "-seminars"})
        names = [r.unit.name if r.unit else None for r in ordered.context["report"].rows]
        assert names == ["Huyện Tiểu Cần", "Huyện Càng Long", None]  # ties in the report's order
        by_share = client.get(url, {"year": YEAR, "o": "share"}).context["report"].rows
        assert [r.unit.name if r.unit else None for r in by_share] == [
            None,
            "Huyện Tiểu Cần",
            "Huyện Càng Long",
        ]
        assert "o=-seminars" in ordered.content.decode().split("report/export.xlsx")[1][:80]
        export = read_export(client.get(reverse("seminars:report_export"), {"year": YEAR, "o": "-seminars"}))
        assert [row[1] for row in export.rows][:3] == ["Huyện Tiểu Cần", "Huyện Càng Long", "Cấp tỉnh"]
        # Nonsense is the report's own order.
        same = client.get(url, {"year": YEAR, "o": "pk"}).context["report"].rows
        assert [r.unit.name if r.unit else None for r in same] == ["Huyện Càng Long", "Huyện Tiểu Cần", None]

    def test_district_officer_sees_their_district_only(self, client, tieu_can_officer, this_year):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("seminars:report"), {"year": YEAR})
        report = response.context["report"]
        assert [row.unit.name for row in report.rows] == ["Huyện Tiểu Cần"]
        assert numbers(report.rows[0]) == (2, 4, 4, 3)
        assert "75,0%" in response.content.decode()

    def test_cang_long_officer_never_sees_tieu_can(self, client, cang_long_officer, this_year):
        client.force_login(cang_long_officer)
        response = client.get(reverse("seminars:report"), {"year": YEAR})
        report = response.context["report"]
        assert [row.unit.name for row in report.rows] == ["Huyện Càng Long"]
        assert numbers(report.total) == (1, 1, 1, 1)
        assert "Tiểu Cần" not in response.content.decode()
        export = sheet_rows(client.get(reverse("seminars:report_export"), {"year": YEAR}))
        assert not any("Tiểu Cần" in str(cell) for row in export for cell in row)

    def test_administrator_sees_per_province(self, client, administrator, this_year):
        login_verified(client, administrator)
        report = client.get(reverse("seminars:report"), {"year": YEAR}).context["report"]
        assert report.level == "province"
        rows = {row.unit.name: numbers(row) for row in report.rows}
        assert rows == {"Tỉnh Trà Vinh": (4, 5, 5, 4), "Tỉnh Vĩnh Long": (1, 1, 1, 1)}

    def test_the_countrys_secretaries_are_summed_from_the_counters_as_the_terms_count_them(
        self, client, administrator, this_year
    ):
        """The administrator's report reads the communes' counters (seminars.selectors.national_secretaries):
        the same as counting the terms, a deactivated branch's secretary included."""
        from django.db.models import Count, Q

        from branches.services import branch_deactivate
        from secretaries.models import Term
        from seminars.models import Attendance
        from seminars.selectors import national_secretaries

        branch_deactivate(branch=this_year["a"].terms.get().branch)  # its secretary is still in office
        attended = Q(person__in=Attendance.objects.filter(year=YEAR).values("person"))
        key = "branch__commune__province"
        counted = {
            row[key]: {"secretaries": row["secretaries"], "attended": row["attended"]}
            for row in Term.objects.current()
            .secretaries()
            .values(key)
            .annotate(secretaries=Count("pk"), attended=Count("pk", filter=attended))
        }
        assert national_secretaries(term_key=key, attended=attended) == counted
        login_verified(client, administrator)
        report = client.get(reverse("seminars:report"), {"year": YEAR}).context["report"]
        assert {row.unit.name: numbers(row) for row in report.rows}["Tỉnh Trà Vinh"] == (4, 5, 5, 4)

    def test_a_past_year_says_no_share_of_todays_secretaries(self, client, tieu_can_officer, this_year):
        """Today's secretaries are not those of a past year (most have left, today's communes did not
        exist): its report counts the seminars and who took part, and says why there is no share."""
        client.force_login(tieu_can_officer)
        response = client.get(reverse("seminars:report"), {"year": YEAR - 1})
        report = response.context["report"]
        assert not report.current and numbers(report.rows[0]) == (1, 1, None, None)
        html = " ".join(response.content.decode().split())
        assert "data-share" not in html and "data-secretaries" not in html
        assert f"bí thư của năm {YEAR - 1}" in html
        export = sheet_rows(client.get(reverse("seminars:report_export"), {"year": YEAR - 1}))
        header = next(row for row in export if row[0] == "Năm")
        assert header == ("Năm", "Huyện", "Tọa đàm", "Bí thư, phó bí thư tham dự")

    def test_the_latest_year_by_default_and_nonsense_ignored(self, client, tieu_can_officer, this_year):
        client.force_login(tieu_can_officer)
        assert client.get(reverse("seminars:report")).context["report"].year == YEAR
        assert client.get(reverse("seminars:report"), {"year": "abc"}).context["report"].year == YEAR

    def test_export(self, client, tra_vinh_staff, this_year):
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("seminars:report_export"), {"year": YEAR})
        assert response["Content-Disposition"].endswith(f'"toa-dam-{YEAR}.xlsx"')
        rows = sheet_rows(response)
        assert rows[0][:3] == ("Năm", "Huyện", "Tọa đàm")
        with override("vi"):  # the labels as the catalogue has them
            assert rows[1:] == [
                (YEAR, "Huyện Càng Long", 1, 1, 1, 1, 100.0),
                (YEAR, "Huyện Tiểu Cần", 2, 4, 4, 3, 75.0),
                (YEAR, gettext("Province level"), 1, 1, 0, 0, None),
                (YEAR, gettext("Total"), 4, 5, 5, 4, 80.0),
            ]

    def test_export_is_laid_out_for_sending(self, client, tra_vinh_staff, this_year):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse("seminars:report_export"), {"year": YEAR}))
        assert_staff_layout(
            export,
            title=f"Báo cáo tọa đàm năm {YEAR}",
            unit="Tỉnh Trà Vinh",
            numbers=("Năm", "Tọa đàm", "Bí thư, phó bí thư tham dự", "Tỷ lệ bí thư hiện tại đã tham dự (%)"),
        )
        # The total is no item of the list: not numbered, in bold.
        from core.excel import HEADER_ROW

        last = HEADER_ROW + len(export.rows)
        assert export.rows[-1][1] == "Tổng" and export.sheet.cell(row=last, column=1).value is None
        assert export.sheet.cell(row=last, column=2).font.b


def sheet_rows(response):
    return table_rows(response)


# ---------------------------------------------------------------------------------------------------
# Models and solutions


def initiative_data(**overrides):
    return {
        "name": "Nâng cao kỹ năng điều hành, quản lý của bí thư chi đoàn ấp, khóm",
        "description": "Bồi dưỡng kỹ năng cho bí thư chi đoàn",
        "programme": "",
        "from_year": "2019",
        "to_year": "2022",
        "results": "",
        **overrides,
    }


class TestInitiatives:
    def test_district_officer_creates_one_for_their_district(self, client, tieu_can_officer, world, hieu_tu):
        from seminars.models import Programme

        programme = Programme.objects.create(
            province=hieu_tu.province,
            district=hieu_tu.district,
            name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
            from_year=2019,
            to_year=2022,
        )
        client.force_login(tieu_can_officer)
        form = client.get(reverse("seminars:initiative_create")).context["form"]
        assert "district" not in form.fields and "province" not in form.fields
        assert list(form.fields["communes"].queryset) == [hieu_tu]
        assert list(form.fields["programme"].queryset) == [programme]
        response = client.post(
            reverse("seminars:initiative_create"),
            initiative_data(
                programme=programme.pk,
                communes=[hieu_tu.pk],
                branches=[world["tieu_can"].pk],
                seminars=[world["tieu_can_seminar"].pk],
            ),
        )
        initiative = Initiative.objects.get(name__startswith="Nâng cao kỹ năng điều hành, quản lý của")
        assert response["Location"] == initiative.get_absolute_url()
        assert (initiative.district, initiative.province) == (hieu_tu.district, hieu_tu.province)
        assert list(initiative.communes.all()) == [hieu_tu]
        assert list(initiative.branches.all()) == [world["tieu_can"]]
        assert list(initiative.seminars.all()) == [world["tieu_can_seminar"]]
        html = client.get(initiative.get_absolute_url()).content.decode()
        assert "Xã Hiếu Tử" in html and "Ấp Cây Gòn" in html and "Nâng cao chất lượng Bí thư Chi đoàn" in html
        assert "2019–2022" in html

    def test_choices_from_another_district_are_refused(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.post(
            reverse("seminars:initiative_create"),
            initiative_data(
                communes=[world["tieu_can"].commune.pk],
                branches=[world["tieu_can"].pk],
                seminars=[world["tieu_can_seminar"].pk],
            ),
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"communes", "branches", "seminars"}
        assert not Initiative.objects.filter(district__code="844").exists()

    def test_provincial_staff_choose_the_organiser_within_its_area(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        cang_long = world["cang_long"].commune.district
        # A Càng Long model applied in a Tiểu Cần commune: outside the organiser's area.
        response = client.post(
            reverse("seminars:initiative_create"),
            initiative_data(district=cang_long.pk, communes=[world["tieu_can"].commune.pk]),
        )
        assert "communes" in response.context["form"].errors
        response = client.post(
            reverse("seminars:initiative_create"),
            initiative_data(name="Mô hình cấp tỉnh", communes=[world["tieu_can"].commune.pk]),
        )
        initiative = Initiative.objects.get(name="Mô hình cấp tỉnh")
        assert initiative.district is None and initiative.province.code == "84"

    def test_its_pages_sit_under_seminars_as_the_list_does(self, client, tieu_can_officer, world):
        """QA: the create, detail and edit pages dropped the "Tọa đàm" level the list's breadcrumbs have."""
        initiative = world["tieu_can_initiative"]
        client.force_login(tieu_can_officer)

        def crumbs(url):
            html = client.get(url).content.decode()
            trail = html[html.index('<ol class="breadcrumb') : html.index("</ol>")]
            return [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in trail.split("</li>")][:-1]

        under = ["Tổng quan", "Tọa đàm", "Mô hình, giải pháp"]
        assert crumbs(reverse("seminars:initiative_list")) == under
        assert crumbs(reverse("seminars:initiative_create"))[:-1] == under
        assert crumbs(initiative.get_absolute_url())[:3] == under
        assert crumbs(initiative.get_absolute_url())[-1] == initiative.name
        assert crumbs(reverse("seminars:initiative_update", args=[initiative.pk]))[:-1] == under

    def test_no_programme_reads_as_on_the_seminar_form(self, client, tieu_can_officer, world):
        """QA: the models form's empty programme read Django's "---------", the seminar form's "— Không —"."""
        client.force_login(tieu_can_officer)
        for url in (reverse("seminars:initiative_create"), reverse("seminars:seminar_create")):
            programme = str(client.get(url).context["form"]["programme"])
            assert '<option value="" selected>— Không —</option>' in programme, url
            assert "---------" not in programme

    def test_years_in_order(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        response = client.post(reverse("seminars:initiative_create"), initiative_data(to_year="2018"))
        assert "to_year" in response.context["form"].errors

    def test_a_refused_save_is_summarised_above_the_form(self, client, tieu_can_officer, world):
        """QA: the errors were said only beside the year fields, below the fold on a phone; the seminar
        form's summary (core.forms.ErrorSummary) says above it that nothing was saved."""
        client.force_login(tieu_can_officer)
        response = client.post(reverse("seminars:initiative_create"), initiative_data(to_year="2018"))
        html = " ".join(response.content.decode().split())
        summary = html[html.index('id="form-errors"') :]
        assert summary.index("</div>") < summary.index("data-warn-unsaved")  # above the form
        summary = summary[: summary.index("</div>")]
        assert "Một số mục cần sửa. Chưa lưu gì." in summary
        assert 'href="#id_to_year"' in summary

    def test_edit(self, client, tieu_can_officer, world):
        initiative = world["tieu_can_initiative"]
        client.force_login(tieu_can_officer)
        extra = BranchFactory(commune=world["tieu_can"].commune, name="Ấp Tân Hòa")
        response = client.post(
            reverse("seminars:initiative_update", args=[initiative.pk]),
            initiative_data(name=initiative.name, branches=[extra.pk], results="Bí thư điều hành tốt hơn"),
        )
        assert response["Location"] == initiative.get_absolute_url()
        initiative.refresh_from_db()
        assert initiative.results == "Bí thư điều hành tốt hơn" and initiative.to_year == 2022
        assert list(initiative.branches.all()) == [extra]
        form = client.get(reverse("seminars:initiative_update", args=[initiative.pk])).context["form"]
        assert "selected>Ấp Tân Hòa — Xã Hiếu Tử</option>" in str(form["branches"])

    def test_list_and_search(self, client, tra_vinh_staff, world, cang_long):
        Initiative.objects.create(
            province=cang_long.province, district=cang_long, name="Chi đoàn số", from_year=2023
        )
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:initiative_list")
        assert len(client.get(url).context["initiatives"]) == 2
        found = client.get(url, {"q": "ky nang dieu hanh"}).context["initiatives"]
        assert [i.name for i in found] == ["Nâng cao kỹ năng điều hành, quản lý"]
        assert [i.name for i in client.get(url, {"year": 2024}).context["initiatives"]] == [
            "Chi đoàn số",
            "Nâng cao kỹ năng điều hành, quản lý",
        ]
        assert [i.name for i in client.get(url, {"district": cang_long.pk}).context["initiatives"]] == [
            "Chi đoàn số"
        ]

    def test_seminar_autocomplete_is_scoped(self, client, cang_long_officer, tieu_can_officer, world):
        url = reverse("seminars:initiative_seminar_autocomplete")
        client.force_login(cang_long_officer)
        assert client.get(url, {"q": "chat luong"}).json() == {"results": []}
        client.force_login(tieu_can_officer)
        results = client.get(url, {"q": "chat luong"}).json()["results"]
        assert results == [
            {
                "value": world["tieu_can_seminar"].pk,
                "text": "Nâng cao chất lượng Bí thư Chi đoàn (15/06/2021)",
            }
        ]


# ---------------------------------------------------------------------------------------------------
# Home panel


class TestHomePanel:
    def test_district_officer_sees_their_overdue_proposals(
        self, client, tieu_can_officer, cang_long_officer, world
    ):
        client.force_login(tieu_can_officer)
        html = client.get(reverse("home")).content.decode()
        assert 'data-stat="overdue-proposals">1<' in html
        assert reverse("seminars:followup") in html
        client.force_login(cang_long_officer)
        html = client.get(reverse("home")).content.decode()
        assert 'data-stat="overdue-proposals">0<' in html

    def test_provincial_staff_see_them_per_district(self, client, tra_vinh_staff, world, cang_long):
        past = datetime.date.today() - datetime.timedelta(days=5)
        make_seminar(cang_long, D(2024, 1, 1), proposals=[proposal("Một", past), proposal("Hai", past)])
        make_seminar(cang_long, D(2024, 2, 1), proposals=[proposal("Chưa đến hạn", D(2999, 1, 1))])
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("home"))
        html = response.content.decode()
        assert 'data-stat="overdue-proposals">3<' in html
        table = html[html.index('id="overdue-per-district"') :]
        # Named as the Union names its organisers (issue 14).
        assert table.index("Huyện đoàn Càng Long") < table.index("Huyện đoàn Tiểu Cần")
        assert f"?district={cang_long.pk}" in table

    def test_of_many_organisers_the_most_overdue_are_listed(
        self, client, tra_vinh_staff, world, cang_long, monkeypatch
    ):
        from seminars import home

        monkeypatch.setattr(home, "SHOWN_ORGANISERS", 1)
        past = datetime.date.today() - datetime.timedelta(days=5)
        make_seminar(cang_long, D(2024, 1, 1), proposals=[proposal("Một", past), proposal("Hai", past)])
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("home")).content.decode()
        table = html[html.index('id="overdue-per-district"') :]
        table = table[: table.index("</table>") + 200]
        # Càng Long (2 overdue) is listed; Tiểu Cần (1) is left to the follow-up page, which has both.
        assert "Huyện đoàn Càng Long" in table and "Huyện đoàn Tiểu Cần" not in table
        assert "Xem tất cả 2" in table


# ---------------------------------------------------------------------------------------------------
# Query counts


def _grow(world, n):
    district = world["tieu_can"].commune.district
    past = datetime.date.today() - datetime.timedelta(days=30)
    for i in range(n):
        commune = CommuneFactory(district=district)
        people = [person_with_term(branch=BranchFactory(commune=commune)) for _ in range(3)]
        seminar = make_seminar(
            district,
            D(2021, 3, 1 + i),
            people,
            proposals=[proposal(f"Đề xuất {i}", past), proposal(f"Đề xuất khác {i}", None, "dang_thuc_hien")],
        )
        initiative = Initiative.objects.create(
            province=district.province, district=district, name=f"Mô hình {i}", from_year=2020
        )
        initiative.communes.add(commune)
        initiative.branches.add(*[p.terms.get().branch for p in people])
        initiative.seminars.add(seminar)
        world["tieu_can_initiative"].communes.add(commune)
        world["tieu_can_initiative"].seminars.add(seminar)


PAGES = [
    ("follow-up", lambda w: reverse("seminars:followup")),
    ("follow-up filtered", lambda w: reverse("seminars:followup") + "?status=de_xuat&q=xuất"),
    ("follow-up overdue, sorted", lambda w: reverse("seminars:followup") + "?status=qua_han&o=-seminar"),
    ("follow-up printed", lambda w: reverse("seminars:followup") + "?print=1&o=due"),
    ("report", lambda w: reverse("seminars:report") + "?year=2021"),
    ("model list", lambda w: reverse("seminars:initiative_list")),
    ("model detail", lambda w: w["tieu_can_initiative"].get_absolute_url()),
    ("model edit", lambda w: reverse("seminars:initiative_update", args=[w["tieu_can_initiative"].pk])),
    ("home", lambda w: reverse("home")),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    _grow(world, 1)
    small = query_counts(personas, PAGES, world)
    _grow(world, 4)
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


def test_report_export_query_count_does_not_grow(client, tra_vinh_staff, world, count_queries):
    login_verified(client, tra_vinh_staff)
    url = reverse("seminars:report_export") + "?year=2021"
    _grow(world, 1)
    with count_queries() as small:
        b"".join(client.get(url).streaming_content)
    _grow(world, 4)
    with count_queries() as large:
        b"".join(client.get(url).streaming_content)
    assert len(large) == len(small)


def test_proposal_model_is_untouched_by_page_views(client, tieu_can_officer, world):
    """Reading the follow-up page writes nothing (no history row)."""
    client.force_login(tieu_can_officer)
    before = Proposal.history.count()
    client.get(reverse("seminars:followup"))
    assert Proposal.history.count() == before


def test_followup_search_ignores_diacritics(client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    url = reverse("seminars:followup")
    for query in ["tap huan ky nang", "TẬP HUẤN", "huyen doan"]:
        proposals = client.get(url, {"q": query}).context["proposals"]
        assert [p.text for p in proposals] == ["Tập huấn kỹ năng điều hành"], query
    assert not client.get(url, {"q": "khong co"}).context["proposals"]


def test_the_report_opens_on_this_year_for_a_unit_that_goes_on(client, tieu_can_officer, world):
    """QA: an officer whose unit held its last seminar in 2021 had only 2021 to choose, and never saw the
    share of today's secretaries who attended (this year's only), though none attending is what to see."""
    client.force_login(tieu_can_officer)
    response = client.get(reverse("seminars:report"))
    this_year = timezone.localdate().year
    assert response.context["report"].year == this_year and response.context["report"].current
    years = [value for value, _label in response.context["form"].fields["year"].choices]
    assert years[0] == this_year and 2021 in years


class TestFollowupListPattern:
    """QA: the follow-up page had no export, print view, sortable columns or overdue filter, as every
    other list has."""

    def seed(self, cang_long):
        today = timezone.localdate()
        make_seminar(
            cang_long,
            D(2024, 5, 1),
            proposals=[
                proposal("Quá hạn ở Càng Long", today - datetime.timedelta(days=2)),
                proposal("Chưa đến hạn", today + datetime.timedelta(days=20), "dang_thuc_hien"),
                proposal("Xong rồi", today - datetime.timedelta(days=40), "hoan_thanh"),
            ],
        )

    def test_the_overdue_filter_keeps_the_open_ones_past_their_due_date(
        self, client, tra_vinh_staff, world, cang_long
    ):
        self.seed(cang_long)
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("seminars:followup"), {"status": "qua_han"})
        assert sorted(p.text for p in response.context["proposals"]) == [
            "Quá hạn ở Càng Long",
            "Tập huấn kỹ năng điều hành",
        ]
        assert "2 đề xuất quá hạn" in response.content.decode()
        # The first screen's tile and its rows open the page on what they count.
        html = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("seminars:followup")}?status=qua_han"' in html
        assert f"?status=qua_han&amp;district={cang_long.pk}" in html

    def test_columns_sort(self, client, tra_vinh_staff, world, cang_long):
        self.seed(cang_long)
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:followup")
        html = client.get(url).content.decode()
        for key in ("proposal", "responsible", "due", "seminar"):
            assert f'href="?o={key}"' in html
        by_due = [p.text for p in client.get(url, {"o": "-due"}).context["proposals"]]
        assert by_due == ["Chưa đến hạn", "Quá hạn ở Càng Long", "Tập huấn kỹ năng điều hành"]
        by_seminar = client.get(url, {"o": "seminar", "status": "qua_han"}).context["proposals"]
        by_seminar = [p.text for p in by_seminar]
        assert by_seminar == ["Tập huấn kỹ năng điều hành", "Quá hạn ở Càng Long"]

    def test_print_view_has_the_whole_list_and_what_came_of_it(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        url = reverse("seminars:followup")
        html = client.get(url).content.decode()
        assert 'href="?print=1"' in html
        printed = client.get(url, {"print": "1"})
        assert printed.context["printing"] and all(form is None for _p, form in printed.context["rows"])
        html = printed.content.decode()
        assert "data-printed-result" in html and "followup-form-cell" not in html

    def test_export_has_the_pages_filters_and_scope(
        self, client, tra_vinh_staff, cang_long_officer, world, cang_long
    ):
        self.seed(cang_long)
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("seminars:followup"), {"status": "qua_han", "page": "1"}).content.decode()
        assert f'href="{reverse("seminars:followup_export")}?status=qua_han"' in html
        export = read_export(client.get(reverse("seminars:followup_export"), {"status": "qua_han"}))
        assert_staff_layout(
            export,
            title="Theo dõi thực hiện đề xuất giải pháp",
            unit="Tỉnh Trà Vinh",
            dates=("Hạn hoàn thành", "Ngày tổ chức"),
        )
        assert "Trạng thái: Đã quá hạn" in export.sheet["A2"].value + (export.sheet["A3"].value or "")
        assert export.column("Đề xuất giải pháp") == ["Tập huấn kỹ năng điều hành", "Quá hạn ở Càng Long"]
        assert export.column("Đã quá hạn") == ["Đã quá hạn", "Đã quá hạn"]
        assert export.column("Đơn vị tổ chức") == ["Huyện đoàn Tiểu Cần", "Huyện đoàn Càng Long"]
        # Open ones by default, as the page; another district's never.
        client.force_login(cang_long_officer)
        export = read_export(client.get(reverse("seminars:followup_export")))
        assert sorted(export.column("Đề xuất giải pháp")) == ["Chưa đến hạn", "Quá hạn ở Càng Long"]


def test_followup_export_query_count_does_not_grow(client, tra_vinh_staff, world, count_queries):
    login_verified(client, tra_vinh_staff)
    url = reverse("seminars:followup_export") + "?status=qua_han&o=seminar"
    _grow(world, 1)
    with count_queries() as small:
        b"".join(client.get(url).streaming_content)
    _grow(world, 4)
    with count_queries() as large:
        b"".join(client.get(url).streaming_content)
    assert len(large) == len(small)
