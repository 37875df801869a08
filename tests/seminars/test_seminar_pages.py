import datetime
import re

import pytest
from django.urls import reverse

from seminars.models import Proposal, Seminar
from seminars.seminar_selectors import person_seminars
from seminars.services import seminar_save
from tests.conftest import assert_counts_did_not_grow
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def themes_data(themes, initial=0):
    """themes: [(title, notes, order)] or with a fourth item True to delete."""
    data = management("themes", len(themes), initial)
    for i, (title, notes, order, *delete) in enumerate(themes):
        data.update({f"themes-{i}-title": title, f"themes-{i}-notes": notes, f"themes-{i}-ORDER": order})
        if delete and delete[0]:
            data[f"themes-{i}-DELETE"] = "on"
    return data


def proposals_data(proposals, initial=0):
    data = management("proposals", len(proposals), initial)
    for i, proposal in enumerate(proposals):
        data.update({f"proposals-{i}-{key}": value for key, value in proposal.items()})
    return data


def seminar_data(participants=(), **overrides):
    # The first proposal falls due at the end of the seminar's year (never before the seminar).
    held_year = str(overrides.get("held_on", "15/06/2021"))[-4:]
    due = f"31/12/{held_year}" if held_year.isdigit() else "31/12/2021"
    return {
        "title": "Nâng cao chất lượng Bí thư Chi đoàn",
        "held_on": "15/06/2021",
        "venue": "Hội trường Huyện đoàn",
        "chair": "Bí thư Huyện đoàn",
        "participants": [p.pk for p in participants],
        "other_attendees": "12",
        "outcome": "Thống nhất tập huấn kỹ năng.",
        **themes_data(
            [
                ("Giá trị hình mẫu thanh niên ở từng địa phương", "", "1"),
                ("Vai trò của bí thư trong tập hợp thanh niên", "Nhiều ý kiến", "2"),
                ("Rèn luyện phẩm chất, kỹ năng cần có", "", "3"),
            ]
        ),
        **proposals_data(
            [
                {
                    "text": "Tập huấn kỹ năng điều hành",
                    "responsible": "Huyện đoàn",
                    "due_on": due,
                    "status": "de_xuat",
                    "result": "",
                },
                {
                    "text": "Nhân rộng mô hình hay",
                    "responsible": "Đoàn các xã",
                    "due_on": "",
                    "status": "dang_thuc_hien",
                    "result": "",
                },
            ]
        ),
        **overrides,
    }


def sheet_rows(response):
    return table_rows(response)


class TestCreateAndEdit:
    def test_create_with_themes_participants_and_proposals_in_one_post(self, client, tieu_can_officer, world):
        teo = world["tieu_can_person"]
        other = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune))
        client.force_login(tieu_can_officer)
        before = set(Seminar.objects.values_list("pk", flat=True))
        data = seminar_data([teo, other], title="Nâng cao chất lượng Bí thư Chi đoàn (đợt 2)")
        response = client.post(reverse("seminars:seminar_create"), data)
        seminar = Seminar.objects.exclude(pk__in=before).get()
        assert response.status_code == 302 and response["Location"] == seminar.get_absolute_url()
        assert (seminar.district.code, seminar.province.code) == ("846", "84")
        assert seminar.held_on == D(2021, 6, 15) and seminar.other_attendees == 12
        assert seminar.created_by == tieu_can_officer
        assert [(t.order, t.title) for t in seminar.themes.all()] == [
            (1, "Giá trị hình mẫu thanh niên ở từng địa phương"),
            (2, "Vai trò của bí thư trong tập hợp thanh niên"),
            (3, "Rèn luyện phẩm chất, kỹ năng cần có"),
        ]
        assert set(seminar.participants.all()) == {teo, other}
        assert sorted(seminar.proposals.values_list("text", "status")) == [
            ("Nhân rộng mô hình hay", "dang_thuc_hien"),
            ("Tập huấn kỹ năng điều hành", "de_xuat"),
        ]
        html = client.get(seminar.get_absolute_url()).content.decode()
        assert "Vai trò của bí thư trong tập hợp thanh niên" in html and "Nguyễn Văn Tèo" in html
        assert teo.get_absolute_url() in html

    def test_at_least_one_theme_and_errors_keep_what_was_typed(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        count = Seminar.objects.count()
        data = seminar_data([world["tieu_can_person"]], held_on="31/02/2021", **themes_data([]))
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 200
        assert "held_on" in response.context["form"].errors
        assert response.context["themes"].non_form_errors()
        html = response.content.decode()
        assert 'value="31/02/2021"' in html and "Nâng cao chất lượng Bí thư Chi đoàn" in html
        assert "Tập huấn kỹ năng điều hành" in html
        assert f'<option value="{world["tieu_can_person"].pk}" selected>' in html
        assert Seminar.objects.count() == count

    def test_edit_reorders_and_removes_themes_and_proposals(self, client, tieu_can_officer, world):
        seminar = world["tieu_can_seminar"]
        seminar_save(
            seminar=seminar,
            participants=[world["tieu_can_person"]],
            themes=[{"title": "Một"}, {"title": "Hai"}, {"title": "Ba"}],
            proposals=[{"id": p.pk} for p in seminar.proposals.all()],
        )
        proposal = seminar.proposals.get()
        client.force_login(tieu_can_officer)
        edit = reverse("seminars:seminar_update", args=[seminar.pk])
        form = client.get(edit)
        assert [f.initial["title"] for f in form.context["themes"]] == ["Một", "Hai", "Ba"]
        # The rows (seminars/partials/proposal_row.html) carry each proposal's id and the version it was
        # loaded from, so a stale save of the page cannot overwrite a newer follow-up.
        html = form.content.decode()
        assert f'name="proposals-0-id" value="{proposal.pk}"' in html
        assert f'name="proposals-0-loaded_version" value="{proposal.version}"' in html
        data = seminar_data(
            [world["tieu_can_person"]],
            **themes_data([("Một", "", "3"), ("Hai", "", "2", True), ("Ba", "ghi chú", "1")], initial=3),
            **proposals_data(
                [
                    {
                        "id": proposal.pk,
                        "seminar": seminar.pk,
                        "text": proposal.text,
                        "responsible": "Huyện đoàn",
                        "due_on": "31/12/2021",
                        "status": "hoan_thanh",
                        "result": "Đã tập huấn 40 bí thư",
                        "DELETE": "",
                    },
                    {
                        "text": "Đề xuất mới",
                        "responsible": "",
                        "due_on": "",
                        "status": "de_xuat",
                        "result": "",
                    },
                ],
                initial=1,
            ),
        )
        response = client.post(edit, data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert [(t.order, t.title, t.notes) for t in seminar.themes.all()] == [
            (1, "Ba", "ghi chú"),
            (2, "Một", ""),
        ]
        proposal.refresh_from_db()
        assert (proposal.status, proposal.result) == ("hoan_thanh", "Đã tập huấn 40 bí thư")
        assert seminar.proposals.count() == 2

        data = seminar_data(
            [],
            **themes_data([("Ba", "", "1"), ("Một", "", "2")], initial=2),
            **proposals_data(
                [
                    {"id": p.pk, "seminar": seminar.pk, "text": p.text, "status": p.status, "DELETE": "on"}
                    for p in seminar.proposals.all()
                ],
                initial=2,
            ),
        )
        assert client.post(edit, data).status_code == 302
        assert not seminar.proposals.exists() and not seminar.participants.exists()

    def test_provincial_staff_choose_the_province_or_a_district(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        autocomplete = reverse("seminars:organiser_autocomplete")
        values = [r["value"] for r in client.get(autocomplete).json()["results"]]
        assert f"province:{world['tieu_can'].commune.province_id}" in values
        assert f"district:{world['tieu_can'].commune.district_id}" in values
        assert not any(
            v.startswith("district:") and v.endswith(str(world["vinh_long"].commune.district_id))
            for v in values
        )
        province = world["tieu_can"].commune.province
        data = seminar_data(
            [world["cang_long_person"]], organiser=f"province:{province.pk}", title="Tọa đàm tỉnh"
        )
        assert client.post(reverse("seminars:seminar_create"), data).status_code == 302
        seminar = Seminar.objects.get(title="Tọa đàm tỉnh")
        assert seminar.district is None and seminar.province == province

        # A Vĩnh Long district cannot be posted as the organiser.
        other = world["vinh_long"].commune.district
        data = seminar_data(organiser=f"district:{other.pk}", title="Không được")
        response = client.post(reverse("seminars:seminar_create"), data)
        assert "organiser" in response.context["form"].errors
        assert not Seminar.objects.filter(title="Không được").exists()

    def test_district_officer_cannot_choose_the_organiser(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("seminars:seminar_create"))
        assert "organiser" not in response.context["form"].fields
        assert "Huyện Tiểu Cần" in response.content.decode()
        province = world["tieu_can"].commune.province
        data = seminar_data(organiser=f"province:{province.pk}", title="Cố tình")
        assert client.post(reverse("seminars:seminar_create"), data).status_code == 302
        assert Seminar.objects.get(title="Cố tình").district.code == "846"


class TestOrganiser:
    """Staff choose the organiser through an autocomplete of their scope: the page carries the chosen unit
    only (a national administrator's list would be some 4,000 units), and what is posted is loaded through
    the user's scope."""

    def organiser_select(self, html: str) -> str:
        return re.search(r'<select name="organiser".*?</select>', html, re.S).group(0)

    def test_the_page_carries_only_the_chosen_organiser(self, client, administrator, world):
        login_verified(client, administrator)
        select = self.organiser_select(client.get(reverse("seminars:seminar_create")).content.decode())
        assert f'data-autocomplete-url="{reverse("seminars:organiser_autocomplete")}"' in select
        assert select.count("<option") == 1  # "— Choose —"
        seminar = world["tieu_can_seminar"]
        select = self.organiser_select(
            client.get(reverse("seminars:seminar_update", args=[seminar.pk])).content.decode()
        )
        assert select.count("<option") == 2
        chosen = f'<option value="district:{seminar.district_id}" selected>'
        assert chosen + "Huyện đoàn Tiểu Cần — Tỉnh Trà Vinh</option>" in select

    def test_an_error_elsewhere_keeps_the_chosen_organiser(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        district = world["tieu_can"].commune.district
        data = seminar_data(organiser=f"district:{district.pk}", title="")
        page = client.post(reverse("seminars:seminar_create"), data)
        assert page.status_code == 200 and "title" in page.context["form"].errors
        assert "organiser" not in page.context["form"].errors
        select = self.organiser_select(page.content.decode())
        assert (
            f'<option value="district:{district.pk}" selected>Huyện đoàn Tiểu Cần — Tỉnh Trà Vinh</option>'
            in select
        )

    @pytest.mark.parametrize(
        "value", ["", "district", "district:", "district:abc", "quận:1", "commune:99999999999999999999", "1"]
    )
    def test_a_malformed_organiser_is_refused_next_to_its_field(self, client, administrator, world, value):
        login_verified(client, administrator)
        page = client.post(reverse("seminars:seminar_create"), seminar_data(organiser=value, title="Sai"))
        assert page.status_code == 200 and "organiser" in page.context["form"].errors
        field = re.search(r'<div id="div_id_organiser".*?</select>.*?</div>', page.content.decode(), re.S)
        assert "invalid-feedback" in field.group(0)
        assert not Seminar.objects.filter(title="Sai").exists()

    def test_the_autocomplete_searches_the_scope_whatever_its_size(
        self, client, tra_vinh_staff, world, count_queries
    ):
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:organiser_autocomplete")
        district = world["tieu_can"].commune.district
        with count_queries() as queries:
            results = client.get(url, {"q": "Huyện đoàn tieu can"}).json()["results"]
        assert {"value": f"district:{district.pk}", "text": "Huyện đoàn Tiểu Cần — Tỉnh Trà Vinh"} in results
        # Provinces, districts, communes; the session, the user, its device and its provinces.
        assert len(queries) <= 3 + 5
        assert client.get(url, {"q": "thanh duc"}).json()["results"] == []  # Vĩnh Long's commune
        # The province's own Union first; at most 20 answers.
        answers = client.get(url).json()["results"]
        assert answers[0]["text"] == "Tỉnh đoàn Trà Vinh" and len(answers) <= 20

    def test_participants_are_offered_with_their_branch_within_the_scope(
        self, client, tieu_can_officer, cang_long_officer, world, count_queries
    ):
        """QA: the picker said "Lê Thị Như (1995)" only; several Nguyễn … of one commune were easy to mix up.
        The branch they lead (or last led) is said between the name and the year."""
        teo = world["tieu_can_person"]
        branch = world["tieu_can"]
        former = person_with_term(
            branch=BranchFactory(commune=branch.commune, name="Ấp Cũ"), full_name="Nguyễn Văn Tư"
        )
        former.terms.update(ended_on=D(2024, 1, 1))
        client.force_login(tieu_can_officer)
        url = reverse("seminars:participant_autocomplete")
        with count_queries() as queries:
            results = client.get(url, {"q": "nguyen van"}).json()["results"]
        assert {r["text"] for r in results} == {
            f"Nguyễn Văn Tèo · {branch.name} ({teo.date_of_birth.year})",
            f"Nguyễn Văn Tư · Ấp Cũ ({former.date_of_birth.year})",
        }
        assert len(queries) <= 1 + 5  # the people with their branches; the session, user, device, units
        # The form's chosen options say the same; the form asks this picker.
        page = client.post(reverse("seminars:seminar_create"), seminar_data([teo], title=""))
        assert f'<option value="{teo.pk}" selected>Nguyễn Văn Tèo · {branch.name} (' in page.content.decode()
        assert f'data-autocomplete-url="{url}"' in page.content.decode()
        # Still the user's scope only.
        client.force_login(cang_long_officer)
        assert client.get(url, {"q": "nguyen van"}).json() == {"results": []}


class TestScope:
    def test_officer_of_another_district_gets_404(self, client, cang_long_officer, world):
        seminar = world["tieu_can_seminar"]
        client.force_login(cang_long_officer)
        for name in ("seminars:seminar_detail", "seminars:seminar_update"):
            assert client.get(reverse(name, args=[seminar.pk])).status_code == 404
        data = seminar_data(title="Đổi tên")
        assert client.post(reverse("seminars:seminar_update", args=[seminar.pk]), data).status_code == 404
        seminar.refresh_from_db()
        assert seminar.title == "Nâng cao chất lượng Bí thư Chi đoàn"

    def test_officer_cannot_pick_a_secretary_of_another_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        count = Seminar.objects.count()
        data = seminar_data([world["cang_long_person"], world["tieu_can_person"]], title="Tọa đàm Càng Long")
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 200
        assert "participants" in response.context["form"].errors
        assert "Nguyễn Văn Tèo" not in response.content.decode()
        assert (
            Seminar.objects.count() == count
            and not Proposal.objects.filter(text="Nhân rộng mô hình hay").exists()
        )

    def test_list_search_and_export_never_show_another_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        for query in ({}, {"q": "chat luong"}, {"q": "Nâng cao"}, {"year": "2021"}):
            response = client.get(reverse("seminars:seminar_list"), query)
            assert list(response.context["seminars"]) == []
            assert "Nâng cao chất lượng" not in response.content.decode()
            rows = sheet_rows(client.get(reverse("seminars:seminar_export"), query))
            assert len(rows) == 1  # the header only

    def test_the_list_finds_a_seminar_by_its_organiser_and_narrows_to_a_commune(
        self, client, tra_vinh_staff, world, hieu_tu
    ):
        """ "tieu can" finds Huyện đoàn Tiểu Cần's seminar (the search read only titles); the province's
        staff choose one commune among the organisers, as communes organise seminars since 07/2025."""
        from seminars.services import seminar_save

        by_commune = seminar_save(
            seminar=Seminar(
                province=hieu_tu.province,
                commune=hieu_tu,
                title="Sinh hoạt chuyên đề",
                held_on=datetime.date(2024, 3, 1),
            ),
            participants=[],
            themes=[],
            proposals=[],
        )
        login_verified(client, tra_vinh_staff)
        url = reverse("seminars:seminar_list")
        found = list(client.get(url, {"q": "tieu can"}).context["seminars"])
        assert found == [world["tieu_can_seminar"]]
        assert list(client.get(url, {"q": "hieu tu"}).context["seminars"]) == [by_commune]
        assert list(client.get(url, {"commune": hieu_tu.pk}).context["seminars"]) == [by_commune]

    def test_province_level_seminar_is_not_shown_to_district_officers(
        self, client, tra_vinh_staff, tieu_can_officer, world
    ):
        province = world["tieu_can"].commune.province
        login_verified(client, tra_vinh_staff)
        client.post(
            reverse("seminars:seminar_create"),
            seminar_data(
                [world["tieu_can_person"]], organiser=f"province:{province.pk}", title="Tọa đàm Tỉnh đoàn"
            ),
        )
        seminar = Seminar.objects.get(title="Tọa đàm Tỉnh đoàn")
        assert (
            client.get(reverse("seminars:seminar_list"), {"level": "province"}).context["seminars"][0]
            == seminar
        )
        client.force_login(tieu_can_officer)
        assert client.get(seminar.get_absolute_url()).status_code == 404
        titles = [s.title for s in client.get(reverse("seminars:seminar_list")).context["seminars"]]
        assert titles == ["Nâng cao chất lượng Bí thư Chi đoàn"]
        assert person_seminars(world["tieu_can_person"], user=tieu_can_officer) == [world["tieu_can_seminar"]]

    def test_an_empty_list_offers_to_clear_its_filter(self, client, tieu_can_officer, world):
        """QA: a search that found nothing offered "Thêm tọa đàm"; the models and follow-up lists offer to
        clear the filter, the useful step. An empty list unfiltered offers to record one."""
        url = reverse("seminars:seminar_list")

        def empty_state(query):
            html = " ".join(client.get(url, query).content.decode().split())
            cell = html[html.index('class="empty-state"') :]
            return cell[: cell.index("</td>")]

        client.force_login(tieu_can_officer)
        found_none = empty_state({"q": "khong ton tai", "o": "-date"})
        assert "Chưa có tọa đàm nào phù hợp." in found_none
        assert f'<a href="{url}">Xóa bộ lọc</a>' in found_none and "Thêm tọa đàm" not in found_none
        Seminar.objects.all().delete()
        none_yet = empty_state({"o": "-date"})  # sorted, not filtered
        assert f'<a href="{reverse("seminars:seminar_create")}">Thêm tọa đàm</a>' in none_yet
        assert "Xóa bộ lọc" not in none_yet

    def test_participants_outside_the_viewers_scope_are_counted_not_named(
        self, client, tra_vinh_staff, tieu_can_officer, world
    ):
        """Provincial staff may put a secretary of another district on a district's seminar: the district's
        officer, who cannot open that person, sees how many, never who."""
        seminar = world["tieu_can_seminar"]
        tieu_can_person, cang_long_person = world["tieu_can_person"], world["cang_long_person"]
        seminar.participants.add(cang_long_person)
        client.force_login(tieu_can_officer)
        assert client.get(cang_long_person.get_absolute_url()).status_code == 404
        response = client.get(seminar.get_absolute_url())
        page = response.content.decode()
        assert "Lê Thị Hồng Nhung" not in page and cang_long_person.get_absolute_url() not in page
        assert "Nguyễn Văn Tèo" in page and tieu_can_person.get_absolute_url() in page
        assert "1 người ngoài phạm vi" in page
        assert response.context["participants_shown"] == [tieu_can_person]
        login_verified(client, tra_vinh_staff)
        page = client.get(seminar.get_absolute_url()).content.decode()
        assert "Lê Thị Hồng Nhung" in page and "Nguyễn Văn Tèo" in page
        assert "ngoài phạm vi" not in page


class TestList:
    @pytest.mark.parametrize("query", ["chat luong", "NÂNG CAO", "bi thu chi doan"])
    def test_search_without_diacritics(self, client, tra_vinh_staff, world, query):
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("seminars:seminar_list"), {"q": query})
        assert [s.title for s in response.context["seminars"]] == ["Nâng cao chất lượng Bí thư Chi đoàn"]
        assert (
            client.get(reverse("seminars:seminar_list"), {"q": "khong co"}).context["seminars"].count() == 0
        )

    def test_columns_counts_and_export(self, client, tra_vinh_staff, world):
        from seminars.models import Seminar

        Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(other_attendees=12)
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("seminars:seminar_list"))
        seminar = response.context["seminars"][0]
        assert (seminar.participant_count, seminar.open_proposal_count) == (1, 1)
        # Who came, as the seminar's page counts them: its secretary and the other attendees.
        assert seminar.attendance == 13
        html = response.content.decode()
        row = html[html.index("15/06/2021") :]
        assert 'd-print-table-cell">13</td>' in row[: row.index("</tr>")]
        assert (
            "15/06/2021" in html and "Huyện đoàn Tiểu Cần" in html and "Vai trò của bí thư chi đoàn" in html
        )
        rows = sheet_rows(client.get(reverse("seminars:seminar_export"), {"year": "2021"}))
        assert rows[1][1:3] == ("Nâng cao chất lượng Bí thư Chi đoàn", "Huyện đoàn Tiểu Cần")
        assert rows[1][6] == 1
        assert len(sheet_rows(client.get(reverse("seminars:seminar_export"), {"level": "province"}))) == 1

    def test_export_is_laid_out_for_sending(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse("seminars:seminar_export")))
        assert_staff_layout(
            export,
            title="Danh sách tọa đàm",
            unit="Tỉnh Trà Vinh",
            dates=("Ngày",),
            numbers=("Bí thư Chi đoàn tham dự",),
        )

    def test_overdue_proposal_is_marked(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        html = client.get(world["tieu_can_seminar"].get_absolute_url()).content.decode()
        assert 'class="table-danger"' in html and "badge text-bg-danger" in html


def _grow(world, n):
    """n more seminars in Tiểu Cần, the last one with n participants, themes and proposals (kept as
    world["grown"]). Each seminar is saved once: its change history stays one record long, so only the rows
    grow (history_rows reads at most `limit` records, each diff costing queries of its own)."""
    district = world["tieu_can"].commune.district
    for i in range(n):
        commune = CommuneFactory(district=district)
        people = [person_with_term(branch=BranchFactory(commune=commune)) for _ in range(n)]
        world["grown"] = seminar_save(
            seminar=Seminar(
                province=district.province,
                district=district,
                title=f"Tọa đàm {n}.{i}",
                held_on=D(2022, 1, 1 + i),
            ),
            participants=people,
            themes=[{"title": f"Theme {k}"} for k in range(n)],
            proposals=[{"text": f"P {k}", "status": "de_xuat" if k % 2 else "hoan_thanh"} for k in range(n)],
        )


PAGES = [
    ("list", lambda w: reverse("seminars:seminar_list")),
    ("list filtered", lambda w: reverse("seminars:seminar_list") + "?q=toa&year=2022&o=-participants"),
    ("detail", lambda w: w["grown"].get_absolute_url()),
    ("edit form", lambda w: reverse("seminars:seminar_update", args=[w["grown"].pk])),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    _grow(world, 1)
    small = query_counts(personas, PAGES, world)
    _grow(world, 5)  # the detail and the form are now those of a seminar with five of everything
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


class TestRecordedOnce:
    """One unit records one seminar of a title a day: a form sent twice is refused, next to the title."""

    # The world's seminar of Huyện đoàn Tiểu Cần, its title typed in capitals, or without diacritics.
    @pytest.mark.parametrize(
        "title", ["NÂNG CAO CHẤT LƯỢNG BÍ THƯ CHI ĐOÀN", "Nang cao chat luong bi thu chi doan"]
    )
    def test_the_same_seminar_again_is_refused_next_to_its_title(
        self, client, tieu_can_officer, world, title
    ):
        client.force_login(tieu_can_officer)
        count = Seminar.objects.count()
        data = seminar_data([world["tieu_can_person"]], title=title)
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 200
        [error] = response.context["form"].errors["title"]
        assert "Huyện đoàn Tiểu Cần đã ghi nhận" in error and "15/06/2021" in error
        assert response.context["form"]["title"].value() == data["title"]  # what was typed is kept
        assert Seminar.objects.count() == count

    def test_another_day_or_another_unit_may_use_the_title(
        self, client, tieu_can_officer, cang_long_officer, world
    ):
        client.force_login(tieu_can_officer)
        response = client.post(reverse("seminars:seminar_create"), seminar_data(held_on="16/06/2021"))
        assert response.status_code == 302
        client.force_login(cang_long_officer)
        response = client.post(reverse("seminars:seminar_create"), seminar_data())
        assert response.status_code == 302
        assert Seminar.objects.filter(title="Nâng cao chất lượng Bí thư Chi đoàn").count() == 3

    def test_saving_the_seminar_itself_again_is_no_duplicate(self, world):
        seminar = world["tieu_can_seminar"]
        seminar_save(seminar=seminar, participants=[], themes=[], proposals=[], version=seminar.version)

    def test_the_service_refuses_it_with_its_code(self, world):
        from django.core.exceptions import ValidationError

        seminar = world["tieu_can_seminar"]
        twin = Seminar(
            province=seminar.province, district=seminar.district, title=seminar.title, held_on=seminar.held_on
        )
        with pytest.raises(ValidationError) as refused:
            seminar_save(seminar=twin, participants=[], themes=[], proposals=[])
        assert refused.value.code == "duplicate"


def test_a_proposals_result_is_said_on_a_phone_too(client, tieu_can_officer, world):
    """Below 768 px the Result column is hidden: the result is said under the status, for phones only."""
    proposal = world["tieu_can_seminar"].proposals.first()
    Proposal.objects.filter(pk=proposal.pk).update(result="Đã tập huấn 11 bí thư.")
    client.force_login(tieu_can_officer)
    html = client.get(world["tieu_can_seminar"].get_absolute_url()).content.decode()
    phone = re.search(r'<div class="d-md-none small mt-1" data-result>(.*?)</div>', html, re.S)
    assert phone and "Đã tập huấn 11 bí thư." in phone.group(1)
    assert html.count("Đã tập huấn 11 bí thư.") == 2  # the other in the column phones do not show
    assert '<td class="d-none d-md-table-cell">Đã tập huấn 11 bí thư.</td>' in html
    # On a phone each proposal is a card, its cells one under another, each named (the headings are hidden).
    table = html[html.index('id="proposals"') - 200 : html.index("</table>", html.index('id="proposals"'))]
    assert "table-stack" in table
    assert '<span class="d-md-none text-muted">Đơn vị chịu trách nhiệm:</span>' in table
    assert '<span class="d-md-none text-muted">Hạn hoàn thành:</span>' in table


class TestDates:
    """A seminar is recorded once held; its proposals fall due after it (issue 14)."""

    def test_a_proposal_due_before_the_seminar_is_refused_by_its_date(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        count = Seminar.objects.count()
        data = seminar_data([world["tieu_can_person"]])
        data["proposals-0-due_on"] = "31/05/2021"  # the seminar is on 15/06/2021
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 200
        errors = response.context["proposals"].forms[0].errors["due_on"]
        assert "31/05/2021" in errors[0] and "15/06/2021" in errors[0]
        assert Seminar.objects.count() == count

    def test_a_refused_row_is_listed_above_the_form(self, client, tieu_can_officer, world):
        """The row's message is four screens down on a phone: the summary at the top names and links it."""
        client.force_login(tieu_can_officer)
        data = seminar_data([world["tieu_can_person"]])
        data["proposals-0-due_on"] = "31/05/2021"  # the seminar is on 15/06/2021
        data["themes-0-title"] = ""
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 200
        html = response.content.decode()
        start = html.index('id="form-errors"')
        summary = html[start : html.index("</ul>", start)]
        assert "Một số mục cần sửa. Chưa lưu gì." in summary
        assert 'href="#id_themes-0-title"' in summary
        assert 'href="#id_proposals-0-due_on"' in summary and "31/05/2021" in summary
        assert "Đề xuất giải pháp 1" in summary

    def test_a_formsets_own_error_is_listed_with_a_link_to_it(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        response = client.post(reverse("seminars:seminar_create"), seminar_data(**themes_data([])))
        html = response.content.decode()
        start = html.index('id="form-errors"')
        summary = html[start : html.index("</ul>", start)]
        assert 'href="#themes-fieldset"' in summary and 'id="themes-fieldset"' in html

    def test_a_proposal_due_on_the_seminars_day_is_accepted(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        data = seminar_data([world["tieu_can_person"]], title="Tọa đàm cùng ngày")
        data["proposals-0-due_on"] = "15/06/2021"
        response = client.post(reverse("seminars:seminar_create"), data)
        assert response.status_code == 302
        assert Seminar.objects.get(title="Tọa đàm cùng ngày").proposals.filter(due_on=D(2021, 6, 15)).exists()

    def test_the_service_refuses_a_proposal_due_before_the_seminar(self, world):
        from django.core.exceptions import ValidationError

        seminar = world["tieu_can_seminar"]
        with pytest.raises(ValidationError) as refused:
            seminar_save(
                seminar=seminar,
                participants=[],
                themes=[{"title": "Chủ đề", "notes": ""}],
                proposals=[{"text": "Sớm", "responsible": "", "due_on": D(2021, 1, 1), "status": "de_xuat"}],
                version=seminar.version,
            )
        assert refused.value.code == "due_before_held"

    def test_admin_refuses_them_too(self, world):
        """The models' own validation, which admin runs (it saves without the service)."""
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        seminar = world["tieu_can_seminar"]
        with pytest.raises(ValidationError) as refused:
            Proposal(seminar=seminar, text="Sớm", due_on=D(2021, 1, 1), status="de_xuat").full_clean()
        assert "due_on" in refused.value.message_dict
        seminar.held_on = timezone.localdate() + datetime.timedelta(days=30)
        with pytest.raises(ValidationError) as refused:
            seminar.full_clean()
        assert "held_on" in refused.value.message_dict


def test_a_printed_seminar_is_its_record_with_the_unit_and_day(client, tieu_can_officer, world):
    """On paper: the unit printing it and the day under the title; not the photo form nor the change
    history, which are the screen's."""
    client.force_login(tieu_can_officer)
    html = " ".join(
        client.get(reverse("seminars:seminar_detail", args=[world["tieu_can_seminar"].pk]))
        .content.decode()
        .split()
    )
    assert '<div class="d-none d-print-block"> <p class="text-muted report-scope" data-report-scope>' in html
    assert 'class="link-danger text-nowrap d-print-none"' in html  # a photo's "Remove"
    history = html.index("Lịch sử thay đổi")
    assert html.rindex('<div class="d-print-none">', 0, history) > html.rindex("</section>", 0, history)


def test_the_list_on_a_phone_says_under_each_title_what_its_hidden_columns_say(client, tra_vinh_staff, world):
    """Below 576 px the day, the organiser, the participants and the open proposals go under the title
    (their columns are hidden there): a phone sees the list whole, without scrolling sideways."""
    seminar = world["tieu_can_seminar"]
    login_verified(client, tra_vinh_staff)
    html = " ".join(client.get(reverse("seminars:seminar_list")).content.decode().split())
    under = html[html.index(seminar.get_absolute_url()) :]
    under = under[under.index("data-under-title>") : under.index("</td>")]
    assert seminar.held_on.strftime("%d/%m/%Y") in under and "Huyện đoàn Tiểu Cần" in under
    assert f"Người tham dự: {seminar.participants.count()}" in under
    assert f"Đề xuất đang theo dõi: {seminar.proposals.open().count()}" in under


def test_a_seminar_without_a_theme_is_told_what_to_add_in_either_language():
    """Django's own "Please submit at least 1 form." named no theme."""
    from django.utils import translation

    from seminars.forms import ThemeFormSet

    empty = {"themes-TOTAL_FORMS": "0", "themes-INITIAL_FORMS": "0"}
    with translation.override("en"):
        assert ThemeFormSet(empty, prefix="themes").non_form_errors() == ["Add at least 1 discussion theme."]
    with translation.override("vi"):
        said = ThemeFormSet(empty, prefix="themes").non_form_errors()
        assert said == ["Hãy thêm ít nhất 1 nội dung thảo luận."]


def test_each_thing_is_said_by_one_word_across_the_seminar_pages(
    client, tra_vinh_staff, tieu_can_officer, world
):
    """QA: the district field of the programme and model forms was "Đơn vị tổ chức" beside "Đoàn xã, phường
    tổ chức" (a province's officer could take the generic one for a commune's); the participants were "Bí
    thư chi đoàn tham dự" on the form and "Bí thư Chi đoàn tham dự" in the export; the report's way to the
    follow-up had a name of its own; the programme's last year was said a day; the seminar form's "Kết
    quả" heading stood over a field "Kết quả"."""
    login_verified(client, tra_vinh_staff)
    for url in (reverse("seminars:programme_create"), reverse("seminars:initiative_create")):
        fields = client.get(url).context["form"].fields
        assert (str(fields["district"].label), str(fields["commune"].label)) == (
            "Huyện đoàn tổ chức",
            "Đoàn xã, phường tổ chức",
        ), url
    to_year = client.get(reverse("seminars:programme_create")).context["form"].fields["to_year"]
    assert "chưa định năm kết thúc" in str(to_year.help_text)
    report = client.get(reverse("seminars:report")).content.decode()
    assert f'href="{reverse("seminars:followup")}">Theo dõi thực hiện</a>' in report
    client.force_login(tieu_can_officer)
    page = client.get(reverse("seminars:seminar_update", args=[world["tieu_can_seminar"].pk]))
    assert str(page.context["form"].fields["participants"].label) == "Bí thư Chi đoàn tham dự"
    assert "Bí thư Chi đoàn tham dự" in read_export(client.get(reverse("seminars:seminar_export"))).header
    html = page.content.decode()
    assert "<legend>Kết quả</legend>" not in html and ">Kết quả</label>" in html
