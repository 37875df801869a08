import datetime
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretaries.models import Person, Term
from tests.conftest import assert_counts_did_not_grow, jpeg_bytes
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, PersonFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


def person_data(branch, **overrides):
    return {
        "branch": branch.pk,
        "role": "bi_thu",
        "started_on": "01/09/2025",
        "expected_end_on": "28/02/2028",
        "full_name": "Nguyễn Văn Út",
        "gender": "nam",
        "date_of_birth": "12/05/1998",
        "ethnicity": "01",
        "religion": "khong",
        "education_level": "thpt",
        "political_theory_level": "so_cap",
        "is_party_member": "on",
        "party_joined_on": "19/05/2020",
        "occupation": "Nông dân",
        "phone": "0987 654 321",
        "email": "ut@example.vn",
        **overrides,
    }


def sheet_rows(response):
    return table_rows(response)


class TestCreateAndAppoint:
    def test_new_secretary_for_a_vacant_branch(self, client, tieu_can_officer, hieu_tu):
        branch = BranchFactory(commune=hieu_tu, name="Ấp Tân Thành")
        client.force_login(tieu_can_officer)
        data = person_data(
            branch, portrait=SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
        )
        response = client.post(reverse("secretaries:person_create"), data)
        person = Person.objects.get(full_name="Nguyễn Văn Út")
        assert response["Location"] == person.get_absolute_url()
        assert person.district.code == "846" and person.portrait and person.phone_digits == "0987654321"
        term = person.terms.get()
        assert (term.branch, term.role, term.started_on, term.ended_on) == (
            branch,
            "bi_thu",
            D(2025, 9, 1),
            None,
        )
        assert person.history.get().history_user == tieu_can_officer

    def test_replacing_a_secretary_needs_a_confirmation_naming_them(self, client, tieu_can_officer, world):
        branch, old = world["tieu_can"], world["tieu_can_person"]
        client.force_login(tieu_can_officer)
        response = client.post(reverse("secretaries:person_create"), person_data(branch))
        assert response.status_code == 200
        message = str(response.context["form"].errors["confirm_replace"])
        assert "Nguyễn Văn Tèo" in message and "31/08/2025" in message
        assert not Person.objects.filter(full_name="Nguyễn Văn Út").exists()
        assert old.terms.get().ended_on is None

        response = client.post(
            reverse("secretaries:person_create"), person_data(branch, confirm_replace="on")
        )
        assert response.status_code == 302
        old_term = old.terms.get()
        assert old_term.ended_on == D(2025, 8, 31)
        assert "Nguyễn Văn Út" in old_term.end_reason
        assert Term.objects.current().secretaries().get(branch=branch).person.full_name == "Nguyễn Văn Út"

    def test_new_term_cannot_start_before_the_current_one(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        data = person_data(world["tieu_can"], started_on="01/01/2020", confirm_replace="on")
        response = client.post(reverse("secretaries:person_create"), data)
        assert "started_on" in response.context["form"].errors

    def test_a_term_that_has_not_begun_is_refused(self, client, tieu_can_officer, hieu_tu):
        """A term counts from the day it is recorded: one starting tomorrow would fill the vacancy today, and
        could be neither ended (its end would precede its start) nor replaced."""
        from django.utils import timezone

        branch = BranchFactory(commune=hieu_tu, name="Ấp Ngày Mai")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        client.force_login(tieu_can_officer)
        data = person_data(branch, started_on=tomorrow.strftime("%d/%m/%Y"))
        response = client.post(reverse("secretaries:person_create"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["started_on"] == [
            "Ngày này chưa đến: nhiệm kỳ được ghi khi đã bắt đầu."
        ]
        assert 'value="Nguyễn Văn Út"' in response.content.decode()
        assert not Person.objects.filter(full_name="Nguyễn Văn Út").exists()
        # Said at the top of the long form too, linked to the field (on a phone the field is far below).
        summary = response.content.decode().split('id="form-errors"')[1].split("</div>")[0]
        assert '<a class="alert-link" href="#id_started_on">' in summary and "Ngày này chưa đến" in summary

    def test_appoint_an_existing_person_as_deputy(self, client, tieu_can_officer, world, hieu_tu):
        person = world["tieu_can_person"]
        branch = BranchFactory(commune=hieu_tu, name="Khóm 5")
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("secretaries:appoint"),
            {"person": person.pk, "branch": branch.pk, "role": "pho_bi_thu", "started_on": "01/10/2025"},
        )
        assert response.status_code == 302
        assert person.terms.current().count() == 2

    def test_each_appointment_from_the_vacancy_list_returns_to_it(self, client, tieu_can_officer, hieu_tu):
        """Filling several vacancies: "Bổ nhiệm người mới" and "Chọn người có sẵn" come back to the list
        with its filters (`next`, through safe_next: another site's address is not followed)."""
        first = BranchFactory(commune=hieu_tu, name="Ấp Trống Một")
        second = BranchFactory(commune=hieu_tu, name="Ấp Trống Hai")
        client.force_login(tieu_can_officer)
        listing = f"{reverse('secretaries:vacancy_list')}?q=trong"
        page = client.get(listing).content.decode()
        back = quote(listing, safe="/")  # as the template's urlencode writes it
        new = f"{reverse('secretaries:person_create')}?branch={first.pk}&next={back}"
        assert f'href="{new.replace("&", "&amp;")}"' in page
        response = client.post(new, person_data(first))
        assert response.status_code == 302 and response.url == listing
        existing = Person.objects.get(full_name="Nguyễn Văn Út")
        appoint = f"{reverse('secretaries:appoint')}?branch={second.pk}&next={back}"
        data = {"person": existing.pk, "branch": second.pk, "role": "pho_bi_thu", "started_on": "01/10/2025"}
        response = client.post(appoint, data)
        assert response.status_code == 302 and response.url == listing
        elsewhere = f"{reverse('secretaries:person_create')}?next=https://example.com/"
        other = {"full_name": "Trần Văn Hai", "phone": "0987 654 322", "email": "hai@example.vn"}
        response = client.post(elsewhere, person_data(second, **other))
        assert response.status_code == 302
        assert response.url == Person.objects.get(full_name="Trần Văn Hai").get_absolute_url()

    def test_overlapping_role_is_refused_with_a_message(self, client, tieu_can_officer, world, hieu_tu):
        person = world["tieu_can_person"]
        branch = BranchFactory(commune=hieu_tu, name="Khóm 6")
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("secretaries:appoint"),
            {"person": person.pk, "branch": branch.pk, "role": "bi_thu", "started_on": "01/10/2025"},
        )
        assert response.status_code == 200
        assert "Ấp Cây Gòn" in " ".join(response.context["form"].non_field_errors())
        assert person.terms.count() == 1

    def test_appointing_the_current_secretary_again_points_to_their_terms_extension(
        self, client, tieu_can_officer, hieu_tu
    ):
        """Re-elected: not a new appointment. The refusal names the page that moves the term's end and links
        to that term's own (never to another of the person's terms)."""
        branch = BranchFactory(commune=hieu_tu, name="Ấp Sóc Cụt")
        thao = person_with_term(branch=branch, full_name="Thạch Thị Thảo", started_on=D(2023, 4, 2))
        other = BranchFactory(commune=hieu_tu, name="Khóm 7")
        Term.objects.create(person=thao, branch=other, role="pho_bi_thu", started_on=D(2023, 4, 2))
        term = thao.terms.get(branch=branch)
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("secretaries:appoint"),
            {"person": thao.pk, "branch": branch.pk, "role": "bi_thu", "started_on": "01/10/2025"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        refusal = page.split('data-refusal="already_secretary"')[1].split("</div>")[0]
        assert "Thạch Thị Thảo đã là bí thư của Ấp Sóc Cụt" in refusal
        assert "“Gia hạn / tái cử nhiệm kỳ”" in refusal
        link = reverse("secretaries:term_extend", args=[term.pk])
        assert f'<a class="alert-link" href="{link}">Gia hạn / tái cử nhiệm kỳ</a>' in refusal
        # What was typed stays, and nothing was recorded.
        assert f'<option value="{thao.pk}" selected' in page
        assert thao.terms.count() == 2 and term.expected_end_on is None

    def test_officer_cannot_appoint_into_or_from_another_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.post(
            reverse("secretaries:appoint"),
            {
                "person": world["cang_long_person"].pk,
                "branch": world["tieu_can"].pk,
                "role": "pho_bi_thu",
                "started_on": "01/10/2025",
            },
        )
        assert "branch" in response.context["form"].errors
        response = client.post(
            reverse("secretaries:appoint"),
            {
                "person": world["tieu_can_person"].pk,
                "branch": world["cang_long"].pk,
                "role": "pho_bi_thu",
                "started_on": "01/10/2025",
            },
        )
        assert "person" in response.context["form"].errors
        assert Term.objects.count() == 2

    def test_provincial_staff_moves_a_person_to_another_district(self, client, tra_vinh_staff, world):
        person = world["tieu_can_person"]
        login_verified(client, tra_vinh_staff)
        term = person.terms.get()
        client.post(
            reverse("secretaries:term_end", args=[term.pk]), {"ended_on": "30/06/2025", "reason": "Chuyển"}
        )
        branch = BranchFactory(commune=world["cang_long"].commune, name="Ấp Mới")
        client.post(
            reverse("secretaries:appoint"),
            {"person": person.pk, "branch": branch.pk, "role": "bi_thu", "started_on": "01/07/2025"},
        )
        person.refresh_from_db()
        assert person.district.code == "844"

    def test_bad_input_keeps_what_was_typed(self, client, tieu_can_officer, hieu_tu):
        branch = BranchFactory(commune=hieu_tu)
        client.force_login(tieu_can_officer)
        data = person_data(branch, date_of_birth="31/13/1998", party_joined_on="01/01/2000")
        response = client.post(reverse("secretaries:person_create"), data)
        errors = response.context["form"].errors
        assert "date_of_birth" in errors
        html = response.content.decode()
        assert 'value="Nguyễn Văn Út"' in html and 'value="31/13/1998"' in html
        assert f'<option value="{branch.pk}" selected>' in html
        assert not Person.objects.filter(full_name="Nguyễn Văn Út").exists()


class TestEndTerm:
    def test_end_a_term_and_the_branch_becomes_vacant(self, client, tieu_can_officer, world):
        term = world["tieu_can_term"]
        client.force_login(tieu_can_officer)
        vacancies = reverse("secretaries:vacancy_list")
        assert client.get(vacancies).context["totals"]["vacant"] == 0
        response = client.post(
            reverse("secretaries:term_end", args=[term.pk]),
            {"ended_on": "15/07/2025", "reason": "Quá tuổi đoàn"},
        )
        assert response.status_code == 302
        term.refresh_from_db()
        assert term.ended_on == D(2025, 7, 15)
        assert client.get(vacancies).context["totals"]["vacant"] == 1

    def test_cannot_end_on_a_day_to_come(self, client, tieu_can_officer, world):
        from django.utils import timezone

        client.force_login(tieu_can_officer)
        term = world["tieu_can_term"]
        later = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
        response = client.post(reverse("secretaries:term_end", args=[term.pk]), {"ended_on": later})
        assert response.context["form"].errors["ended_on"] == [
            "Ngày này chưa đến: chỉ ghi kết thúc nhiệm kỳ khi đã đến ngày đó."
        ]

    def test_cannot_end_before_it_started(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        term = world["tieu_can_term"]
        response = client.post(reverse("secretaries:term_end", args=[term.pk]), {"ended_on": "01/01/2020"})
        assert "26/03/2022" in str(response.context["form"].errors["ended_on"])


class TestList:
    @pytest.mark.parametrize("query", ["nguyen van", "NGUYỄN VĂN TÈO", "teo", "0912 345", "345678"])
    def test_search_by_name_or_phone(self, client, tieu_can_officer, world, query):
        person_with_term(
            branch=BranchFactory(commune=world["tieu_can"].commune),
            full_name="Trần Thị Mai",
            phone="0377 000 111",
        )
        client.force_login(tieu_can_officer)
        response = client.get(reverse("secretaries:person_list"), {"q": query})
        assert [p.full_name for p in response.context["people"]] == ["Nguyễn Văn Tèo"]

    @pytest.mark.parametrize("query", ["cay gon", "Ấp Cây Gòn", "hieu tu", "xa hieu tu"])
    def test_search_by_the_branch_or_commune_they_lead(self, client, tieu_can_officer, world, query):
        """Tèo leads Ấp Cây Gòn of Xã Hiếu Tử; Mai, of another commune of the district, is not found."""
        person_with_term(
            branch=BranchFactory(commune=CommuneFactory(district=world["tieu_can"].commune.district)),
            full_name="Trần Thị Mai",
        )
        client.force_login(tieu_can_officer)
        response = client.get(reverse("secretaries:person_list"), {"q": query})
        assert [p.full_name for p in response.context["people"]] == ["Nguyễn Văn Tèo"]

    def test_search_by_place_finds_nobody_out_of_scope(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(reverse("secretaries:person_list"), {"q": "cay gon"})
        assert list(response.context["people"]) == []

    def test_a_units_kind_alone_names_no_place(self, client, tieu_can_officer, world):
        """ "ap" is in every hamlet's name: alone it finds the names that have it, not every secretary."""
        client.force_login(tieu_can_officer)
        assert list(client.get(reverse("secretaries:person_list"), {"q": "ap"}).context["people"]) == []

    def test_officer_sees_only_own_district(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(reverse("secretaries:person_list"), {"q": "nguyen"})
        assert list(response.context["people"]) == []
        assert "Nguyễn Văn Tèo" not in response.content.decode()
        auto = client.get(reverse("secretaries:person_autocomplete"), {"q": "teo"}).json()
        assert auto == {"results": []}

    def test_autocomplete_can_offer_only_current_secretaries(self, client, tieu_can_officer, world):
        former = person_with_term(
            branch=BranchFactory(commune=world["tieu_can"].commune), full_name="Nguyễn Văn Tư"
        )
        former.terms.update(ended_on=datetime.date(2024, 1, 1))
        client.force_login(tieu_can_officer)
        url = reverse("secretaries:person_autocomplete")
        everyone = [r["text"] for r in client.get(url, {"q": "nguyen van"}).json()["results"]]
        current = [r["text"] for r in client.get(url, {"q": "nguyen van", "current": "1"}).json()["results"]]
        assert len(everyone) == 2 and len(current) == 1 and current[0].startswith("Nguyễn Văn Tèo")

    def test_filters(self, client, tra_vinh_staff, world, hieu_tu):
        login_verified(client, tra_vinh_staff)
        url = reverse("secretaries:person_list")
        PersonFactory(
            branch=world["tieu_can"],
            full_name="Kim Thị Sa Rươne",
            gender="nu",
            ethnicity="05",
            date_of_birth=D(1985, 1, 1),
        )  # no term: no longer serving

        def names(**params):
            return sorted(p.full_name for p in client.get(url, params).context["people"])

        assert names(gender="nu") == ["Kim Thị Sa Rươne", "Lê Thị Hồng Nhung"]
        assert names(ethnicity="05") == ["Kim Thị Sa Rươne"]
        assert names(status="past") == ["Kim Thị Sa Rươne"]
        assert names(status="current", district=world["tieu_can"].commune.district.pk) == ["Nguyễn Văn Tèo"]
        assert names(commune=hieu_tu.pk) == ["Nguyễn Văn Tèo"]
        assert names(age="gt35") == ["Kim Thị Sa Rươne"]
        assert names(branch_kind="ap", role="bi_thu") == ["Lê Thị Hồng Nhung", "Nguyễn Văn Tèo"]

    def test_export_is_scoped_filtered_and_neutralised(self, client, tieu_can_officer, world):
        person_with_term(
            branch=BranchFactory(commune=world["tieu_can"].commune),
            full_name="=cmd|' /C calc'!A0",
            occupation="+84 Nông dân",
            date_of_birth=D(1999, 2, 3),
            phone="+84 912 345 678",
        )
        client.force_login(tieu_can_officer)
        rows = sheet_rows(client.get(reverse("secretaries:person_export")))
        assert rows[0][:3] == ("Họ và tên", "Giới tính", "Ngày sinh")
        names = [row[0] for row in rows[1:]]
        assert "Lê Thị Hồng Nhung" not in names
        assert "'=cmd|' /C calc'!A0" in names
        evil = next(row for row in rows[1:] if row[0].startswith("'="))
        assert evil[8] == "'+84 Nông dân"  # no religion column for a district officer (sensitive)
        assert "0912 345 678" in evil  # "+84" written as its 0, as every number is (secretaries.phones)
        assert isinstance(evil[2], datetime.datetime) and evil[2].date() == D(1999, 2, 3)
        filtered = sheet_rows(client.get(reverse("secretaries:person_export"), {"q": "teo"}))
        assert [row[0] for row in filtered[1:]] == ["Nguyễn Văn Tèo"]
        # In the list's order: the youngest first, as the column was sorted (not the names' order).
        for name, born in (("An Văn Già", D(1980, 1, 1)), ("Vũ Văn Trẻ", D(2004, 1, 1))):
            person_with_term(
                branch=BranchFactory(commune=world["tieu_can"].commune), full_name=name, date_of_birth=born
            )
        youngest_first = sheet_rows(client.get(reverse("secretaries:person_export"), {"o": "-born"}))
        on_the_page = client.get(reverse("secretaries:person_list"), {"o": "-born"}).context["people"]
        assert [row[0].lstrip("'") for row in youngest_first[1:]] == [p.full_name for p in on_the_page]
        born = [row[2] for row in youngest_first[1:]]
        assert born == sorted(born, reverse=True) and len(born) > 1

    def test_export_is_laid_out_for_sending(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        export = read_export(client.get(reverse("secretaries:person_export")))
        assert_staff_layout(
            export,
            title="Danh sách Bí thư Chi đoàn",
            unit="Huyện Tiểu Cần",
            dates=("Ngày sinh", "Ngày bắt đầu nhiệm kỳ"),
        )


class TestPersonPage:
    def test_a_refused_edit_names_the_person_as_stored(self, client, tieu_can_officer, world):
        person = world["tieu_can_person"]
        client.force_login(tieu_can_officer)
        data = {"full_name": "Tên Chưa Lưu", "gender": "nam", "date_of_birth": "02/02/1996", "phone": "1"}
        response = client.post(reverse("secretaries:person_update", args=[person.pk]), data)
        assert response.status_code == 200 and response.context["form"].errors["phone"]
        page = response.content.decode()
        title = page.split("<title>")[1].split("</title>")[0]
        crumbs = page.split('<ol class="breadcrumb')[1].split("</ol>")[0]
        assert "Tên Chưa Lưu" not in title + crumbs
        assert person.full_name in title and person.full_name in crumbs

    def test_profile_terms_and_history(self, client, tieu_can_officer, world):
        person = world["tieu_can_person"]
        client.force_login(tieu_can_officer)
        data = {
            "full_name": "Nguyễn Văn Tèo",
            "gender": "nam",
            "date_of_birth": "02/02/1996",
            "ethnicity": "05",
            "religion": "phat_giao",  # ignored: a district officer does not set religion (sensitive)
            "political_theory_level": "chua_co",
            "phone": "0912 345 678",
        }
        assert client.post(reverse("secretaries:person_update", args=[person.pk]), data).status_code == 302
        response = client.get(person.get_absolute_url())
        html = response.content.decode()
        assert "Ấp Cây Gòn" in html and "26/03/2022" in html
        latest = response.context["history"][0]
        assert latest.who == tieu_can_officer
        changes = {c.label: (c.old, c.new) for c in latest.changes}
        assert changes["dân tộc"] == ("Kinh", "Khmer")
        assert "tôn giáo" not in changes
        person.refresh_from_db()
        assert person.religion == "khong"


def _grow(world, n):
    for _ in range(n):
        commune = CommuneFactory(district=world["tieu_can"].commune.district)
        for _branch in range(3):
            branch = BranchFactory(commune=commune)
            person = person_with_term(branch=branch)
            Term.objects.create(
                person=person,
                branch=BranchFactory(commune=commune),
                role="pho_bi_thu",
                started_on=D(2023, 1, 1),
            )
        BranchFactory(commune=commune)  # vacant


PAGES = [
    ("list", lambda w: reverse("secretaries:person_list")),
    ("list filtered", lambda w: reverse("secretaries:person_list") + "?status=current&gender=nam&o=-born"),
    ("detail", lambda w: w["tieu_can_person"].get_absolute_url()),
    ("vacancies", lambda w: reverse("secretaries:vacancy_list")),
    ("vacancy export", lambda w: reverse("secretaries:vacancy_export") + "?o=-members"),
    ("create form", lambda w: reverse("secretaries:person_create")),
    ("branch detail", lambda w: w["tieu_can"].get_absolute_url()),
    ("home", lambda w: reverse("home")),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    BranchFactory(commune=world["tieu_can"].commune)  # one vacancy, so no list starts empty
    small = query_counts(personas, PAGES, world)
    _grow(world, 5)
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


def test_people_sort_by_given_name_the_vietnamese_way(client, tra_vinh_staff, world):
    branch = BranchFactory(commune=world["tieu_can"].commune)
    for name in ["Trần Thị Bích", "Lê Văn An", "Nguyễn Thị Ánh"]:
        PersonFactory(branch=branch, full_name=name)
    login_verified(client, tra_vinh_staff)
    names = [p.full_name for p in client.get(reverse("secretaries:person_list")).context["people"]]
    assert names == ["Lê Văn An", "Nguyễn Thị Ánh", "Trần Thị Bích", "Lê Thị Hồng Nhung", "Nguyễn Văn Tèo"]


def test_a_huge_result_is_counted_only_up_to_the_cap(client, tra_vinh_staff, world, monkeypatch):
    from core.mixins import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 1)
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("secretaries:person_list"))
    assert response.context["paginator"].capped
    assert "Hơn 1 kết quả" in response.content.decode()
    assert len(response.context["people"]) == 2  # the page itself is complete


def test_page_of_someone_no_longer_serving(client, tieu_can_officer, world):
    from secretaries.services import term_end

    term_end(term=world["tieu_can_term"], ended_on=D(2025, 8, 31), reason="Chuyển công tác")
    client.force_login(tieu_can_officer)
    response = client.get(world["tieu_can_person"].get_absolute_url())
    html = response.content.decode()
    assert "Đã thôi đảm nhiệm" in html and "Chuyển công tác" in html
    assert "Xã Hiếu Tử" in html[html.index('class="breadcrumb') :]


def test_vacancy_rate_is_a_percentage(client, tieu_can_officer, world):
    BranchFactory(commune=world["tieu_can"].commune)  # 1 of 2 Tiểu Cần branches is vacant
    client.force_login(tieu_can_officer)
    response = client.get(reverse("secretaries:vacancy_list"))
    assert response.context["totals"] == {"branches": 2, "vacant": 1, "rate": 50.0}
    assert "(50,0%)" in response.content.decode()


def test_a_filtered_vacancy_lists_headline_speaks_of_the_filtered_list(
    client, tra_vinh_staff, world, an_truong, count_queries
):
    """ "Lọc theo: Huyện Càng Long": the headline counts Càng Long's branches, as the list under it does,
    and the table per unit says it is the whole scope's."""
    BranchFactory(commune=world["tieu_can"].commune)  # vacant, in Tiểu Cần
    BranchFactory(commune=an_truong, name="Ấp Trống")  # vacant, in Càng Long (which has a secretary's too)
    login_verified(client, tra_vinh_staff)
    url = reverse("secretaries:vacancy_list")
    whole = client.get(url)
    assert (
        whole.context["totals"]["vacant"] == 2 and "data-vacancy-summary-whole" not in whole.content.decode()
    )
    query = {"district": an_truong.district_id}
    with count_queries() as small:
        response = client.get(url, query)
    assert response.context["paginator"].count == 1
    assert response.context["totals"] == {"branches": 2, "vacant": 1, "rate": 50.0}
    html = " ".join(response.content.decode().split())
    assert "1 trong số 2 chi đoàn đang hoạt động theo bộ lọc này chưa có bí thư (50,0%)." in html
    assert "data-vacancy-summary-whole" in html
    for n in range(3):
        BranchFactory(commune=an_truong, name=f"Ấp Trống {n}")
    with count_queries() as large:
        assert client.get(url, query).context["totals"]["vacant"] == 4
    assert len(large) == len(small)


def test_vacancy_summary_rows_are_drawn_escaped_with_their_links(client, tra_vinh_staff, world):
    """The summary per unit is drawn in the view (person_views.draw_vacancy_rows): each unit's name escaped
    and linked to the list filtered on it, an ended unit's end, the counts, and a rate over 20 % marked. An
    ended unit's row counts its branches still under it (waiting for their new commune): it says so, and its
    link keeps those."""
    commune = world["tieu_can"].commune
    district = commune.district
    district.name = "Huyện <b>Tiểu</b> Cần"
    district.ended_on = commune.ended_on = datetime.date(2025, 6, 30)  # as on 01/07/2025: until when
    district.save(update_fields=["name", "ended_on"])
    commune.save(update_fields=["ended_on"])
    BranchFactory(commune=world["tieu_can"].commune)  # 1 of Tiểu Cần's 2 branches is vacant: 50 %
    login_verified(client, tra_vinh_staff)
    url = reverse("secretaries:vacancy_list")
    html = client.get(url).content.decode().split('id="vacancy-summary"')[1]
    row = next(r for r in html.split("<tr>") if "&lt;b&gt;" in r)
    link = f'<a href="{url}?district={district.pk}&amp;waiting=1">Huyện &lt;b&gt;Tiểu&lt;/b&gt; Cần</a>'
    ended = ' <span class="small text-muted">(đến ngày 30/06/2025) · Chi đoàn chờ xác định xã mới</span>'
    assert row.startswith(f"<td>{link}{ended}</td>") and "<b>" not in row
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in row
    assert '<span class="text-danger fw-semibold">50,0%</span>' in row
    totals = client.get(url, {"district": district.pk, "waiting": "1"}).context["totals"]
    assert (totals["branches"], totals["vacant"]) == (2, 1)


def test_the_vacancy_lists_units_come_after_the_list_most_vacancies_first(
    client, tra_vinh_staff, world, an_truong
):
    """The page's work is its list of vacant branches: it comes first, with a link down to the counts per
    unit, sorted by vacancies (most first, then name); the units without any are folded away."""
    from tests.factories import DistrictFactory

    BranchFactory(commune=world["tieu_can"].commune, name="Ấp Trống Một")
    BranchFactory(commune=world["tieu_can"].commune, name="Ấp Trống Hai")
    BranchFactory(commune=an_truong, name="Ấp Trống Ba")
    cau_ke = DistrictFactory(code="848", name="Huyện Cầu Kè", province=an_truong.district.province)
    person_with_term(branch=BranchFactory(commune=CommuneFactory(code="29380", district=cau_ke)))
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("secretaries:vacancy_list")).content.decode()
    assert 'href="#vacancy-per-unit"' in html
    assert html.index("Ấp Trống Ba") < html.index('id="vacancy-per-unit"')
    first = html.split('id="vacancy-summary"')[1].split("</table>")[0]
    assert first.index("Huyện Tiểu Cần") < first.index("Huyện Càng Long") and "Huyện Cầu Kè" not in first
    folded = html.split("data-vacancy-full-units")[1].split("</details>")[0]
    assert "1 đơn vị có bí thư ở mọi chi đoàn đang hoạt động" in " ".join(folded.split())
    assert "Huyện Cầu Kè" in folded and "Huyện Càng Long" not in folded


class TestVacancyExport:
    """The vacancy list's "Xuất Excel": the page's rows (filters, order, scope) and columns, laid out."""

    @pytest.fixture
    def vacancies(self, world, an_truong):
        hieu_tu = world["tieu_can"].commune
        for name, members in (("Ấp Trống Một", 12), ("Ấp Trống Hai", 40), ("Ấp Trống Ba", 25)):
            BranchFactory(commune=hieu_tu, name=name, member_count=members)
        BranchFactory(commune=hieu_tu, name="Ấp Xa Xôi", member_count=8)
        # Vacant too, in another district: not the Tiểu Cần officer's.
        BranchFactory(commune=an_truong, name="Ấp Trống Càng Long", member_count=30)

    def test_the_export_has_the_pages_rows_in_its_order(self, client, tieu_can_officer, world, vacancies):
        client.force_login(tieu_can_officer)
        query = {"q": "trong", "o": "-members"}
        page = client.get(reverse("secretaries:vacancy_list"), query).context["branches"]
        export = read_export(client.get(reverse("secretaries:vacancy_export"), query))
        assert export.header == ("Chi đoàn", "Xã", "Số đoàn viên")  # no District column, as on the page
        assert [row[0] for row in export.rows] == [b.name for b in page]
        assert export.rows == [
            ("Ấp Trống Hai", "Xã Hiếu Tử", 40),
            ("Ấp Trống Ba", "Xã Hiếu Tử", 25),
            ("Ấp Trống Một", "Xã Hiếu Tử", 12),
        ]
        assert export.sheet["A3"].value == "Lọc theo: Tìm kiếm: trong"
        whole = read_export(client.get(reverse("secretaries:vacancy_export")))
        assert "Ấp Trống Càng Long" not in whole.column("Chi đoàn")  # another district's
        assert "Ấp Cây Gòn" not in whole.column("Chi đoàn")  # has a secretary
        assert len(whole.rows) == 4

    def test_the_province_sees_both_districts_and_the_administrator_the_province(
        self, client, tra_vinh_staff, administrator, world, vacancies
    ):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse("secretaries:vacancy_export"), {"q": "trong"}))
        assert export.header == ("Chi đoàn", "Xã", "Huyện", "Số đoàn viên")
        assert ("Ấp Trống Càng Long", "Xã An Trường", "Huyện Càng Long", 30) in export.rows
        assert len(export.rows) == 4
        login_verified(client, administrator)
        export = read_export(client.get(reverse("secretaries:vacancy_export"), {"q": "trong càng"}))
        assert export.table == [
            ("Chi đoàn", "Xã", "Huyện", "Tỉnh", "Số đoàn viên"),
            ("Ấp Trống Càng Long", "Xã An Trường", "Huyện Càng Long", "Tỉnh Trà Vinh", 30),
        ]

    def test_the_export_is_laid_out_for_sending(self, client, tieu_can_officer, world, vacancies):
        client.force_login(tieu_can_officer)
        export = read_export(client.get(reverse("secretaries:vacancy_export")))
        assert_staff_layout(
            export,
            title="Danh sách chi đoàn chưa có bí thư",
            unit="Huyện Tiểu Cần",
            numbers=("Số đoàn viên",),
        )

    def test_the_list_links_its_export_with_its_filters(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        html = client.get(reverse("secretaries:vacancy_list"), {"q": "trong", "page": "1"}).content.decode()
        assert f'href="{reverse("secretaries:vacancy_export")}?q=trong"' in html


def test_vacancy_print_view_lists_every_branch_on_one_page(client, tieu_can_officer, world):
    from django.conf import settings

    names = [
        BranchFactory(commune=world["tieu_can"].commune, name=f"Ấp Trống {n:02d}").name for n in range(30)
    ]
    assert len(names) > settings.PAGE_SIZE
    client.force_login(tieu_can_officer)
    screen = client.get(reverse("secretaries:vacancy_list"), {"q": "trong", "page": "2"})
    assert "print=1" in screen.context["print_query"] and "page=" not in screen.context["print_query"]
    html = client.get(reverse("secretaries:vacancy_list"), {"print": "1"}).content.decode()
    assert all(name in html for name in names)
    assert "data-print" in html and "data-report-date" in html and "Huyện Tiểu Cần" in html


@pytest.mark.parametrize("list_name", ["secretaries:person_list", "branches:branch_list"])
def test_the_lists_print_view_holds_the_whole_list_and_says_when_it_is_cut(
    client, tieu_can_officer, world, list_name, monkeypatch, count_queries
):
    """The secretary and branch lists, like the vacancies: `?print=1` puts the whole filtered list on one
    page with the unit and the day; past `print_rows` it says the print is cut and how to narrow it."""
    from django.conf import settings
    from django.urls import resolve

    from tests.factories import person_with_term

    commune = world["tieu_can"].commune
    people, branches = [], []
    for n in range(settings.PAGE_SIZE + 5):
        branches.append(BranchFactory(commune=commune, name=f"Ấp In {n:02d}"))
        people.append(person_with_term(branch=branches[-1], full_name=f"Lâm Văn In {n:02d}"))
    names = (
        [p.full_name for p in people] if list_name.startswith("secretaries") else [b.name for b in branches]
    )
    client.force_login(tieu_can_officer)
    url = reverse(list_name)
    screen = client.get(url, {"q": "in", "page": "2"})
    assert "print=1" in screen.context["print_query"] and "page=" not in screen.context["print_query"]
    # The way to the print view, with the list's filters.
    assert "?" + screen.context["print_query"].replace("&", "&amp;") in screen.content.decode()
    with count_queries() as few:
        html = client.get(url, {"q": "in", "print": "1"}).content.decode()
    assert all(name in html for name in names)
    assert "data-print" in html and "data-report-date" in html and "data-print-cut" not in html
    # On paper, what the list was narrowed by, as its export writes it.
    assert "Lọc theo: Tìm kiếm: in" in " ".join(html.split())
    # The whole list costs the queries of a page, whatever its length.
    for n in range(settings.PAGE_SIZE + 5, 2 * settings.PAGE_SIZE + 5):
        person_with_term(
            branch=BranchFactory(commune=commune, name=f"Ấp In {n:02d}"), full_name=f"Lâm Văn In {n}"
        )
    with count_queries() as many:
        client.get(url, {"q": "in", "print": "1"})
    assert len(many) == len(few)

    monkeypatch.setattr(resolve(url).func.view_class, "print_rows", 10)
    cut = client.get(url, {"q": "in", "print": "1"})
    assert sum(name in cut.content.decode() for name in names) == 10
    assert (
        "data-print-cut" in cut.content.decode() and "Bản in này chỉ có 10 dòng đầu" in cut.content.decode()
    )


def test_terms_ending_soon_from_home_to_list(client, tieu_can_officer, world):
    from django.utils import timezone

    term = world["tieu_can_term"]
    term.expected_end_on = timezone.localdate() + datetime.timedelta(days=20)
    term.save()
    client.force_login(tieu_can_officer)
    home = client.get(reverse("home"))
    panel = home.context["panels"][0].context
    assert panel["ending_count"] == 1 and panel["ending_soon"] == [term]
    # Each links to where it is settled: ending the term, and the list of them all (even of one).
    page = home.content.decode()
    assert f'href="{reverse("secretaries:term_end", args=[term.pk])}"' in page
    assert f'href="{reverse("secretaries:person_list")}?ending=soon"' in page
    people = client.get(reverse("secretaries:person_list"), {"ending": "soon"}).context["people"]
    assert [p.full_name for p in people] == ["Nguyễn Văn Tèo"]
    assert not client.get(reverse("secretaries:person_list"), {"ending": "overdue"}).context["people"]


def test_a_term_ending_soon_in_a_branch_still_under_an_ended_commune_names_its_end(
    client, tieu_can_officer, world, hieu_tu
):
    """A branch waiting for its new commune is under one that ended: the first screen's line says so, not
    to be taken for today's commune of the same name."""
    from django.utils import timezone

    term = world["tieu_can_term"]
    term.expected_end_on = timezone.localdate() + datetime.timedelta(days=20)
    term.save()
    type(hieu_tu).objects.filter(pk=hieu_tu.pk).update(ended_on=datetime.date(2025, 6, 30))
    client.force_login(tieu_can_officer)
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert 'Ấp Cây Gòn, Xã Hiếu Tử <span class="small text-muted">(đến ngày 30/06/2025)</span>' in html


def test_terms_past_their_end_are_on_the_first_screen_with_their_list(client, tieu_can_officer, world):
    """A term past its expected end and still current (re-elected or ended, not recorded) is not "ending
    soon": the first screen counts it apart and opens the list of them."""
    from django.utils import timezone

    term = world["tieu_can_term"]
    client.force_login(tieu_can_officer)
    assert 'data-stat="overdue"' not in client.get(reverse("home")).content.decode()
    term.expected_end_on = timezone.localdate() - datetime.timedelta(days=3)
    term.save()
    page = client.get(reverse("home")).content.decode()
    assert "1 nhiệm kỳ đã quá hạn, chưa cập nhật" in page
    assert f'href="{reverse("secretaries:person_list")}?ending=overdue"' in page
    people = client.get(reverse("secretaries:person_list"), {"ending": "overdue"}).context["people"]
    assert [p.full_name for p in people] == ["Nguyễn Văn Tèo"]


def test_serving_filters_count_the_terms_held_in_the_users_scope(client, world, hieu_tu, an_truong):
    """A commune reads the people who served its branches, some serving in another commune now: its list
    does not count them as serving there, nor their term ending (its first screen does not either)."""
    from django.utils import timezone

    from secretaries.services import term_appoint
    from tests.factories import UserFactory

    hieu_tu_officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    an_truong_officer = UserFactory(username="doanxa.antruong", role="commune_officer", commune=an_truong)
    moved = person_with_term(
        branch=BranchFactory(commune=hieu_tu), full_name="Trần Văn Chuyển", started_on=D(2020, 1, 1)
    )
    moved.terms.update(ended_on=D(2023, 1, 1))
    term_appoint(
        person=moved,
        branch=BranchFactory(commune=an_truong),
        role=Term.Role.SECRETARY,
        started_on=D(2023, 2, 1),
        expected_end_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    url = reverse("secretaries:person_list")

    def names(**params):
        return {p.full_name for p in client.get(url, params).context["people"]}

    client.force_login(hieu_tu_officer)
    assert "Trần Văn Chuyển" in names()
    assert "Trần Văn Chuyển" not in names(ending="soon")
    assert "Trần Văn Chuyển" not in names(status="current")
    assert "Trần Văn Chuyển" in names(status="past")
    assert "Trần Văn Chuyển" not in names(role=Term.Role.SECRETARY)
    assert client.get(reverse("home")).context["panels"][0].context["ending_count"] == 0
    # Nor offered to nominate for commendation (a commune nominates the secretaries it has now).
    offered = reverse("secretaries:person_autocomplete")
    assert client.get(offered, {"q": "chuyen", "current": 1}).json()["results"] == []
    # An Trường, where they serve, counts them.
    client.force_login(an_truong_officer)
    assert "Trần Văn Chuyển" in names(ending="soon")
    assert [r["text"] for r in client.get(offered, {"q": "chuyen", "current": 1}).json()["results"]] == [
        f"Trần Văn Chuyển ({moved.date_of_birth.year})"
    ]
    assert "Trần Văn Chuyển" in names(status="current", role=Term.Role.SECRETARY)
    assert client.get(reverse("home")).context["panels"][0].context["ending_count"] == 1


def test_the_terms_ending_soon_read_as_a_calendar(client, tieu_can_officer, world, hieu_tu):
    """The list of terms ending within 60 days: the first to end on top, each with its date (the list was in
    alphabetical order, without dates); a column header's sort still wins."""
    from django.utils import timezone

    today = timezone.localdate()
    for days, name in [(40, "An Văn Sau"), (5, "Vũ Thị Trước")]:
        person = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name=name)
        person.terms.update(expected_end_on=today + datetime.timedelta(days=days))
    client.force_login(tieu_can_officer)
    url = reverse("secretaries:person_list")
    response = client.get(url, {"ending": "soon"})
    assert [p.full_name for p in response.context["people"]] == ["Vũ Thị Trước", "An Văn Sau"]
    soon = (today + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    assert f"(dự kiến hết ngày {soon})" in response.content.decode()
    by_name = client.get(url, {"ending": "soon", "o": "name"}).context["people"]
    assert [p.full_name for p in by_name] == ["An Văn Sau", "Vũ Thị Trước"]


@pytest.mark.parametrize("ending", [8, 10])
def test_an_officers_first_screen_shows_eight_terms_ending_and_counts_them_all(
    client, tieu_can_officer, world, ending
):
    """Eight shown; their number is that of the list when they all fit, counted when more end."""
    from django.utils import timezone

    from secretaries.models import Term
    from tests.factories import BranchFactory

    district_terms = Term.objects.filter(
        branch__commune__district=world["tieu_can"].commune.district_id, ended_on__isnull=True
    )
    for i in range(ending - district_terms.count()):
        branch = BranchFactory(commune=world["tieu_can"].commune, name=f"Ấp Hết Hạn {i}")
        person_with_term(branch=branch, full_name=f"Người Hết Hạn {i}", phone=f"0912{i:06d}")
    district_terms.update(expected_end_on=timezone.localdate() + datetime.timedelta(days=20))
    assert district_terms.count() == ending
    client.force_login(tieu_can_officer)
    panel = client.get(reverse("home")).context["panels"][0].context
    assert panel["ending_count"] == ending
    assert len(panel["ending_soon"]) == 8


def test_d_with_stroke_sorts_after_d():
    from core.text import name_sort_key

    names = ["Đoàn Văn Đạt", "Dương Ngọc Dung", "Lê Thị Duyên", "Trần Văn Đức", "Võ Văn Em"]
    assert sorted(names, key=name_sort_key) == [
        "Dương Ngọc Dung",
        "Lê Thị Duyên",
        "Đoàn Văn Đạt",
        "Trần Văn Đức",
        "Võ Văn Em",
    ]


def test_export_lists_someone_with_two_current_terms_once(client, tieu_can_officer, world, hieu_tu):
    person = world["tieu_can_person"]
    Term.objects.create(
        person=person, branch=BranchFactory(commune=hieu_tu), role="pho_bi_thu", started_on=D(2024, 1, 1)
    )
    client.force_login(tieu_can_officer)
    rows = sheet_rows(client.get(reverse("secretaries:person_export")))
    teo = [row for row in rows[1:] if row[0] == "Nguyễn Văn Tèo"]
    # (no religion column for a district officer: sensitive data, secretaries/sensitive.py)
    assert len(teo) == 1 and teo[0][11] == "Bí thư" and teo[0][12] == "Ấp Cây Gòn"


def test_a_persons_breadcrumbs_are_their_branchs_units_today(client, administrator):
    """A person recorded in an old district whose branch went into a new commune of a new province on
    01/07/2025: the page sits under the branch's units today, as the branch's own page does, not under a
    district that no longer exists above a commune it never had; the units recorded stay on the record and
    are said beside the profile."""
    from tests.factories import DistrictFactory, ProvinceFactory

    old_province = ProvinceFactory(code="91", name="Tỉnh Cũ", ended_on=D(2025, 6, 30))
    old_district = DistrictFactory(
        code="911", name="Huyện Cũ", province=old_province, ended_on=D(2025, 6, 30)
    )
    old_commune = CommuneFactory(code="39101", name="Xã Cũ", district=old_district, ended_on=D(2025, 6, 30))
    branch = BranchFactory(commune=old_commune, name="Ấp Nguyên")
    person = person_with_term(branch=branch, full_name="Trần Văn Gốc")
    new_province = ProvinceFactory(code="92", name="Tỉnh Mới")
    branch.commune = CommuneFactory(code="39201", name="Xã Mới", province=new_province, district=None)
    branch.save()
    login_verified(client, administrator)
    response = client.get(person.get_absolute_url())
    crumbs = response.context["breadcrumbs"]
    assert (crumbs["province"], crumbs["district"], crumbs["commune"]) == (new_province, None, branch.commune)
    nav = response.content.decode().split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert "Tỉnh Mới" in nav and "Xã Mới" in nav and "Huyện Cũ" not in nav and "Tỉnh Cũ" not in nav
    person.refresh_from_db()
    assert (person.province, person.district) == (old_province, old_district)
    # The units recorded are said beside the profile.
    assert response.context["recorded_under"] == [old_district, old_province]
    recorded = response.content.decode().split("data-recorded-under>")[1].split("</dd>")[0]
    assert "Huyện Cũ" in recorded and "Tỉnh Cũ" in recorded
    # A person whose branch has not moved: nothing to say twice.
    assert (
        client.get(person_with_term(branch=BranchFactory()).get_absolute_url()).context["recorded_under"]
        == []
    )


def test_the_first_screens_top_units_say_alike_which_units_they_are(
    client, tra_vinh_staff, world, monkeypatch
):
    """The chart, the table under it and its link name the same units (here districts), in the same words;
    no "Bí thư:" before the table's title."""
    from secretaries import home

    monkeypatch.setattr(home, "SHOWN_UNITS", 1)
    login_verified(client, tra_vinh_staff)
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert "Chi đoàn có và chưa có bí thư: 1 huyện có nhiều chi đoàn chưa có bí thư nhất" in html
    assert '<h2 class="h6 text-muted"> 1 huyện có nhiều chi đoàn chưa có bí thư nhất </h2>' in html
    assert "Bí thư: 1" not in html and "Xem cả 2 huyện ›" in html


def test_a_list_row_says_a_person_serving_in_another_commune_now_is_no_longer_serving_here(
    client, world, hieu_tu, an_truong
):
    """The row says what the filters count (selectors.serving_here): a former secretary of the commune's
    branches who leads a branch of another commune now reads "Đã thôi đảm nhiệm", and where they serve now
    muted, not as a term of this unit with its due date."""
    from django.utils import timezone

    from secretaries.services import term_appoint
    from tests.factories import UserFactory

    officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    moved = person_with_term(
        branch=BranchFactory(commune=hieu_tu), full_name="Trần Văn Chuyển", started_on=D(2020, 1, 1)
    )
    moved.terms.update(ended_on=D(2023, 1, 1))
    due = timezone.localdate() + datetime.timedelta(days=100)
    term_appoint(
        person=moved,
        branch=BranchFactory(commune=an_truong, name="Ấp Nơi Khác"),
        role=Term.Role.SECRETARY,
        started_on=D(2023, 2, 1),
        expected_end_on=due,
    )
    client.force_login(officer)
    url = reverse("secretaries:person_list")
    response = client.get(url, {"status": "past"})
    assert "Trần Văn Chuyển" in {p.full_name for p in response.context["people"]}
    page = response.content.decode()
    row = page[page.index("Trần Văn Chuyển") :]
    row = row[: row.index("</tr>")]
    assert "Đã thôi đảm nhiệm" in row
    assert f"nay là Bí thư ở Ấp Nơi Khác, {an_truong.name}" in row  # named, not linked
    assert due.strftime("%d/%m/%Y") not in row and "/branches/" not in row
    # Where they serve, the row is their term.
    client.force_login(UserFactory(username="doanxa.antruong", role="commune_officer", commune=an_truong))
    page = client.get(url).content.decode()
    row = page[page.index("Trần Văn Chuyển") :]
    row = row[: row.index("</tr>")]
    assert "Ấp Nơi Khác" in row and "Đã thôi đảm nhiệm" not in row and "nay là" not in row


def test_a_read_only_record_offers_no_appointment_and_the_appointment_is_refused(
    client, world, hieu_tu, an_truong
):
    """The person page of a record another commune keeps now offers nothing to change, "Bổ nhiệm vào chi
    đoàn" included, and the appointment form refuses that person (selectors.manages_person)."""
    from secretaries.services import term_appoint
    from tests.factories import UserFactory

    officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    moved = person_with_term(
        branch=BranchFactory(commune=hieu_tu), full_name="Trần Văn Chuyển", started_on=D(2020, 1, 1)
    )
    moved.terms.update(ended_on=D(2023, 1, 1))
    term_appoint(
        person=moved,
        branch=BranchFactory(commune=an_truong),
        role=Term.Role.SECRETARY,
        started_on=D(2023, 2, 1),
    )
    client.force_login(officer)
    page = client.get(moved.get_absolute_url()).content.decode()
    assert "data-read-only" in page
    assert "Bổ nhiệm vào chi đoàn" not in page and reverse("secretaries:appoint") not in page
    vacant = BranchFactory(commune=hieu_tu, name="Ấp Trống Chỗ")
    response = client.post(
        reverse("secretaries:appoint"),
        {"person": moved.pk, "branch": vacant.pk, "role": "pho_bi_thu", "started_on": "01/10/2025"},
    )
    assert response.status_code == 200
    assert "do đơn vị khác quản lý" in response.content.decode()
    assert not moved.terms.filter(branch=vacant).exists()
    # A record the commune keeps is still offered and appointed.
    kept = world["tieu_can_person"]
    assert "Bổ nhiệm vào chi đoàn" in client.get(kept.get_absolute_url()).content.decode()


def test_a_new_provinces_vacancy_list_has_no_district_column(client, tra_vinh_staff, world):
    """Since 01/07/2025 a commune is under its province: the staff of a province formed then get no
    "Huyện" column (nor its sort) in the vacancies, as their branch and people lists; Trà Vinh's keep it."""
    from accounts.models import User
    from branches.divisions import REFORM_DAY
    from tests.factories import ProvinceFactory, UserFactory

    province = ProvinceFactory(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=REFORM_DAY)
    commune = CommuneFactory(code="29365", name="Xã Tập Ngãi", province=province, district=None)
    BranchFactory(commune=commune, name="Ấp Trống")
    BranchFactory(commune=world["tieu_can"].commune, name="Ấp Trống Cũ")
    staff = UserFactory(username="tinhdoan.moi", role=User.Role.PROVINCIAL_STAFF, province=province)
    url = reverse("secretaries:vacancy_list")
    login_verified(client, staff)
    page = client.get(url).content.decode()
    assert "Ấp Trống" in page and "Huyện" not in page and "o=district" not in page
    login_verified(client, tra_vinh_staff)
    page = client.get(url).content.decode()
    assert "Ấp Trống Cũ" in page and "o=district" in page and "Huyện Tiểu Cần" in page


class TestTermDatesAgreeWithHistory:
    """A branch has one secretary on any day, no term before the branch was founded, and an ended term of
    the person's is answered with a later start, not "end it first" (QA findings 1, 2, 5)."""

    def _appoint(self, client, person, branch, started_on, role="bi_thu"):
        return client.post(
            reverse("secretaries:appoint"),
            {"person": person.pk, "branch": branch.pk, "role": role, "started_on": started_on},
        )

    def test_a_start_within_a_previous_secretarys_term_is_refused(self, client, tieu_can_officer, hieu_tu):
        branch = BranchFactory(commune=hieu_tu, name="Ấp Giồng Lớn")
        tuyet = person_with_term(branch=branch, full_name="Dương Ngọc Tuyết", started_on=D(2022, 8, 6))
        tuyet.terms.update(ended_on=D(2025, 5, 16))
        long = PersonFactory(branch=branch, full_name="Lê Hoàng Long")
        client.force_login(tieu_can_officer)
        response = self._appoint(client, long, branch, "01/01/2025")
        assert response.status_code == 200
        assert response.context["form"].errors["started_on"] == [
            "Dương Ngọc Tuyết là bí thư Ấp Giồng Lớn từ 06/08/2022 đến 16/05/2025: "
            "mỗi chi đoàn chỉ có một bí thư tại một thời điểm, "
            "nên nhiệm kỳ mới chỉ có thể bắt đầu từ ngày 17/05/2025."
        ]
        assert not long.terms.exists()
        # A start before the old term overlaps it too (the new term runs on); deputies are not limited.
        assert self._appoint(client, long, branch, "01/01/2022").status_code == 200
        assert self._appoint(client, long, branch, "01/01/2025", role="pho_bi_thu").status_code == 302
        other = PersonFactory(branch=branch)
        assert self._appoint(client, other, branch, "17/05/2025").status_code == 302

    def test_a_term_cannot_start_before_the_branch_was_founded(self, client, tieu_can_officer, hieu_tu):
        branch = BranchFactory(commune=hieu_tu, name="Ấp Đại Mong A", founded_on=D(2025, 4, 1))
        loan = PersonFactory(branch=branch, full_name="Phạm Thị Loan")
        client.force_login(tieu_can_officer)
        message = ["Ấp Đại Mong A thành lập ngày 01/04/2025: nhiệm kỳ không thể bắt đầu trước ngày đó."]
        response = self._appoint(client, loan, branch, "01/03/2025")
        assert response.context["form"].errors["started_on"] == message
        response = client.post(
            reverse("secretaries:person_create"), person_data(branch, started_on="31/03/2025")
        )
        assert response.context["form"].errors["started_on"] == message
        assert 'value="Nguyễn Văn Út"' in response.content.decode()
        assert not Term.objects.filter(branch=branch).exists()
        assert self._appoint(client, loan, branch, "01/04/2025").status_code == 302

    def test_an_ended_clash_asks_for_a_later_start(self, client, tieu_can_officer, hieu_tu):
        ong_rum = BranchFactory(commune=hieu_tu, name="Ấp Ông Rùm")
        cuong = person_with_term(branch=ong_rum, full_name="Huỳnh Thanh Cường", started_on=D(2022, 5, 6))
        cuong.terms.update(ended_on=D(2025, 3, 30))
        vacant = BranchFactory(commune=hieu_tu, name="Ấp Giồng Nhỏ")
        client.force_login(tieu_can_officer)
        response = self._appoint(client, cuong, vacant, "01/01/2025")
        assert response.context["form"].errors["started_on"] == [
            "Huỳnh Thanh Cường đã giữ chức vụ này ở Ấp Ông Rùm đến ngày 30/03/2025: "
            "nhiệm kỳ mới phải bắt đầu sau ngày đó."
        ]
        assert self._appoint(client, cuong, vacant, "31/03/2025").status_code == 302


def test_a_commune_filter_finds_its_former_secretaries(client, tra_vinh_staff, world, hieu_tu, an_truong):
    """The province narrowing the list to a commune finds, as the commune's own list does, the secretaries
    whose term there ended (with "no longer serving" too); one who went on to serve in another commune is
    found under that one."""
    from secretaries.services import term_appoint

    former = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name="Trần Thị Đã Thôi")
    former.terms.update(ended_on=D(2024, 1, 1))
    moved = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name="Trần Văn Chuyển")
    moved.terms.update(ended_on=D(2023, 1, 1))
    term_appoint(
        person=moved,
        branch=BranchFactory(commune=an_truong),
        role=Term.Role.SECRETARY,
        started_on=D(2023, 2, 1),
    )
    login_verified(client, tra_vinh_staff)
    url = reverse("secretaries:person_list")

    def names(**params):
        return {p.full_name for p in client.get(url, params).context["people"]}

    assert names(commune=hieu_tu.pk, status="past") == {"Trần Thị Đã Thôi"}
    assert names(commune=hieu_tu.pk) == {"Nguyễn Văn Tèo", "Trần Thị Đã Thôi"}
    assert names(commune=hieu_tu.pk, status="current") == {"Nguyễn Văn Tèo"}
    assert "Trần Văn Chuyển" in names(commune=an_truong.pk, status="current")


def test_the_party_members_mark_is_in_the_pages_language(client, tieu_can_officer, world):
    """QA: on the English list a party member still carried "ĐV"."""
    person = world["tieu_can_person"]
    Person.objects.filter(pk=person.pk).update(is_party_member=True)
    client.force_login(tieu_can_officer)
    url = reverse("secretaries:person_list")
    assert ">ĐV</span>" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert ">PM</span>" in page and "ĐV" not in page


def test_the_forms_summary_lists_the_refused_fields_in_the_pages_order(client, tieu_can_officer, world):
    """QA: the list at the top followed the form class's order, not the page's (the branch and the term's
    dates are drawn before the person's facts)."""
    client.force_login(tieu_can_officer)
    data = person_data(world["tieu_can"], full_name="", started_on="31/02/2026", email="không-phải-email")
    page = client.post(reverse("secretaries:person_create"), data).content.decode()
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    listed = re.findall(r'href="#(id_\w+)"', summary)
    assert len(listed) == 3, listed
    form_html = page.split('id="form-errors"')[1].split("</div>", 1)[1]
    drawn = sorted(listed, key=lambda field_id: form_html.index(f'id="{field_id}"'))
    assert listed == drawn


class TestExtendTerm:
    """A term due to end soon, re-elected or extended before its day: its expected end moves, the term goes
    on, and it leaves the first screen's list (it could only be ended once its day had come)."""

    def test_re_election_moves_the_expected_end_and_clears_the_first_screens_item(
        self, client, tieu_can_officer, world
    ):
        from django.utils import timezone

        term = world["tieu_can_term"]
        today = timezone.localdate()
        term.expected_end_on = today + datetime.timedelta(days=20)
        term.save()
        client.force_login(tieu_can_officer)
        url = reverse("secretaries:term_extend", args=[term.pk])
        home = client.get(reverse("home")).content.decode()
        assert f'href="{url}"' in home
        assert f'href="{url}"' in client.get(term.person.get_absolute_url()).content.decode()
        page = client.get(url)
        assert page.status_code == 200 and 'name="loaded_version"' in page.content.decode()
        new_end = today + datetime.timedelta(days=900)
        response = client.post(
            url,
            {
                "expected_end_on": new_end.strftime("%d/%m/%Y"),
                "reason": "Tái cử tại Đại hội chi đoàn",
                "loaded_version": term.version,
            },
        )
        assert response.status_code == 302
        term.refresh_from_db()
        assert term.expected_end_on == new_end and term.ended_on is None
        assert term.history.first().history_change_reason == "Tái cử tại Đại hội chi đoàn"
        panel = client.get(reverse("home")).context["panels"][0].context
        assert panel["ending_count"] == 0

    @pytest.mark.parametrize(
        ("typed", "says"),
        [
            ("01/01/2020", "26/03/2022"),  # before the term began
            ("01/01/2099", "tối đa 5 năm"),  # not a term anyone is elected for
        ],
    )
    def test_a_date_that_cannot_be_the_terms_end_is_refused(
        self, client, tieu_can_officer, world, typed, says
    ):
        term = world["tieu_can_term"]
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("secretaries:term_extend", args=[term.pk]),
            {"expected_end_on": typed, "loaded_version": term.version},
        )
        assert says in str(response.context["form"].errors["expected_end_on"])


def test_reappointing_the_branchs_secretary_offers_no_replace_box(client, tieu_can_officer, world):
    term = world["tieu_can_term"]
    client.force_login(tieu_can_officer)
    form = client.get(
        reverse("secretaries:appoint"), {"person": term.person_id, "branch": term.branch_id}
    ).context["form"]
    assert form.fields["confirm_replace"].widget.is_hidden
    other = PersonFactory()
    form = client.get(reverse("secretaries:appoint"), {"person": other.pk, "branch": term.branch_id}).context[
        "form"
    ]
    assert not form.fields["confirm_replace"].widget.is_hidden


def test_ending_a_deputys_term_does_not_say_the_branch_loses_its_secretary(client, tieu_can_officer, world):
    term = world["tieu_can_term"]
    deputy = person_with_term(branch=term.branch, role="pho_bi_thu", full_name="Lê Thị Phó")
    client.force_login(tieu_can_officer)

    def consequence(pk):
        page = client.get(reverse("secretaries:term_end", args=[pk])).content.decode()
        return page.split('data-term-end="consequence">')[1].split("</p>")[0]

    assert "chưa có bí thư" in consequence(term.pk)
    said = consequence(deputy.terms.get().pk)
    assert "chưa có bí thư" not in said and "không thay đổi bí thư" in said


def test_the_edit_pages_breadcrumbs_are_the_detail_pages(client, administrator):
    from tests.factories import DistrictFactory, ProvinceFactory

    old_province = ProvinceFactory(code="93", name="Tỉnh Xưa", ended_on=D(2025, 6, 30))
    old_district = DistrictFactory(
        code="931", name="Huyện Xưa", province=old_province, ended_on=D(2025, 6, 30)
    )
    branch = BranchFactory(
        commune=CommuneFactory(code="39301", name="Xã Xưa", district=old_district, ended_on=D(2025, 6, 30))
    )
    person = person_with_term(branch=branch, full_name="Trần Văn Sửa")
    branch.commune = CommuneFactory(
        code="39401", name="Xã Nay", province=ProvinceFactory(code="94"), district=None
    )
    branch.save()
    login_verified(client, administrator)

    def crumbs(url):
        return client.get(url).content.decode().split('<ol class="breadcrumb')[1].split("</ol>")[0]

    edit = crumbs(reverse("secretaries:person_update", args=[person.pk]))
    assert edit == crumbs(person.get_absolute_url())
    assert "Xã Nay" in edit and "Huyện Xưa" not in edit


def test_the_vacancy_lists_table_per_unit_has_the_first_screens_terms_ending_soon(
    client, tra_vinh_staff, world
):
    """The first screen's "See all N communes" opens this table: it has the same column of terms ending
    soon, for every unit, each linked to the secretaries list of that unit filtered on them."""
    from django.utils import timezone

    term = world["tieu_can_term"]
    term.expected_end_on = timezone.localdate() + datetime.timedelta(days=20)
    term.save()
    district = world["tieu_can"].commune.district
    login_verified(client, tra_vinh_staff)
    home = client.get(reverse("home")).context["panels"][0].context
    on_home = {row["unit"].pk: row["ending"] for row in home["summary"] if row["unit"]}
    assert on_home[district.pk] == 1
    # Every unit's row, those with vacancies and those folded away without any.
    html = client.get(reverse("secretaries:vacancy_list")).content.decode().split('id="vacancy-per-unit"')[1]
    html = html.split("</section>")[0]
    assert "Sắp hết nhiệm kỳ" in html
    link = f"{reverse('secretaries:person_list')}?ending=soon&amp;district={district.pk}"
    row = next(r for r in html.split("<tr>") if f"district={district.pk}" in r)
    cell = '<td class="text-end d-none d-sm-table-cell d-print-table-cell" data-vacancy-ending>'
    assert f'{cell}<a href="{link}">1</a></td>' in row
    assert html.count("data-vacancy-ending") == len(on_home)
    people = client.get(link.replace("&amp;", "&")).context["people"]
    assert [p.pk for p in people] == [term.person_id]


def test_a_commune_officer_is_not_offered_the_waiting_filter_that_cannot_match(
    client, tra_vinh_staff, hieu_tu
):
    """The status "Chờ xác định xã mới" finds branches still under an ended commune: none in an active
    commune's scope."""
    from tests.factories import UserFactory

    officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    client.force_login(officer)
    assert "waiting" not in client.get(reverse("secretaries:vacancy_list")).context["filter"].form.fields
    login_verified(client, tra_vinh_staff)
    assert "waiting" in client.get(reverse("secretaries:vacancy_list")).context["filter"].form.fields


def test_the_corrections_list_has_breadcrumbs_and_says_refused_as_its_button(client, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    page = client.get(reverse("secretaries:correction_list")).content.decode()
    nav = page.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert "Bí thư Chi đoàn</a>" in nav and "Đề nghị sửa thông tin của Bí thư Chi đoàn" in nav
    assert "Không chấp nhận" in page and "Đã từ chối" not in page
