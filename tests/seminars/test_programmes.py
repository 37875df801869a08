"""Programmes (chương trình) kept by their unit in the portal: list, page, create and edit, as the models
and solutions are (QA run qa7, item 1: only Django admin could make one, which the province's staff and the
officers cannot open)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from seminars import services
from seminars.models import Initiative, Programme, Seminar
from tests.assessments.test_new_world import reform_build
from tests.conftest import assert_counts_did_not_grow
from tests.factories import CommuneFactory
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

NAME = "Xây dựng giá trị hình mẫu thanh niên thời kỳ mới"


def programme_data(**overrides):
    return {"name": NAME, "from_year": "2019", "to_year": "2022", **overrides}


def tieu_can_programme(world, **fields):
    seminar = world["tieu_can_seminar"]
    return Programme.objects.create(
        **{
            "province": seminar.province,
            "district": seminar.district,
            "name": NAME,
            "from_year": 2019,
            "to_year": 2022,
            **fields,
        }
    )


def test_a_district_officer_starts_its_districts_programme(client, tieu_can_officer, world):
    login_verified(client, tieu_can_officer)
    form = client.get(reverse("seminars:programme_create")).context["form"]
    assert not {"province", "district", "commune"} & set(form.fields)
    assert "data-warn-unsaved" in client.get(reverse("seminars:programme_create")).content.decode()
    response = client.post(reverse("seminars:programme_create"), programme_data())
    programme = Programme.objects.get(name=NAME)
    assert response["Location"] == programme.get_absolute_url()
    assert (programme.province, programme.district, programme.commune) == (
        tieu_can_officer.district.province,
        tieu_can_officer.district,
        None,
    )
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Huyện đoàn Tiểu Cần" in page and "2019–2022" in page
    # Its record of changes starts with the creation, by whom.
    assert [row.action for row in client.get(programme.get_absolute_url()).context["history"]]


def test_provincial_staff_start_a_programme_of_this_year_for_the_province_or_a_district(
    client, tra_vinh_staff, world, cang_long
):
    login_verified(client, tra_vinh_staff)
    this_year = timezone.localdate().year
    response = client.post(
        reverse("seminars:programme_create"),
        programme_data(name="Thanh niên tình nguyện", from_year=str(this_year), to_year=str(this_year + 4)),
    )
    assert response.status_code == 302
    provincial = Programme.objects.get(name="Thanh niên tình nguyện")
    assert provincial.district is None and provincial.province.code == "84"
    client.post(
        reverse("seminars:programme_create"), programme_data(name="Chi đoàn số", district=cang_long.pk)
    )
    assert Programme.objects.get(name="Chi đoàn số").district == cang_long


def test_the_period_is_checked_as_a_models_is(client, tieu_can_officer, world):
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:programme_create")
    this_year = timezone.localdate().year
    for data, field in [
        (programme_data(to_year="2018"), "to_year"),  # ends before it starts
        (programme_data(from_year="1900"), "from_year"),  # before the Union (validate_year)
        (programme_data(from_year=str(this_year + 1), to_year=""), "from_year"),  # a first year still ahead
        (programme_data(from_year="2019", to_year="2300"), "to_year"),  # beyond any plan
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, data
    assert not Programme.objects.exists()


def test_an_ended_units_account_starts_no_programme_after_its_end(client, tieu_can_officer, world, reform):
    """As a model's first year (services.initiative_save): the ended district's account keeps its past."""
    login_verified(client, tieu_can_officer)
    response = client.post(reverse("seminars:programme_create"), programme_data(from_year="2026", to_year=""))
    assert response.status_code == 200
    assert "Huyện Tiểu Cần" in " ".join(response.context["form"].errors["from_year"])
    assert not Programme.objects.filter(name=NAME).exists()
    assert client.post(reverse("seminars:programme_create"), programme_data()).status_code == 302


def test_an_ended_units_programme_ends_by_its_end_year_and_a_refusal_is_summarised(
    client, tieu_can_officer, world, reform
):
    """QA run qa8: the ended district's programme ran on to 2030, or with no end, and was offered to its
    seminars as running in 2026. Its last year is now the year the unit ended at the latest."""
    login_verified(client, tieu_can_officer)
    for to_year in ("", "2030"):
        response = client.post(
            reverse("seminars:programme_create"), programme_data(from_year="2025", to_year=to_year)
        )
        assert response.status_code == 200
        assert "kết thúc chậm nhất trong năm 2025" in " ".join(response.context["form"].errors["to_year"])
        assert 'id="form-errors"' in response.text
    assert not Programme.objects.filter(name=NAME).exists()
    ok = client.post(reverse("seminars:programme_create"), programme_data(from_year="2025", to_year="2025"))
    assert ok.status_code == 302


def test_an_ended_units_model_ends_by_its_end_year_as_its_programme_does(
    client, tieu_can_officer, world, reform
):
    """QA run qa5, item 4b: the ended district saved a model running 2024–2026, while a programme of the
    same years was refused. One rule for both (services.check_ends_with_unit), said by the last year."""
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:initiative_create")
    for to_year in ("2026", ""):
        response = client.post(url, {"name": "Mô hình QA", "from_year": "2024", "to_year": to_year})
        assert response.status_code == 200
        said = " ".join(response.context["form"].errors["to_year"])
        assert "Huyện đoàn Tiểu Cần" in said and "kết thúc chậm nhất trong năm 2025" in said
    assert not Initiative.objects.filter(name="Mô hình QA").exists()
    ok = client.post(url, {"name": "Mô hình QA", "from_year": "2024", "to_year": "2025"})
    assert ok.status_code == 302


def test_a_models_first_year_lies_in_its_programmes_period_as_a_seminars_day_does(
    client, tieu_can_officer, world
):
    """QA run qa5, item 4a: a model begun in 2025 was saved under a 2026–2030 programme, where a seminar of
    2025 is refused. Refused next to the programme, by the form and by the service (Django admin too)."""
    programme = tieu_can_programme(world)
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:initiative_create")
    for from_year in ("2018", "2023"):
        data = {"name": "Mô hình QA", "programme": programme.pk, "from_year": from_year, "to_year": ""}
        response = client.post(url, data)
        assert response.status_code == 200, from_year
        assert f"không thuộc thời gian của năm {from_year}" in " ".join(
            response.context["form"].errors["programme"]
        )
    assert not Initiative.objects.filter(name="Mô hình QA").exists()
    initiative = Initiative(
        province=programme.province,
        district=programme.district,
        name="X",
        programme=programme,
        from_year=2018,
    )
    with pytest.raises(ValidationError) as refused:
        services.initiative_save(initiative=initiative, communes=[], branches=[], seminars=[])
    assert refused.value.code == "programme_outside_period"
    ok = client.post(
        url, {"name": "Mô hình QA", "programme": programme.pk, "from_year": "2020", "to_year": "2025"}
    )
    assert ok.status_code == 302 and Initiative.objects.get(name="Mô hình QA").programme == programme


def test_a_new_period_keeps_the_programmes_seminars_and_models_inside_it(
    client, tieu_can_officer, world, django_assert_num_queries
):
    """QA run qa5, item 2: shrinking a programme left its seminar outside, and the seminar could then no
    longer be saved. The new period is refused, next to the year to move, saying how many and when."""
    programme = tieu_can_programme(world)  # 2019–2022
    seminar = world["tieu_can_seminar"]  # 15/06/2021
    Seminar.objects.filter(pk=seminar.pk).update(programme=programme)
    Initiative.objects.filter(pk=world["tieu_can_initiative"].pk).update(programme=programme, from_year=2020)
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:programme_update", args=[programme.pk])

    def errors(from_year, to_year):
        response = client.post(
            url, programme_data(from_year=from_year, to_year=to_year, loaded_version=programme.version)
        )
        assert response.status_code == 200, (from_year, to_year)
        return {field: " ".join(said) for field, said in response.context["form"].errors.items()}

    said = errors("2022", "2022")
    assert set(said) == {"from_year"}
    said = said["from_year"]
    assert "1 tọa đàm của chương trình diễn ra năm 2021" in said and "bắt đầu năm 2020" in said
    assert "chậm nhất từ năm 2020" in said
    said = errors("2019", "2020")
    assert set(said) == {"to_year"} and "1 tọa đàm của chương trình diễn ra năm 2021" in said["to_year"]
    assert "ít nhất đến năm 2021" in said["to_year"]
    programme.refresh_from_db()
    assert (programme.from_year, programme.to_year) == (2019, 2022)
    # One query, whatever the number of seminars and models.
    programme.from_year = programme.to_year = 2021
    with django_assert_num_queries(1), pytest.raises(ValidationError) as refused:
        services._check_period_keeps_records(programme)
    assert [error.code for error in refused.value.error_list] == ["records_before_period"]
    programme.refresh_from_db()
    response = client.post(
        url, programme_data(from_year="2020", to_year="2021", loaded_version=programme.version)
    )
    assert response.status_code == 302
    seminar.refresh_from_db()
    services.seminar_save(seminar=seminar, participants=[], themes=[{"title": "Vai trò"}], proposals=[])


def test_a_unit_has_one_programme_of_a_name(client, tieu_can_officer, world):
    """QA run qa8: "Chi đoàn số 2026" and "CHI DOAN SO 2026" of one commune were saved as two programmes."""
    login_verified(client, tieu_can_officer)
    assert client.post(reverse("seminars:programme_create"), programme_data()).status_code == 302
    again = client.post(reverse("seminars:programme_create"), programme_data(name=NAME.upper(), to_year=""))
    assert again.status_code == 200
    assert "đã có chương trình" in " ".join(again.context["form"].errors["name"])
    assert Programme.objects.filter(title_key=Programme.objects.get().title_key).count() == 1


def test_a_commune_officer_keeps_its_communes_programme_and_reads_the_one_its_secretaries_took_part_in(
    client, world, reform
):
    officer = reform["officer"]
    login_verified(client, officer)
    response = client.post(
        reverse("seminars:programme_create"),
        programme_data(name="Thanh niên khởi nghiệp", from_year="2026", to_year=""),
    )
    assert response.status_code == 302
    own = Programme.objects.get(name="Thanh niên khởi nghiệp")
    assert (own.commune, own.district) == (reform["tap_ngai"], None)
    assert own not in Programme.objects.visible_to(reform["neighbour_officer"])
    # Huyện đoàn Tiểu Cần's, read through the seminar a Tập Ngãi secretary attended: read, not changed.
    district = tieu_can_programme(world)
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=district)
    page = client.get(district.get_absolute_url())
    assert page.status_code == 200 and not page.context["may_edit"]
    assert client.get(reverse("seminars:programme_update", args=[district.pk])).status_code == 403


def test_the_provinces_own_programme_is_read_and_filed_under_by_its_communes_and_districts(
    client, world, reform, tieu_can_officer, cang_long_officer, tra_vinh_staff
):
    """QA: doanxa.tapngai was offered no programme of Tỉnh đoàn Vĩnh Long on the seminar and model forms, did
    not see it in the list, and its page answered 404: in the new world the province runs its communes
    directly. A district officer read its province's programme in neither (only the forms offered it). Both
    read it and file under it; neither changes it; another province's and another unit's stay 404."""
    province_own = Programme.objects.create(
        province=reform["province"], name="Thanh niên xã mới", from_year=2026, to_year=2030
    )
    neighbours = Programme.objects.create(
        province=reform["province"], commune=reform["neighbour"], name="Thanh niên Càng Long", from_year=2026
    )
    old_province_own = Programme.objects.create(
        province=world["tieu_can"].commune.province, name="Tuổi trẻ Trà Vinh", from_year=2021, to_year=2025
    )
    tieu_can_own = tieu_can_programme(world, to_year=2025)

    def reads(user, programme):
        login_verified(client, user)
        listed = programme in client.get(reverse("seminars:programme_list")).context["programmes"]
        status = client.get(programme.get_absolute_url()).status_code
        assert listed == (status == 200), (user, programme)
        return status

    for officer in (reform["officer"], reform["neighbour_officer"]):
        assert reads(officer, province_own) == 200
        assert client.get(reverse("seminars:programme_update", args=[province_own.pk])).status_code == 403
        assert not client.get(province_own.get_absolute_url()).context["may_edit"]
    # Tỉnh Trà Vinh went into today's province: its communes read its programmes, as its campaigns.
    assert reads(reform["officer"], old_province_own) == 200
    assert reads(reform["officer"], neighbours) == 404
    for url in (reverse("seminars:seminar_create"), reverse("seminars:initiative_create")):
        offered = client.get(url).context["form"].fields["programme"].queryset
        assert list(offered) == [province_own], url  # not the old province's, not the neighbour's
    # The filter offers what can match: its commune's, a district's (through its secretaries' seminars) and
    # the province's.
    level = client.get(reverse("seminars:programme_list")).context["filter"].form.fields["level"]
    assert [value for value, _label in level.choices] == ["", "commune", "district", "province"]
    assert reads(reform["staff"], province_own) == 200

    for officer in (tieu_can_officer, cang_long_officer):
        assert reads(officer, old_province_own) == 200
        assert client.get(reverse("seminars:programme_update", args=[old_province_own.pk])).status_code == 403
        assert reads(officer, province_own) == 404  # another province's
    assert reads(cang_long_officer, tieu_can_own) == 404
    level = client.get(reverse("seminars:programme_list")).context["filter"].form.fields["level"]
    assert [value for value, _label in level.choices] == ["", "district", "province"]
    names = lambda **query: [  # noqa: E731
        p.name for p in client.get(reverse("seminars:programme_list"), query).context["programmes"]
    ]
    assert names(level="province") == ["Tuổi trẻ Trà Vinh"] and names(level="district") == []
    # Each named by its organiser, which is no longer always the reader's own district.
    assert (
        '<td class="d-none d-sm-table-cell d-print-table-cell">Tỉnh đoàn Trà Vinh</td>'
        in client.get(reverse("seminars:programme_list")).content.decode()
    )
    assert reads(tra_vinh_staff, province_own) == 404


def test_edit_and_a_stale_edit_refused(client, tieu_can_officer, world):
    programme = tieu_can_programme(world)
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:programme_update", args=[programme.pk])
    loaded = client.get(url).context["form"]["loaded_version"].value()
    # Meanwhile someone else changes it.
    programme.to_year = 2023
    services.programme_save(programme=programme, version=programme.version)
    response = client.post(url, programme_data(to_year="2025", loaded_version=loaded))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    programme.refresh_from_db()
    assert programme.to_year == 2023
    current = client.get(url).context["form"]["loaded_version"].value()
    response = client.post(url, programme_data(to_year="2025", loaded_version=current))
    assert response["Location"] == programme.get_absolute_url()
    programme.refresh_from_db()
    assert programme.to_year == 2025


def test_out_of_scope_is_not_found(client, cang_long_officer, vinh_long_staff, world):
    programme = tieu_can_programme(world)
    for user in (cang_long_officer, vinh_long_staff):
        login_verified(client, user)
        for url in (
            programme.get_absolute_url(),
            reverse("seminars:programme_update", args=[programme.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert programme not in client.get(reverse("seminars:programme_list")).context["programmes"]


def test_the_page_lists_its_seminars_and_models_within_the_readers_scope(
    client, tra_vinh_staff, cang_long_officer, world, cang_long
):
    programme = tieu_can_programme(world, district=None, name="Chương trình của tỉnh")
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=programme)
    Initiative.objects.filter(pk=world["tieu_can_initiative"].pk).update(programme=programme)
    Initiative.objects.create(
        province=cang_long.province,
        district=cang_long,
        name="Mô hình Càng Long",
        from_year=2020,
        programme=programme,
    )
    login_verified(client, tra_vinh_staff)
    page = client.get(programme.get_absolute_url())
    assert [s.title for s in page.context["seminars"]] == ["Nâng cao chất lượng Bí thư Chi đoàn"]
    assert sorted(i.name for i in page.context["initiatives"]) == [
        "Mô hình Càng Long",
        "Nâng cao kỹ năng điều hành, quản lý",
    ]
    html = page.content.decode()
    assert world["tieu_can_seminar"].get_absolute_url() in html
    assert world["tieu_can_initiative"].get_absolute_url() in html
    row = client.get(reverse("seminars:programme_list")).context["programmes"][0]
    assert (row.seminar_count, row.initiative_count) == (1, 2)
    # The seminar's and the model's pages link their programme.
    for url in (
        world["tieu_can_seminar"].get_absolute_url(),
        world["tieu_can_initiative"].get_absolute_url(),
    ):
        assert f'href="{programme.get_absolute_url()}"' in client.get(url).content.decode(), url


def test_a_programme_the_reader_cannot_open_is_named_without_a_link(
    client, tieu_can_officer, world, cang_long
):
    """Another district's programme, which a district officer does not read, on its own seminar's page (set
    in the database: the forms offer none of another district's; its province's own it reads)."""
    programme = tieu_can_programme(world, district=cang_long, name="Chương trình của tỉnh")
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=programme)
    login_verified(client, tieu_can_officer)
    html = client.get(world["tieu_can_seminar"].get_absolute_url()).content.decode()
    assert "Chương trình của tỉnh" in html and programme.get_absolute_url() not in html


def test_list_search_without_diacritics_sort_and_empty_states(client, tra_vinh_staff, world, cang_long):
    tieu_can_programme(world)
    Programme.objects.create(
        province=cang_long.province, district=cang_long, name="Chi đoàn số", from_year=2023
    )
    login_verified(client, tra_vinh_staff)
    url = reverse("seminars:programme_list")
    names = lambda **query: [p.name for p in client.get(url, query).context["programmes"]]  # noqa: E731
    assert names() == ["Chi đoàn số", NAME]  # newest first
    assert names(q="hinh mau thanh nien") == [NAME]
    assert names(q="huyen doan cang long") == ["Chi đoàn số"]
    assert names(o="name") == ["Chi đoàn số", NAME] and names(o="-name") == [NAME, "Chi đoàn số"]
    assert names(year="2021") == [NAME]
    assert names(district=cang_long.pk) == ["Chi đoàn số"]
    assert "Không có chương trình nào phù hợp." in client.get(url, {"q": "zzz"}).content.decode()
    Programme.objects.all().delete()
    assert "Chưa có chương trình nào." in client.get(url).content.decode()


def test_reached_from_the_seminars_navigation_under_seminars(client, tieu_can_officer, world):
    programme = tieu_can_programme(world)
    login_verified(client, tieu_can_officer)
    assert reverse("seminars:programme_list") in client.get(reverse("seminars:seminar_list")).content.decode()

    def crumbs(url):
        html = client.get(url).content.decode()
        trail = html[html.index('<ol class="breadcrumb') : html.index("</ol>")]
        return [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in trail.split("</li>")][:-1]

    under = ["Tổng quan", "Tọa đàm", "Chương trình"]
    assert crumbs(reverse("seminars:programme_list")) == under
    assert crumbs(reverse("seminars:programme_create"))[:-1] == under
    assert crumbs(programme.get_absolute_url())[:3] == under
    assert crumbs(programme.get_absolute_url())[-1] == NAME
    assert crumbs(reverse("seminars:programme_update", args=[programme.pk]))[:-1] == under


def _grow(world, n):
    district = world["tieu_can"].commune.district
    for i in range(n):
        programme = tieu_can_programme(world, name=f"Chương trình {i}")
        commune = CommuneFactory(district=district)
        Initiative.objects.create(
            province=district.province,
            district=district,
            name=f"Mô hình {i}",
            from_year=2020,
            programme=programme,
        ).communes.add(commune)
        seminar = Seminar.objects.create(
            province=district.province,
            district=district,
            title=f"Tọa đàm {i}",
            held_on=datetime.date(2021, 3, 1 + i),
            programme=programme,
        )
        Initiative.objects.filter(pk=world["tieu_can_initiative"].pk).update(programme=programme)
        Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=programme)
        assert seminar.programme == programme


PAGES = [
    ("programme list", lambda w: reverse("seminars:programme_list")),
    ("programme list sorted", lambda w: reverse("seminars:programme_list") + "?o=-seminars"),
    ("programme detail", lambda w: Programme.objects.order_by("pk").first().get_absolute_url()),
    (
        "programme edit",
        lambda w: reverse("seminars:programme_update", args=[Programme.objects.order_by("pk").first().pk]),
    ),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    _grow(world, 1)
    small = query_counts(personas, PAGES, world)
    _grow(world, 4)
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


@pytest.fixture
def reform(world, tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
    return reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong)


def test_what_the_reader_cannot_open_is_counted_never_said_to_be_none(
    client, tieu_can_officer, world, cang_long
):
    """QA: a programme whose only model was outside the reader's scope said it had none, and the list showed
    0. They are counted, as a seminar's participants outside the reader's scope are."""
    programme = tieu_can_programme(world)
    Initiative.objects.create(
        province=cang_long.province,
        district=cang_long,
        name="Mô hình Càng Long",
        from_year=2020,
        programme=programme,
    )
    Seminar.objects.create(
        province=cang_long.province,
        district=cang_long,
        title="Ở Càng Long",
        held_on=datetime.date(2020, 5, 1),
        programme=programme,
    )
    client.force_login(tieu_can_officer)
    page = client.get(programme.get_absolute_url())
    assert not page.context["initiatives"] and not page.context["seminars"]
    html = " ".join(page.content.decode().split())
    assert "1 mô hình, giải pháp ngoài phạm vi" in html and "1 tọa đàm ngoài phạm vi" in html
    assert "Chưa có mô hình" not in html and "Chưa có tọa đàm" not in html
    assert "Mô hình Càng Long" not in html and "Ở Càng Long" not in html
    listed = client.get(reverse("seminars:programme_list"))
    row = listed.context["programmes"][0]
    assert (row.initiative_count, row.initiatives_outside, row.seminar_count, row.seminars_outside) == (
        0,
        1,
        0,
        1,
    )
    assert " ".join(listed.content.decode().split()).count("+1 ngoài phạm vi") == 2
    # Within scope, nothing is said to be outside it.
    Initiative.objects.filter(name="Mô hình Càng Long").update(district=world["tieu_can_seminar"].district)
    html = " ".join(client.get(programme.get_absolute_url()).content.decode().split())
    assert "Mô hình Càng Long" in html and "mô hình, giải pháp ngoài phạm vi" not in html
