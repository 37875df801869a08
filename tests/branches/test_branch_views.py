import datetime
import re

import pytest
from django.urls import reverse

from branches.models import Branch
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, person_with_term
from tests.login import login_verified


def empty_state(page: str) -> str:
    """The text of a list's empty row (its cell's markup)."""
    return re.search(r'<td colspan="\d+" class="empty-state">(.*?)</td>', page, re.S).group(1)


def form_data(commune, **overrides):
    return {
        "commune": commune.pk,
        "name": "Ấp Tân Thành",
        "kind": Branch.Kind.HAMLET,
        "member_count": 25,
        "founded_on": "15/03/1998",
        **overrides,
    }


class TestCreate:
    def test_officer_adds_branch_in_own_district(self, client, tieu_can_officer, hieu_tu):
        client.force_login(tieu_can_officer)
        response = client.post(reverse("branches:branch_create"), form_data(hieu_tu), follow=True)
        branch = Branch.objects.get(name="Ấp Tân Thành")
        assert branch.commune == hieu_tu
        assert branch.founded_on.isoformat() == "1998-03-15"
        assert response.redirect_chain[-1][0] == branch.get_absolute_url()
        assert "Ấp Tân Thành" in response.content.decode()
        # The change is audited with its author.
        assert branch.history.get().history_user == tieu_can_officer

    def test_officer_cannot_add_branch_in_another_district(self, client, cang_long_officer, hieu_tu):
        client.force_login(cang_long_officer)
        response = client.post(reverse("branches:branch_create"), form_data(hieu_tu))
        assert response.status_code == 200
        assert "commune" in response.context["form"].errors
        assert not Branch.objects.exists()

    def test_duplicate_name_ignoring_case_and_diacritics(self, client, tieu_can_officer, tieu_can_branch):
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("branches:branch_create"), form_data(tieu_can_branch.commune, name="  ap  CAY gon ")
        )
        assert response.status_code == 200
        errors = response.context["form"].errors["name"]
        assert "Ấp Cây Gòn" in errors[0]
        assert Branch.objects.count() == 1

    def test_same_name_in_another_commune_is_fine(self, client, tra_vinh_staff, tieu_can_branch, an_truong):
        login_verified(client, tra_vinh_staff)
        client.post(reverse("branches:branch_create"), form_data(an_truong, name="Ấp Cây Gòn"))
        assert Branch.objects.filter(name="Ấp Cây Gòn").count() == 2

    def test_bad_input_rerenders_with_what_was_typed(self, client, tieu_can_officer, hieu_tu):
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("branches:branch_create"),
            form_data(hieu_tu, name="Ấp Mới Lập", founded_on="31/02/2001", member_count="-3"),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) == {"founded_on", "member_count"}
        html = response.content.decode()
        assert 'value="Ấp Mới Lập"' in html
        assert 'value="31/02/2001"' in html
        # The chosen commune is still chosen (rendered as the one selected option).
        assert f'<option value="{hieu_tu.pk}" selected>' in html
        assert not Branch.objects.exists()

    def test_commune_prefilled_from_commune_page(self, client, tieu_can_officer, hieu_tu):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("branches:branch_create") + f"?commune={hieu_tu.pk}")
        assert f'<option value="{hieu_tu.pk}" selected>' in response.content.decode()


class TestEdit:
    def test_edit_and_message(self, client, tieu_can_officer, tieu_can_branch):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        response = client.post(
            url, form_data(tieu_can_branch.commune, name="Ấp Cây Gòn A", member_count=40), follow=True
        )
        tieu_can_branch.refresh_from_db()
        assert tieu_can_branch.name == "Ấp Cây Gòn A"
        assert tieu_can_branch.member_count == 40
        assert [str(m) for m in response.context["messages"]]

    def test_founding_date_not_after_the_first_term_nor_before_the_union(
        self, client, tieu_can_officer, hieu_tu
    ):
        """QA finding 3: founded 2½ years after its secretary began, or in 1800, was saved."""
        branch = BranchFactory(commune=hieu_tu, name="Ấp Bến Có", founded_on=datetime.date(2001, 5, 2))
        person_with_term(branch=branch, started_on=datetime.date(2024, 4, 18))
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[branch.pk])
        response = client.post(url, form_data(hieu_tu, name="Ấp Bến Có", founded_on="01/11/2024"))
        assert response.context["form"].errors["founded_on"] == [
            "Nhiệm kỳ sớm nhất của chi đoàn bắt đầu ngày 18/04/2024: "
            "ngày thành lập phải là ngày đó hoặc trước đó."
        ]
        assert 'value="01/11/2024"' in response.content.decode()
        response = client.post(url, form_data(hieu_tu, name="Ấp Bến Có", founded_on="01/01/1800"))
        assert response.context["form"].errors["founded_on"] == [
            "Đoàn được thành lập ngày 26/03/1931: hãy nhập ngày đó hoặc sau đó."
        ]
        branch.refresh_from_db()
        assert branch.founded_on == datetime.date(2001, 5, 2)
        response = client.post(url, form_data(hieu_tu, name="Ấp Bến Có", founded_on="18/04/2024"))
        assert response.status_code == 302
        branch.refresh_from_db()
        assert branch.founded_on == datetime.date(2024, 4, 18)

    def test_edit_a_branch_of_a_commune_that_has_ceased(self, client, tieu_can_officer, tieu_can_branch):
        """The commune ended with the 2025 reform: the branch's other facts can still be corrected, and it
        stays attached to the commune it had (no ended commune can be chosen for another branch)."""
        import datetime

        commune = tieu_can_branch.commune
        commune.ended_on = datetime.date(2025, 6, 30)
        commune.save()
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        page = client.get(url).content.decode()
        assert f'<option value="{commune.pk}" selected' in page
        client.post(url, form_data(commune, name="Ấp Cây Gòn", member_count=35))
        tieu_can_branch.refresh_from_db()
        assert (tieu_can_branch.member_count, tieu_can_branch.commune) == (35, commune)
        other = BranchFactory(commune=CommuneFactory(district=commune.district))
        response = client.post(
            reverse("branches:branch_update", args=[other.pk]),
            form_data(commune, name="Ấp Mới", member_count=9),
        )
        assert response.status_code == 200 and "commune" in response.context["form"].errors

    def test_cannot_move_branch_out_of_own_district(
        self, client, tieu_can_officer, tieu_can_branch, an_truong
    ):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        response = client.post(url, form_data(an_truong, name="Ấp Cây Gòn"))
        assert "commune" in response.context["form"].errors
        tieu_can_branch.refresh_from_db()
        assert tieu_can_branch.commune.district.code == "846"

    def test_a_refused_edit_names_the_branch_as_stored(self, client, tieu_can_officer, tieu_can_branch):
        """Title and breadcrumbs keep the stored name until the save succeeds (the form's instance is a
        copy: core.mixins.EditsACopyMixin)."""
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        data = form_data(tieu_can_branch.commune, name="Ấp Cây Gòn ZZZ", founded_on="99/99/9999")
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors["founded_on"]
        page = response.content.decode()
        title = page.split("<title>")[1].split("</title>")[0]
        crumbs = page.split('<ol class="breadcrumb')[1].split("</ol>")[0]
        assert "Ấp Cây Gòn ZZZ" not in title + crumbs and "Ấp Cây Gòn" in crumbs
        assert 'value="Ấp Cây Gòn ZZZ"' in page  # what was typed stays in the field

    def test_keeping_own_name_is_not_a_duplicate(self, client, tieu_can_officer, tieu_can_branch):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        response = client.post(url, form_data(tieu_can_branch.commune, name="Ấp Cây Gòn"))
        assert response.status_code == 302


class TestDeactivate:
    def test_confirmation_then_deactivation(self, client, tieu_can_officer, tieu_can_branch):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_deactivate", args=[tieu_can_branch.pk])
        confirm = client.get(url)
        assert "Ấp Cây Gòn" in confirm.content.decode()
        tieu_can_branch.refresh_from_db()
        assert tieu_can_branch.is_active  # a GET changes nothing
        client.post(url)
        tieu_can_branch.refresh_from_db()
        assert not tieu_can_branch.is_active
        client.post(reverse("branches:branch_reactivate", args=[tieu_can_branch.pk]))
        tieu_can_branch.refresh_from_db()
        assert tieu_can_branch.is_active

    def test_the_confirmation_names_who_still_leads_it(self, client, tieu_can_officer, world, hieu_tu):
        """Their terms go on: the officer reads who, and where to end them (the branches app knows no terms:
        the secretaries app's section, core.sections)."""
        branch = world["tieu_can_term"].branch
        client.force_login(tieu_can_officer)
        page = client.get(reverse("branches:branch_deactivate", args=[branch.pk])).content.decode()
        assert "Đang giữ chức vụ ở chi đoàn này" in page
        assert world["tieu_can_person"].get_absolute_url() in page and "Bí thư" in page
        empty = BranchFactory(commune=hieu_tu, name="Ấp Không Ai")
        page = client.get(reverse("branches:branch_deactivate", args=[empty.pk])).content.decode()
        assert "data-deactivate-leaders" not in page


class TestList:
    @pytest.mark.parametrize("query", ["cay gon", "CÂY GÒN", "ap cay", "Cây"])
    def test_search_ignores_case_and_diacritics(self, client, tieu_can_officer, tieu_can_branch, query):
        BranchFactory(commune=tieu_can_branch.commune, name="Khóm 3")
        client.force_login(tieu_can_officer)
        response = client.get(reverse("branches:branch_list"), {"q": query})
        assert [b.name for b in response.context["branches"]] == ["Ấp Cây Gòn"]

    def test_search_d_with_stroke(self, client, tra_vinh_staff, cang_long_branch, tieu_can_branch):
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("branches:branch_list"), {"q": "dai duc"})
        assert [b.name for b in response.context["branches"]] == ["Ấp Đại Đức"]

    @pytest.mark.parametrize(
        ("query", "names"), [("an truong", ["Ấp Đại Đức"]), ("xa hieu tu", ["Ấp Cây Gòn"]), ("xa", None)]
    )
    def test_search_finds_a_communes_branches(self, client, tra_vinh_staff, world, query, names):
        login_verified(client, tra_vinh_staff)
        found = [
            b.name for b in client.get(reverse("branches:branch_list"), {"q": query}).context["branches"]
        ]
        assert found == (names or ["Ấp Đại Đức", "Ấp Cây Gòn"])  # "xa": every commune's, by commune

    @pytest.mark.parametrize("query", ["ap dai mong a", "Ấp Đại Mong A", "dai mong a"])
    def test_the_branch_named_as_typed_comes_first(self, client, tra_vinh_staff, hieu_tu, an_truong, query):
        """Each word matches anywhere ("a" is in "ấp"): the branch named so leads, then those whose name
        begins so, then the rest, each in the list's order (by commune: An Trường's before Hiếu Tử's)."""
        for name in ("Ấp Đại Mong", "Ấp Đại Mong B", "Ấp Đại Mong An"):
            BranchFactory(commune=an_truong, name=name)
        BranchFactory(commune=hieu_tu, name="Ấp Đại Mong A")
        login_verified(client, tra_vinh_staff)
        url = reverse("branches:branch_list")
        found = [b.name for b in client.get(url, {"q": query}).context["branches"]]
        assert found[:2] == ["Ấp Đại Mong A", "Ấp Đại Mong An"]
        assert set(found[2:]) == {"Ấp Đại Mong", "Ấp Đại Mong B"}
        # A header's order is the order asked for.
        by_name = [b.name for b in client.get(url, {"q": query, "o": "-name"}).context["branches"]]
        assert by_name[0] == "Ấp Đại Mong B"

    def test_a_search_that_finds_nothing_says_no_branch_matches(self, client, tra_vinh_staff, world, hieu_tu):
        """The province has branches: a search without result says none matches, with no "Add one"; a
        commune without branches (its page, unfiltered) still says it has none yet and offers to add one."""
        login_verified(client, tra_vinh_staff)
        page = client.get(reverse("branches:branch_list"), {"q": "zzzz"}).content.decode()
        assert " ".join(empty_state(page).split()) == "Không có chi đoàn nào phù hợp."
        empty = CommuneFactory(code="29399", name="Xã Không Chi Đoàn", district=hieu_tu.district)
        cell = empty_state(client.get(empty.get_absolute_url()).content.decode())
        assert "Chưa có chi đoàn nào." in cell and "phù hợp" not in cell
        assert f"{reverse('branches:branch_create')}?commune={empty.pk}" in cell

    def test_officer_lists_only_own_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(reverse("branches:branch_list"))
        assert [b.name for b in response.context["branches"]] == ["Ấp Đại Đức"]
        assert "Ấp Cây Gòn" not in response.content.decode()

    def test_officer_cannot_filter_into_another_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(reverse("branches:branch_list"), {"commune": world["tieu_can"].commune.pk})
        # An out-of-scope choice is not a valid filter value: the list shows nothing of it.
        assert "Ấp Cây Gòn" not in response.content.decode()

    def test_provincial_staff_sees_whole_province_only(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("branches:branch_list"), {"o": "name"})
        assert [b.name for b in response.context["branches"]] == ["Ấp Cây Gòn", "Ấp Đại Đức"]

    def test_filters_and_sorting(self, client, tra_vinh_staff, hieu_tu):
        BranchFactory(commune=hieu_tu, name="Khóm 1", kind=Branch.Kind.QUARTER, member_count=5)
        BranchFactory(commune=hieu_tu, name="Ấp Bến Có", member_count=50)
        BranchFactory(commune=hieu_tu, name="Ấp Ba Se", member_count=20, is_active=False)
        login_verified(client, tra_vinh_staff)
        url = reverse("branches:branch_list")
        by_members = client.get(url, {"o": "-members"}).context["branches"]
        assert [b.member_count for b in by_members] == [50, 20, 5]
        hamlets = client.get(url, {"kind": "ap", "is_active": "1"}).context["branches"]
        assert [b.name for b in hamlets] == ["Ấp Bến Có"]

    def test_a_date_nobody_knows_sorts_last_either_way(self, client, tra_vinh_staff, hieu_tu):
        """A branch without a founding date is neither the oldest nor the newest (SQLite put it first one way,
        PostgreSQL the other)."""
        import datetime

        for name, founded in [
            ("Ấp Không Rõ", None),
            ("Ấp Cũ", datetime.date(1990, 1, 1)),
            ("Ấp Mới", datetime.date(2020, 1, 1)),
        ]:
            BranchFactory(commune=hieu_tu, name=name, founded_on=founded)
        login_verified(client, tra_vinh_staff)
        url = reverse("branches:branch_list")
        mine = {"Ấp Không Rõ", "Ấp Cũ", "Ấp Mới"}
        for order, expected in [
            ("founded", ["Ấp Cũ", "Ấp Mới", "Ấp Không Rõ"]),
            ("-founded", ["Ấp Mới", "Ấp Cũ", "Ấp Không Rõ"]),
        ]:
            rows = client.get(url, {"o": order, "q": "ap"}).context["paginator"].object_list
            assert [b.name for b in rows if b.name in mine] == expected, order

    def test_pagination_and_count(self, client, tra_vinh_staff, hieu_tu, settings):
        BranchFactory.create_batch(30, commune=hieu_tu)
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("branches:branch_list"), {"page": 2})
        assert len(response.context["branches"]) == 5
        assert response.context["paginator"].count == 30
        assert "30 chi đoàn" in response.content.decode()

    def test_empty_state(self, client, tieu_can_officer):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("branches:branch_list"))
        assert reverse("branches:branch_create") in response.content.decode()
        assert response.context["paginator"].count == 0


class TestExport:
    def test_export_uses_scope_and_filters(self, client, tra_vinh_staff, world, hieu_tu):
        BranchFactory(commune=hieu_tu, name="Khóm 9", kind=Branch.Kind.QUARTER)
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("branches:branch_export"), {"kind": "ap"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = table_rows(response)
        assert rows[0][0] == "Chi đoàn"
        names = sorted(row[0] for row in rows[1:])
        assert names == ["Ấp Cây Gòn", "Ấp Đại Đức"]  # not Vĩnh Long's, not the quarter

    def test_export_dates_are_real_dates_and_formulas_are_neutralised(
        self, client, tieu_can_officer, hieu_tu
    ):
        import datetime

        BranchFactory(commune=hieu_tu, name='=HYPERLINK("http://x")', founded_on=datetime.date(2001, 5, 2))
        client.force_login(tieu_can_officer)
        response = client.get(reverse("branches:branch_export"))
        row = table_rows(response)[1]
        assert row[0] == '\'=HYPERLINK("http://x")'
        assert isinstance(row[6], datetime.datetime) and row[6].date() == datetime.date(2001, 5, 2)

    def test_export_is_laid_out_for_sending(self, client, tieu_can_officer, hieu_tu):
        import datetime

        BranchFactory(commune=hieu_tu, name="Ấp Mới", founded_on=datetime.date(2001, 5, 2), member_count=31)
        client.force_login(tieu_can_officer)
        export = read_export(client.get(reverse("branches:branch_export")))
        assert_staff_layout(
            export,
            title="Danh sách chi đoàn",
            unit="Huyện Tiểu Cần",
            dates=("Ngày thành lập",),
            numbers=("Số đoàn viên",),
        )


class TestAutocomplete:
    def test_communes_are_scoped_and_folded(self, client, cang_long_officer, hieu_tu, an_truong):
        client.force_login(cang_long_officer)
        url = reverse("branches:commune_autocomplete")
        assert client.get(url, {"q": "hieu tu"}).json() == {"results": []}
        results = client.get(url, {"q": "an truong"}).json()["results"]
        assert [r["value"] for r in results] == [an_truong.pk]

    def test_limited_number_of_results(self, client, administrator, tieu_can):
        CommuneFactory.create_batch(30, district=tieu_can)
        login_verified(client, administrator)
        results = client.get(reverse("branches:commune_autocomplete"), {"q": "xa"}).json()["results"]
        assert len(results) == 20


class TestHistory:
    def test_branch_page_shows_who_changed_which_field(
        self, client, tieu_can_officer, tieu_can_branch, an_truong
    ):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        client.post(url, form_data(tieu_can_branch.commune, name="Ấp Cây Gòn", member_count=45))
        client.post(reverse("branches:branch_deactivate", args=[tieu_can_branch.pk]))
        response = client.get(tieu_can_branch.get_absolute_url())
        rows = response.context["history"]
        assert [row.action for row in rows] == ["Sửa", "Sửa", "Tạo mới"]
        assert rows[0].who == tieu_can_officer
        assert [(c.label, c.old, c.new) for c in rows[0].changes] == [("đang hoạt động", "Có", "Không")]
        changes = {c.label: (c.old, c.new) for c in rows[1].changes}
        assert changes["số đoàn viên"] == ("32", "45")
        assert changes["ngày thành lập"] == ("—", "15/03/1998")

    def test_history_names_the_commune_it_moved_from(
        self, client, tra_vinh_staff, tieu_can_branch, an_truong
    ):
        login_verified(client, tra_vinh_staff)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        client.post(url, form_data(an_truong, name="Ấp Cây Gòn"))
        rows = client.get(tieu_can_branch.get_absolute_url()).context["history"]
        assert ("xã", "Xã Hiếu Tử", "Xã An Trường") in [(c.label, c.old, c.new) for c in rows[0].changes]

    def test_history_query_count_is_constant(self, client, tieu_can_officer, tieu_can_branch, count_queries):
        client.force_login(tieu_can_officer)
        url = reverse("branches:branch_update", args=[tieu_can_branch.pk])
        client.post(url, form_data(tieu_can_branch.commune, name="Ấp Cây Gòn", member_count=1))
        with count_queries() as few:
            client.get(tieu_can_branch.get_absolute_url())
        for n in range(2, 30):
            client.post(url, form_data(tieu_can_branch.commune, name="Ấp Cây Gòn", member_count=n))
        with count_queries() as many:
            client.get(tieu_can_branch.get_absolute_url())
        assert len(many) == len(few)


def test_a_page_of_the_list_printed_from_the_browser_says_it_is_one_page(
    client, tieu_can_officer, world, monkeypatch
):
    """Ctrl+P prints the page on screen: on paper it says which page of how many, and what prints them all;
    the print view (the whole list) says nothing of pages."""
    from branches.unit_views import BranchListView

    monkeypatch.setattr(BranchListView, "paginate_by", 1)
    BranchFactory(commune=world["tieu_can"].commune, name="Ấp Thứ Hai")
    client.force_login(tieu_can_officer)
    page = " ".join(client.get(reverse("branches:branch_list")).content.decode().split())
    assert 'class="d-none d-print-block small fst-italic" data-print-page-only>' in page
    assert "Chỉ là trang 1/2 của danh sách: dùng nút “Bản in” để in cả danh sách." in page
    assert (
        "data-print-page-only"
        not in client.get(reverse("branches:branch_list"), {"print": "1"}).content.decode()
    )


def test_a_filtered_export_says_its_filters_under_the_unit(client, tieu_can_officer, world):
    """A list sent upward says what part of the unit's list it is; the whole list says nothing more."""
    import io

    from openpyxl import load_workbook

    client.force_login(tieu_can_officer)

    def third_row(query):
        response = client.get(reverse("branches:branch_export"), query)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return sheet.cell(row=3, column=1).value, sheet.cell(row=4, column=1).value

    assert third_row({}) == (None, "STT")
    filtered, header = third_row({"q": "cay gon", "o": "name"})
    assert header == "STT" and filtered.startswith("Lọc theo: ") and "cay gon" in filtered
    assert "Sắp xếp" not in filtered and "name" not in filtered  # the sort order is not a filter


def test_an_export_filtered_by_a_unit_names_it_without_reading_every_choice(
    client, tieu_can_officer, world, hieu_tu, monkeypatch
):
    """The administrator's commune filter offers every commune of the country: the line names the one
    chosen from the row the form already read, never by walking the choices (13,000 rows, 0.4 s)."""
    import io

    from django.forms.models import ModelChoiceIterator
    from openpyxl import load_workbook

    def refuse(self):
        raise AssertionError("the export's filters line read the whole list of choices")

    monkeypatch.setattr(ModelChoiceIterator, "__iter__", refuse)
    client.force_login(tieu_can_officer)
    response = client.get(reverse("branches:branch_export"), {"commune": hieu_tu.pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=3, column=1).value == f"Lọc theo: Xã: {hieu_tu.name}"


def test_a_printed_branch_page_says_the_unit_and_the_day(client, tieu_can_officer, tieu_can_branch):
    """As the lists do on paper: "Đơn vị báo cáo: … · Ngày in …", under the title, printed only."""
    client.force_login(tieu_can_officer)
    html = " ".join(client.get(tieu_can_branch.get_absolute_url()).content.decode().split())
    assert '<div class="d-none d-print-block"> <p class="text-muted report-scope" data-report-scope>' in html
    assert "Đơn vị báo cáo:" in html and "data-report-date" in html
    assert html.index("data-report-scope") < html.index("Số đoàn viên")


def test_the_list_and_its_export_name_each_branchs_secretary(client, tieu_can_officer, world, hieu_tu):
    """An officer's sheet was "ấp – bí thư – SĐT": the list and the export say who leads each branch, with
    the phone, and "—" / empty for a vacancy."""
    person = world["tieu_can_person"]
    empty = BranchFactory(commune=hieu_tu, name="Ấp Trống")
    client.force_login(tieu_can_officer)
    page = " ".join(client.get(reverse("branches:branch_list")).content.decode().split())
    assert "<th>Bí thư</th>" in page
    cells = page.split("<td data-branch-secretary>")[1:]
    by_row = {cell.split("</td>")[0].strip() for cell in cells}
    assert (
        f'<a href="{person.get_absolute_url()}">Nguyễn Văn Tèo</a> '
        '<div class="small text-muted text-nowrap">0912 345 678</div>'
    ) in by_row
    assert '<span class="text-muted">—</span>' in by_row
    commune = client.get(reverse("branches:commune_detail", args=[hieu_tu.code])).content.decode()
    assert "data-branch-secretary" in commune and "Nguyễn Văn Tèo" in commune
    rows = table_rows(client.get(reverse("branches:branch_export")))
    header = rows[0]
    at = header.index("Bí thư")
    assert header[at + 1] == "Số điện thoại bí thư"
    found = {row[0]: (row[at], row[at + 1]) for row in rows[1:]}
    assert found["Ấp Cây Gòn"] == ("Nguyễn Văn Tèo", "0912 345 678")
    assert found[empty.name] in {("", ""), (None, None)}
