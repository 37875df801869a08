"""Assessments in the new world: a framework per province and year, the commune grid of a new commune
entered by its officer and confirmed by today's provincial staff, the units of the time stored, and the
users of ended units kept from recording after their end.

`reform` ends the matrix world (tests/conftest.py) on 30/06/2025 and re-attaches its Tiểu Cần branch (Xã
Hiếu Tử, Tèo's) to Xã Tập Ngãi of a new Vĩnh Long, beside the neighbouring Xã Càng Long.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from assessments import framework_services, services
from assessments.models import Assessment, Framework, FrameworkInUse, current_framework, framework_for
from branches.divisions import REFORM_DAY
from branches.models import CommuneSuccession, ProvinceSuccession
from branches.services import branches_reattach
from tests.conftest import framework_2026
from tests.factories import BranchFactory, CommuneFactory, ProvinceFactory, UserFactory, person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

LAST_OLD_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def reform(world, tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
    return reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong)


def reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong) -> dict:
    """The reform on the matrix world (also used by tests/seminars/test_new_world.py)."""
    for unit in (tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
        unit.ended_on = LAST_OLD_DAY
        unit.save()
    province = ProvinceFactory(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=REFORM_DAY)
    tap_ngai = CommuneFactory(
        code="29365", name="Xã Tập Ngãi", province=province, district=None, began_on=REFORM_DAY
    )
    neighbour = CommuneFactory(
        code="29276", name="Xã Càng Long", province=province, district=None, began_on=REFORM_DAY
    )
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=province, on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=hieu_tu, successor=tap_ngai, on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=an_truong, successor=neighbour, on=REFORM_DAY)
    branches_reattach(on=REFORM_DAY)
    new_branch = BranchFactory(commune=tap_ngai, name="Ấp Tập Ngãi Mới")
    return {
        "province": province,
        "tap_ngai": tap_ngai,
        "neighbour": neighbour,
        "officer": UserFactory(username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=tap_ngai),
        "neighbour_officer": UserFactory(
            username="doanxa.canglong", role=User.Role.COMMUNE_OFFICER, commune=neighbour
        ),
        "staff": UserFactory(
            username="tinhdoan.vinhlong.moi", role=User.Role.PROVINCIAL_STAFF, province=province
        ),
        "sa_ly": person_with_term(branch=new_branch, full_name="Kim Thị Sa Ly", gender="nu"),
    }


def own_framework(province, year=2026):
    return services.framework_copy(
        framework=framework_2026(), year=year, province=province, name="Vĩnh Long 2026"
    )


# ---------------------------------------------------------------------------------------------------
# The framework per province and year


def test_framework_for_prefers_the_provinces_own_else_the_common_one(world, reform, tra_vinh):
    common = framework_2026()
    assert framework_for(reform["province"], 2026) == common
    own = own_framework(reform["province"])
    assert framework_for(reform["province"], 2026) == own
    assert framework_for(tra_vinh, 2026) == common  # Trà Vinh has none of its own
    assert framework_for(reform["province"], 2031) is None
    assert list(Framework.objects.for_province(reform["province"])) == [own]
    assert own in Framework.objects.for_province(reform["province"].pk)
    assert common in Framework.objects.for_province(tra_vinh)
    # A copy keeps the criteria, for its own province.
    assert own.province == reform["province"] and own.groups.count() == common.groups.count()


@pytest.mark.parametrize("province", [True, False], ids=["a province's", "common"])
def test_one_framework_per_province_and_year(world, reform, province):
    unit = reform["province"] if province else None
    if unit is not None:
        own_framework(unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.create(province=unit, year=2026, name="Một bộ nữa")


def test_a_framework_in_use_keeps_its_province_and_year(world, reform):
    framework = framework_2026()  # the world's Tèo has a 2026 draft in it
    framework.province = reform["province"]
    with pytest.raises(FrameworkInUse):
        framework.save()
    framework.refresh_from_db()
    framework.year = 2027
    with pytest.raises(FrameworkInUse):
        framework.save()


def test_current_framework_is_this_years_of_the_users_province(world, reform, tieu_can_officer):
    own = own_framework(reform["province"])
    assert current_framework(reform["officer"]) == own
    assert current_framework(reform["staff"]) == own
    # Huyện đoàn Tiểu Cần ended in 2025: the year it ended, of its own province (the common one).
    older = services.framework_copy(framework=framework_2026(), year=2025, province=None)
    assert current_framework(tieu_can_officer) == older


def test_admin_lists_and_filters_frameworks_by_province(world, reform, client, administrator):
    own_framework(reform["province"])
    login_verified(client, administrator)
    page = client.get(reverse("admin:assessments_framework_changelist"))
    html = page.content.decode()
    assert page.status_code == 200 and "Tỉnh Vĩnh Long (mới)" in html and "Chung" in html
    filtered = client.get(
        reverse("admin:assessments_framework_changelist") + f"?province__id__exact={reform['province'].pk}"
    )
    assert list(filtered.context["cl"].result_list) == list(
        Framework.objects.filter(province=reform["province"])
    )


# ---------------------------------------------------------------------------------------------------
# The grid of a new commune, by its officer; confirmed by today's provincial staff


def test_commune_officer_fills_a_new_communes_grid_and_staff_confirm(world, reform, client):
    own = own_framework(reform["province"])
    criteria = services.framework_criteria(own)
    login_verified(client, reform["officer"])
    url = reverse("assessments:commune_grid", args=["29365"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["framework"] == own  # Vĩnh Long's own 2026 framework, not the common one
    people = [row.person for row in page.context["rows"]]
    sa_ly = reform["sa_ly"]
    assert sa_ly in people and world["tieu_can_person"] in people
    data = {"framework": own.pk, "submit": "1", f"v-{sa_ly.pk}": "0"}
    data |= {f"s-{sa_ly.pk}-{c.pk}": "4" for c in criteria}
    response = client.post(url, data)
    assert response.status_code == 302
    made = Assessment.objects.get(person=sa_ly, framework=own)
    # The units of its time: today's commune, no district, today's province.
    assert (made.commune, made.district, made.province) == (reform["tap_ngai"], None, reform["province"])
    assert made.status == Assessment.Status.SUBMITTED and made.assessor == reform["officer"]

    # The neighbouring commune's officer finds neither the grid nor the assessment.
    client.logout()
    login_verified(client, reform["neighbour_officer"])
    assert client.get(url).status_code == 404
    assert client.get(made.get_absolute_url()).status_code == 404
    listed = client.get(reverse("assessments:assessment_list") + f"?framework={own.pk}")
    assert sa_ly.full_name not in listed.content.decode()

    client.logout()
    login_verified(client, reform["staff"])
    listed = client.get(reverse("assessments:assessment_list"))
    assert listed.context["filter"].form.cleaned_data["framework"] == own  # this year's, by default
    assert client.post(reverse("assessments:assessment_confirm", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.status == Assessment.Status.CONFIRMED and made.confirmed_by == reform["staff"]


def test_training_needs_after_the_reform_have_no_column_of_districts(world, reform, client):
    """Communes since the 2025 reform answer to the province: no line names a district, so no column of
    them says "—" on every line."""
    own = own_framework(reform["province"])
    criteria = services.framework_criteria(own)
    made = services.assessment_save(
        person=reform["sa_ly"],
        framework=own,
        assessor=reform["officer"],
        values={c.pk: 1 for c in criteria},
    )
    services.assessment_submit(assessment=made)
    login_verified(client, reform["staff"])
    page = client.get(reverse("assessments:training_needs"), {"framework": own.pk, "threshold": "5"})
    html = page.content.decode()
    assert "Kim Thị Sa Ly" in html and not page.context["show_district"]
    assert '<th class="d-none d-lg-table-cell d-print-table-cell">Huyện</th>' not in html


def test_a_new_provinces_record_lists_offer_the_commune_then_the_district_of_the_past(world, reform, client):
    """Today's communes have no district: the district filter is for the records of before the reform,
    after the commune and named so (it came first, as if today's units had one)."""
    login_verified(client, reform["staff"])
    urls = (
        reverse("assessments:assessment_list"),
        reverse("seminars:seminar_list"),
        reverse("seminars:followup"),
    )
    for url in urls:
        fields = client.get(url).context["filter"].form.fields
        names = list(fields)
        assert names.index("commune") + 1 == names.index("district"), url
        assert fields["district"].label == "Huyện (đến 30/06/2025)", url
    # A province of before the reform (Trà Vinh) keeps its districts first, as they were.
    login_verified(client, User.objects.get(username="tinhdoan.travinh"))
    names = list(client.get(reverse("assessments:assessment_list")).context["filter"].form.fields)
    assert names.index("district") < names.index("commune")


def test_an_assessment_takes_its_provinces_framework(world, reform):
    own_framework(reform["province"])
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            person=reform["sa_ly"], framework=framework_2026(), assessor=reform["officer"], values={}
        )
    assert refused.value.code == "framework_elsewhere"


def test_commune_officers_home_counts_this_years_drafts(world, reform, client):
    own = own_framework(reform["province"])
    services.assessment_save(person=reform["sa_ly"], framework=own, assessor=reform["officer"], values={})
    login_verified(client, reform["officer"])
    page = client.get(reverse("home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-stat="drafts">1<' in html and f"?framework={own.pk}&amp;status=nhap" in html


# ---------------------------------------------------------------------------------------------------
# Users of ended units read and no longer record


def test_an_ended_unit_does_not_see_its_former_branchs_later_assessments(world, reform, tieu_can_officer):
    own = own_framework(reform["province"])
    teo = world["tieu_can_person"]
    later = services.assessment_save(person=teo, framework=own, assessor=reform["officer"], values={})
    assert later.commune == reform["tap_ngai"]
    visible = Assessment.objects.visible_to(tieu_can_officer)
    assert world["tieu_can_assessment"] in visible  # its own, stored with Huyện Tiểu Cần
    assert later not in visible
    assert later in Assessment.objects.visible_to(reform["officer"])


def test_an_ended_unit_records_no_assessment_after_its_end(world, reform, tieu_can_officer, hieu_tu, client):
    older = services.framework_copy(framework=framework_2026(), year=2025, province=None)
    teo = world["tieu_can_person"]
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(person=teo, framework=older, assessor=tieu_can_officer, values={})
    assert refused.value.code == "unit_ended"
    # Dated before the end, for the year the unit still existed: accepted.
    made = services.assessment_save(
        person=teo,
        framework=older,
        assessor=tieu_can_officer,
        values={},
        assessed_on=datetime.date(2025, 6, 20),
    )
    # Stored with the units of its date: Xã Hiếu Tử, Huyện Tiểu Cần (the branch was re-attached later).
    assert (made.commune_id, made.district_id) == (hieu_tu.pk, hieu_tu.district_id)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            person=teo,
            framework=framework_2026(),
            assessor=tieu_can_officer,
            values={},
            assessed_on=datetime.date(2025, 6, 20),
            assessment=world["tieu_can_assessment"],
            version=world["tieu_can_assessment"].version,
        )
    assert refused.value.code == "unit_ended"  # a 2026 assessment is after the end, whatever its date

    login_verified(client, tieu_can_officer)
    url = reverse("assessments:assessment_update", args=[world["tieu_can_assessment"].pk])
    page = client.post(
        url,
        {"assessed_on": "02/12/2026", "save": "1", "_version": world["tieu_can_assessment"].version},
    )
    assert page.status_code == 200
    assert "Huyện Tiểu Cần" in " ".join(page.context["form"].errors["assessed_on"])
    # Its grid is read-only, with the reason; no "Assess" button on the person's page.
    grid = client.get(reverse("assessments:commune_grid", args=["29350"]) + "?on=2025-06-30")
    assert grid.status_code == 200 and 'id="grid-read-only"' in grid.content.decode()
    assert 'name="submit"' not in grid.content.decode()
    person_page = client.get(teo.get_absolute_url()).content.decode()
    assert reverse("assessments:assessment_create") not in person_page


def test_an_ended_unit_is_told_who_assesses_its_former_secretaries(world, reform, tieu_can_officer, client):
    """QA: Huyện đoàn Tiểu Cần's first screen promised it could still add assessments up to its end, the
    grid said "nothing dated after that day" to someone entering 2025's and the scores import gave the
    general sentence about roles. Assessing is the unit's that keeps the person's record today: the first
    screen promises what works, and the grid and the import say who keeps the records now."""
    services.framework_copy(framework=framework_2026(), year=2025, province=None)
    login_verified(client, tieu_can_officer)
    banner = " ".join(client.get(reverse("home")).content.decode().split())
    banner = banner[banner.index('data-home="unit-ended"') :]
    banner = banner[: banner.index("</div>")]
    assert "đánh giá)" not in banner and "Bí thư Chi đoàn do đơn vị đang quản lý hồ sơ" in banner
    reason = "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025: vẫn xem được hồ sơ của mình"
    grid = " ".join(
        client.get(reverse("assessments:commune_grid", args=["29350"]) + "?on=2025-06-30")
        .content.decode()
        .split()
    )
    assert reason in grid and "không thể ghi nhận mới sau ngày đó" not in grid
    # Every import says it, the branches' and the secretaries' as the scores'.
    for kind in ("scores", "branches", "secretaries"):
        refused = client.get(reverse("imports:batch_upload", args=[kind]))
        assert refused.status_code == 403, kind
        page = refused.content.decode()
        assert reason in page and "Vai trò của tài khoản không cho phép" not in page, kind


def test_commune_officers_list_has_no_unit_filters_and_leads_to_its_grid(world, reform, client):
    login_verified(client, reform["officer"])
    page = client.get(reverse("assessments:assessment_list"))
    assert page.status_code == 200
    assert not {"district", "commune"} & set(page.context["filter"].filters)
    assert reverse("assessments:commune_grid", args=["29365"]) in page.content.decode()
    # Tèo's 2026 draft of Huyện Tiểu Cần (before his branch moved) is among its branches' records.
    assert world["tieu_can_assessment"] in page.context["assessments"]


def test_the_summary_links_a_row_to_the_list_only_where_the_list_narrows_by_its_unit(world, reform, client):
    """A commune officer's summary, as recorded, has a row for the old commune its branch came from (Xã
    Hiếu Tử, Tèo's assessment): its list has no unit filter, so the row names the unit without a link that
    would open the whole list under the row's name. Today's staff's rows link to the list narrowed."""
    from assessments.services import assessment_submit

    assessment_submit(assessment=world["tieu_can_assessment"])  # counted in the summary once sent
    framework = world["tieu_can_assessment"].framework
    list_url = reverse("assessments:assessment_list")
    login_verified(client, reform["officer"])
    html = client.get(reverse("assessments:summary"), {"framework": framework.pk}).content.decode()
    assert "Xã Hiếu Tử" in html and f"{list_url}?framework={framework.pk}&amp;commune=" not in html

    client.logout()
    login_verified(client, reform["staff"])
    html = client.get(reverse("assessments:summary"), {"framework": framework.pk}).content.decode()
    linked = f"{list_url}?framework={framework.pk}&amp;district={world['tieu_can_assessment'].district_id}"
    assert linked in html


def test_an_ended_provinces_staff_neither_copy_nor_change_a_framework(
    world, reform, tra_vinh, tra_vinh_staff, client
):
    """Tỉnh đoàn Trà Vinh ended on 30/06/2025: its staff read its frameworks, offered no copy and no edit, and
    a copy or an edit posted anyway is refused (403), as its branches' and people's are."""
    staff = User.objects.get(pk=tra_vinh_staff.pk)
    own = services.framework_copy(
        framework=framework_2026(), year=2025, province=tra_vinh, name="Trà Vinh 2025"
    )
    login_verified(client, staff)
    page = client.get(reverse("assessments:framework_detail", args=[own.pk]))
    assert page.status_code == 200
    assert 'id="framework-copy"' not in page.text
    assert reverse("assessments:framework_edit", args=[own.pk]) not in page.text
    copy = client.post(reverse("assessments:framework_copy", args=[own.pk]), {"year": "2026"})
    assert copy.status_code == 403
    assert client.get(reverse("assessments:framework_edit", args=[own.pk])).status_code == 403
    assert not Framework.objects.filter(province=tra_vinh, year=2026).exists()
    assert not framework_services.may_manage(staff, own)
    with pytest.raises(PermissionDenied):
        framework_services.framework_copy_for(framework=own, user=staff, year=2027)
    # Its list holds the frameworks of its years only, to read: 2026's is no part of its history.
    listed = client.get(reverse("assessments:framework_list"))
    assert [f.year for f in listed.context["frameworks"]] == [2025]
    assert "đến khi đơn vị chấm dứt ngày 30/06/2025" in listed.text
    detail = reverse("assessments:framework_detail", args=[framework_2026().pk])
    assert client.get(detail).status_code == 404


def test_an_ended_units_reports_offer_the_frameworks_of_its_years_only(
    world, reform, tra_vinh_staff, tieu_can_officer, client
):
    """Tỉnh đoàn Trà Vinh (ended 30/06/2025) is offered the frameworks up to 2025 in its reports, not
    2026's, which is no part of its history; today's province is offered 2026's."""
    older = services.framework_copy(framework=framework_2026(), year=2025, province=None)
    for user in (tra_vinh_staff, tieu_can_officer):
        login_verified(client, user)
        for name in ("assessments:summary", "assessments:training_needs"):
            page = client.get(reverse(name))
            offered = list(page.context["form"].fields["framework"].queryset)
            assert offered == [older], (user, name)
            chosen = client.get(reverse(name), {"framework": framework_2026().pk})
            assert chosen.context["form"].fields["framework"].queryset.filter(year=2026).count() == 0
    login_verified(client, reform["staff"])
    page = client.get(reverse("assessments:summary"))
    assert framework_2026() in page.context["form"].fields["framework"].queryset


def test_an_ended_communes_grid_lists_its_secretaries_of_its_last_day(
    world, reform, tieu_can_officer, hieu_tu, client
):
    """Xã Hiếu Tử ended on 30/06/2025 and its branch went to Xã Tập Ngãi: its grid (?on=2025-06-30) lists
    the branch and the secretary it had that day, with his 2025 assessment, read-only; nobody whose term
    ended before, nobody appointed after, and no framework of a year after its end."""
    older = services.framework_copy(framework=framework_2026(), year=2025, province=None)
    teo = world["tieu_can_person"]
    made = services.assessment_save(
        person=teo, framework=older, assessor=tieu_can_officer, values={}, assessed_on=LAST_OLD_DAY
    )
    gone = BranchFactory(commune=hieu_tu, name="Ấp Đã Đổi")
    left = person_with_term(branch=gone, full_name="Người Đã Thôi", started_on=datetime.date(2020, 1, 1))
    left.terms.update(ended_on=datetime.date(2024, 12, 31))
    later = person_with_term(branch=gone, full_name="Người Đến Sau", started_on=datetime.date(2025, 9, 1))
    login_verified(client, tieu_can_officer)
    url = reverse("assessments:commune_grid", args=["29350"])
    page = client.get(url, {"on": "2025-06-30", "framework": framework_2026().pk})
    assert page.status_code == 200
    assert page.context["framework"] == older  # 2026 is after its end: the year it ended instead
    assert [f.year for f in page.context["frameworks"]] == [2025]
    assert [(row.person, row.assessment) for row in page.context["rows"]] == [(teo, made)]
    html = page.content.decode()
    assert 'id="grid-read-only"' in html and 'name="submit"' not in html
    assert "Type a score" not in html and "Gõ điểm" not in html  # no typing help where nothing is typed
    assert left.full_name not in html and later.full_name not in html

    # Read-only for every reader: nothing saved in a commune that ended, even by today's units.
    client.logout()
    login_verified(client, reform["staff"])
    page = client.get(url, {"on": "2025-06-30"})
    assert [row.person for row in page.context["rows"]] == [teo]
    assert 'id="grid-read-only"' in page.content.decode()
    typed = {f"s-{teo.pk}-{c.pk}": 4 for c in services.framework_criteria(older)}
    Assessment.objects.filter(pk=made.pk).delete()  # an empty row: a post would start one today
    posted = client.post(
        f"{url}?on=2025-06-30", {"framework": older.pk, "save": "1", f"v-{teo.pk}": 0, **typed}
    )
    assert posted.status_code == 200 and "Xã Hiếu Tử" in posted.content.decode()
    assert not Assessment.objects.filter(person=teo, framework=older).exists()
