"""The lists of models/solutions and of programmes as every other list of the portal: "Xuất Excel" with the
filters on screen, the organising unit among the filters (from the user's scope only), a print view of the
whole list with the unit and the day, sortable columns and an empty state that says what to do."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from seminars.models import Initiative, Programme, Seminar
from tests.conftest import assert_counts_did_not_grow
from tests.excel import assert_staff_layout, read_export
from tests.factories import BranchFactory, CommuneFactory
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

MODELS = "seminars:initiative_list"
MODELS_EXPORT = "seminars:initiative_export"
PROGRAMMES = "seminars:programme_list"
PROGRAMMES_EXPORT = "seminars:programme_export"


def _names(response, key):
    return [o.name for o in response.context[key]]


@pytest.fixture
def records(world, cang_long, hieu_tu, vinh_long):
    """Tiểu Cần's programme with the world's seminar and model under it (the model applied in Xã Hiếu Tử by
    two of its branches), Càng Long's own model, a model of Đoàn xã Hiếu Tử, and one of Vĩnh Long."""
    initiative = world["tieu_can_initiative"]
    programme = Programme.objects.create(
        province=initiative.province,
        district=initiative.district,
        name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
        from_year=2019,
        to_year=2022,
    )
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=programme)
    Initiative.objects.filter(pk=initiative.pk).update(
        programme=programme, to_year=2022, results="Bí thư điều hành tốt hơn"
    )
    initiative.communes.add(hieu_tu)
    initiative.branches.add(world["tieu_can"], BranchFactory(commune=hieu_tu, name="Ấp Tân Hòa"))
    by_commune = Initiative.objects.create(
        province=hieu_tu.province, commune=hieu_tu, name="Sân chơi thanh niên", from_year=2024
    )
    cang_long_model = Initiative.objects.create(
        province=cang_long.province, district=cang_long, name="Chi đoàn số", from_year=2023
    )
    Initiative.objects.create(province=vinh_long, name="Thanh niên Vĩnh Long tình nguyện", from_year=2024)
    return {"programme": programme, "by_commune": by_commune, "cang_long_model": cang_long_model}


class TestModelExport:
    def test_its_columns_are_what_a_province_sends_upward(self, client, tra_vinh_staff, world, records):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse(MODELS_EXPORT), {"q": "ky nang"}))
        assert export.header == (
            "Tên",
            "Đơn vị tổ chức",
            "Đơn vị khi ghi nhận",
            "Chương trình",
            "Từ năm",
            "Đến năm",
            # No "thị trấn" after 01/07/2025, no "đặc khu" before: words of both worlds (QA).
            "Đơn vị cấp xã áp dụng",
            "Số chi đoàn áp dụng",
            "Kết quả",
        )
        assert export.rows == [
            (
                "Nâng cao kỹ năng điều hành, quản lý",
                "Huyện đoàn Tiểu Cần",
                "Huyện Tiểu Cần, Tỉnh Trà Vinh",
                "Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
                2019,
                2022,
                "Xã Hiếu Tử",
                2,
                "Bí thư điều hành tốt hơn",
            )
        ]
        # The list's filter, said under the unit and the day, as the seminar export says it.
        assert "Tìm kiếm: ky nang" in export.sheet["A3"].value
        # A commune's model names its commune as recorded.
        rows = read_export(client.get(reverse(MODELS_EXPORT), {"q": "san choi"})).rows
        assert rows[0][1:3] == ("Đoàn xã Hiếu Tử", "Xã Hiếu Tử, Tỉnh Trà Vinh")

    def test_it_is_laid_out_for_sending(self, client, tra_vinh_staff, world, records):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse(MODELS_EXPORT)))
        assert_staff_layout(
            export,
            title="Danh sách mô hình, giải pháp",
            unit="Tỉnh Trà Vinh",
            numbers=("Từ năm", "Số chi đoàn áp dụng"),
        )
        assert len(export.rows) == 3  # Trà Vinh's three, not Vĩnh Long's

    def test_it_has_the_lists_filters(self, client, tra_vinh_staff, world, records, cang_long, hieu_tu):
        login_verified(client, tra_vinh_staff)

        def names(query):
            return [row[0] for row in read_export(client.get(reverse(MODELS_EXPORT), query)).rows]

        assert names({"district": cang_long.pk}) == ["Chi đoàn số"]
        assert names({"commune": hieu_tu.pk}) == ["Sân chơi thanh niên"]
        assert names({"level": "commune"}) == ["Sân chơi thanh niên"]
        assert names({"programme": records["programme"].pk}) == ["Nâng cao kỹ năng điều hành, quản lý"]
        # By the organiser's name: Huyện Càng Long, Huyện Tiểu Cần, Xã Hiếu Tử.
        assert names({"o": "organiser"}) == [
            "Chi đoàn số",
            "Nâng cao kỹ năng điều hành, quản lý",
            "Sân chơi thanh niên",
        ]

    def test_an_officer_never_gets_another_units_rows(
        self, client, cang_long_officer, vinh_long_staff, world, records, tieu_can, hieu_tu
    ):
        """Càng Long's officer naming Tiểu Cần (or its commune) gets its own rows only: the filter offers no
        unit outside its scope, so a unit typed into the address is no filter at all."""
        client.force_login(cang_long_officer)
        for query in ({}, {"district": tieu_can.pk}, {"commune": hieu_tu.pk}, {"q": "ky nang"}):
            names = [row[0] for row in read_export(client.get(reverse(MODELS_EXPORT), query)).rows]
            assert "Nâng cao kỹ năng điều hành, quản lý" not in names, query
            assert set(names) <= {"Chi đoàn số"}, query
        login_verified(client, vinh_long_staff)
        rows = read_export(client.get(reverse(MODELS_EXPORT), {"district": tieu_can.pk})).rows
        assert [row[0] for row in rows] == ["Thanh niên Vĩnh Long tình nguyện"]

    def test_the_applying_units_are_the_readers_own(
        self, client, cang_long_officer, world, records, an_truong
    ):
        """A model of Càng Long applied in a Tiểu Cần commune too (the province's doing): Càng Long's officer
        reads its own commune and branch in the file, not Tiểu Cần's."""
        model = records["cang_long_model"]
        model.communes.add(an_truong, world["tieu_can"].commune)
        model.branches.add(world["cang_long"], world["tieu_can"])
        client.force_login(cang_long_officer)
        [row] = read_export(client.get(reverse(MODELS_EXPORT))).rows
        assert row[6:8] == ("Xã An Trường", 1)


class TestProgrammeExport:
    def test_its_columns_and_counts(self, client, tra_vinh_staff, world, records):
        login_verified(client, tra_vinh_staff)
        export = read_export(client.get(reverse(PROGRAMMES_EXPORT)))
        assert export.header == (
            "Tên",
            "Đơn vị tổ chức",
            "Đơn vị khi ghi nhận",
            "Từ năm",
            "Đến năm",
            "Tọa đàm",
            "Mô hình, giải pháp",
        )
        assert export.rows == [
            (
                "Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
                "Huyện đoàn Tiểu Cần",
                "Huyện Tiểu Cần, Tỉnh Trà Vinh",
                2019,
                2022,
                1,
                1,
            )
        ]
        assert_staff_layout(
            export, title="Danh sách chương trình", unit="Tỉnh Trà Vinh", numbers=("Tọa đàm", "Từ năm")
        )

    def test_it_has_the_lists_filters_and_scope(
        self, client, tra_vinh_staff, cang_long_officer, world, records, tieu_can, cang_long, hieu_tu
    ):
        Programme.objects.create(
            province=hieu_tu.province, commune=hieu_tu, name="Thanh niên khởi nghiệp", from_year=2024
        )
        login_verified(client, tra_vinh_staff)

        def names(query):
            return [row[0] for row in read_export(client.get(reverse(PROGRAMMES_EXPORT), query)).rows]

        assert names({"commune": hieu_tu.pk}) == ["Thanh niên khởi nghiệp"]
        assert names({"district": tieu_can.pk}) == ["Xây dựng giá trị hình mẫu thanh niên thời kỳ mới"]
        assert names({"district": cang_long.pk}) == []
        assert names({"level": "district"}) == ["Xây dựng giá trị hình mẫu thanh niên thời kỳ mới"]
        client.force_login(cang_long_officer)
        for query in ({}, {"district": tieu_can.pk}, {"commune": hieu_tu.pk}):
            assert names(query) == [], query


class TestListPages:
    def test_the_organising_unit_is_offered_from_the_users_scope(
        self, client, tra_vinh_staff, tieu_can_officer, world, records, hieu_tu, thanh_duc
    ):
        login_verified(client, tra_vinh_staff)
        for url in (MODELS, PROGRAMMES):
            form = client.get(reverse(url)).context["filter"].form
            assert {"district", "commune", "level"} <= set(form.fields), url
            assert (
                hieu_tu in form.fields["commune"].queryset
                and thanh_duc not in form.fields["commune"].queryset
            )
        assert _names(client.get(reverse(MODELS), {"commune": hieu_tu.pk}), "initiatives") == [
            "Sân chơi thanh niên"
        ]
        # Another province's commune is no choice: the list is not narrowed by it.
        response = client.get(reverse(MODELS), {"commune": thanh_duc.pk})
        assert "commune" in response.context["filter"].form.errors
        assert "Thanh niên Vĩnh Long tình nguyện" not in _names(response, "initiatives")
        # An officer's list is its own unit's: nothing to narrow by unit; its programmes are its district's
        # and its province's (ProgrammeQuerySet.province_wide), never a commune's.
        client.force_login(tieu_can_officer)
        for url in (MODELS, PROGRAMMES):
            form = client.get(reverse(url)).context["filter"].form
            assert not {"district", "commune"} & set(form.fields), url
            assert ("level" in form.fields) == (url == PROGRAMMES)
        assert [value for value, _label in form.fields["level"].choices] == ["", "district", "province"]

    def test_the_lists_offer_their_export_with_the_filters_and_a_print_view(
        self, client, tra_vinh_staff, world, records
    ):
        login_verified(client, tra_vinh_staff)
        for url, export in ((MODELS, MODELS_EXPORT), (PROGRAMMES, PROGRAMMES_EXPORT)):
            response = client.get(reverse(url), {"q": "thanh nien", "page": "1"})
            html = response.content.decode()
            assert f'href="{reverse(export)}?q=thanh+nien"' in html, url
            query = response.context["print_query"]
            assert "print=1" in query and "page=" not in query and "?" + query.replace("&", "&amp;") in html

    @pytest.mark.parametrize(
        ("url", "key", "make"), [(MODELS, "initiatives", "model"), (PROGRAMMES, "programmes", "programme")]
    )
    def test_the_print_view_holds_the_whole_list_with_the_unit_and_the_day(
        self, client, tieu_can_officer, world, url, key, make, count_queries
    ):
        district = world["tieu_can"].commune.district

        def add(n):
            for i in range(n):
                fields = {"province": district.province, "district": district, "from_year": 2020}
                if make == "model":
                    Initiative.objects.create(name=f"Mô hình bản in {i:03d}", **fields)
                else:
                    Programme.objects.create(name=f"Chương trình bản in {i:03d}", **fields)

        add(settings.PAGE_SIZE + 3)
        client.force_login(tieu_can_officer)
        assert len(client.get(reverse(url)).context[key]) == settings.PAGE_SIZE
        with count_queries() as few:
            printed = client.get(reverse(url), {"q": "ban in", "print": "1"})
        assert len(printed.context[key]) == settings.PAGE_SIZE + 3
        html = " ".join(printed.content.decode().split())
        assert "data-print" in html and "data-report-date" in html and "Huyện Tiểu Cần" in html
        assert "Lọc theo: Tìm kiếm: ban in" in html
        Initiative.objects.filter(name__startswith="Mô hình bản in").delete()
        Programme.objects.filter(name__startswith="Chương trình bản in").delete()
        add(2 * settings.PAGE_SIZE)
        with count_queries() as many:
            client.get(reverse(url), {"q": "ban in", "print": "1"})
        assert len(many) == len(few)

    def test_the_columns_sort(self, client, tra_vinh_staff, world, records):
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse(MODELS)).content.decode()
        assert "?o=name" in html and "?o=period" in html and "?o=organiser" in html
        by_name = _names(client.get(reverse(MODELS), {"o": "name"}), "initiatives")
        assert by_name == ["Chi đoàn số", "Nâng cao kỹ năng điều hành, quản lý", "Sân chơi thanh niên"]
        by_period = _names(client.get(reverse(MODELS), {"o": "-period"}), "initiatives")
        assert by_period[-1] == "Nâng cao kỹ năng điều hành, quản lý"
        assert "?o=organiser" in client.get(reverse(PROGRAMMES)).content.decode()

    def test_an_empty_list_says_what_to_do(self, client, tieu_can_officer, world):
        def empty_state(query):
            html = " ".join(client.get(reverse(MODELS), query).content.decode().split())
            cell = html[html.index('class="empty-state"') :]
            return cell[: cell.index("</td>")]

        client.force_login(tieu_can_officer)
        found_none = empty_state({"q": "khong co gi"})
        assert "Không có mô hình, giải pháp nào phù hợp." in found_none
        assert f'<a href="{reverse(MODELS)}">Xóa bộ lọc</a>' in found_none
        Initiative.objects.all().delete()
        none_yet = empty_state({})
        assert (
            f'<a href="{reverse("seminars:initiative_create")}">' in none_yet and "Xóa bộ lọc" not in none_yet
        )


def _grow(world, n):
    """n more models and programmes in Tiểu Cần, each model applied in a new commune by two branches and
    linked to the programme, with a seminar under the programme."""
    district = world["tieu_can"].commune.district
    for i in range(n):
        commune = CommuneFactory(district=district)
        programme = Programme.objects.create(
            province=district.province, district=district, name=f"Chương trình {n}.{i}", from_year=2020
        )
        model = Initiative.objects.create(
            province=district.province,
            district=district,
            name=f"Mô hình {n}.{i}",
            from_year=2021,
            programme=programme,
        )
        model.communes.add(commune)
        model.branches.add(BranchFactory(commune=commune), BranchFactory(commune=commune))
        Seminar.objects.create(
            province=district.province,
            district=district,
            title=f"Tọa đàm {n}.{i}",
            held_on=datetime.date(2021, 3, 1 + i),
            programme=programme,
        )


PAGES = [
    ("model export", lambda w: reverse(MODELS_EXPORT)),
    ("model export filtered", lambda w: reverse(MODELS_EXPORT) + "?q=mo+hinh&o=organiser&level=district"),
    ("model list printed", lambda w: reverse(MODELS) + "?print=1&o=-period"),
    ("programme export", lambda w: reverse(PROGRAMMES_EXPORT)),
    ("programme export filtered", lambda w: reverse(PROGRAMMES_EXPORT) + "?year=2021&o=-seminars"),
    ("programme list printed", lambda w: reverse(PROGRAMMES) + "?print=1&o=organiser"),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    _grow(world, 1)
    small = query_counts(personas, PAGES, world)
    _grow(world, 5)
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


@pytest.mark.parametrize("name", [MODELS_EXPORT, PROGRAMMES_EXPORT])
def test_a_large_export_goes_to_the_job_queue(client, tieu_can_officer, world, settings, name):
    """As the seminar export: past EXPORT_JOB_CELLS the file is prepared by the worker, as the same user with
    the same filters, and is the file a small list is answered with."""
    from core.models import Job

    _grow(world, 2)
    client.force_login(tieu_can_officer)
    query = {"o": "-name"}
    immediate = read_export(client.get(reverse(name), query)).table
    assert len(immediate) > 2 and not Job.objects.exists()
    settings.EXPORT_JOB_CELLS = 1
    response = client.get(reverse(name), query)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.owner == tieu_can_officer and job.kind == "export" and job.is_done
    assert read_export(client.get(reverse("jobs:job_download", args=[job.pk]))).table == immediate


def test_each_lists_search_says_what_it_searches(client, tra_vinh_staff, world):
    """QA: the models list's search hint spoke of programmes (one string served both lists)."""
    login_verified(client, tra_vinh_staff)
    models = client.get(reverse(MODELS)).content.decode()
    programmes = client.get(reverse(PROGRAMMES)).content.decode()
    assert "Tên mô hình, giải pháp hoặc đơn vị tổ chức" in models and "Tên chương trình" not in models
    assert "Tên chương trình hoặc đơn vị tổ chức" in programmes
