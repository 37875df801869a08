"""Seminars and models/solutions in the new world: any unit organises (province, commune; district for the
past), named by its Union body; a commune officer sees and edits its commune's, never a neighbour's; the
users of ended units read and no longer record.

`reform` (tests/assessments/test_new_world.py) ends the matrix world on 30/06/2025 and re-attaches its Tiểu
Cần branch (Tèo's) to Xã Tập Ngãi of a new Vĩnh Long, beside Xã Càng Long.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from branches.models import CommuneSuccession, District
from seminars import selectors, services
from seminars.forms import SeminarForm
from seminars.models import Initiative, Programme, Proposal, Seminar, union_body_name
from tests.assessments.test_new_world import LAST_OLD_DAY, reform_build
from tests.excel import read_export
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory, person_with_term
from tests.login import login_verified
from tests.seminars.test_seminar_pages import seminar_data

pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


@pytest.fixture
def reform(world, tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
    return reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong)


def tap_ngai_seminar(reform, participants=(), **fields):
    commune = reform["tap_ngai"]
    return services.seminar_save(
        seminar=Seminar(
            province=commune.province,
            commune=commune,
            **{"title": "Thanh niên lập nghiệp ở xã mới", "held_on": datetime.date(2026, 4, 25), **fields},
        ),
        participants=list(participants),
        themes=[{"title": "Tổ hợp tác thanh niên"}],
        proposals=[
            {"text": "Thành lập tổ hợp tác", "due_on": datetime.date(2026, 9, 30), "status": "de_xuat"}
        ],
    )


def test_the_organiser_is_named_by_its_union_body(world, reform):
    seminar = tap_ngai_seminar(reform)
    assert seminar.organiser == reform["tap_ngai"]
    assert seminar.organiser_name == "Đoàn xã Tập Ngãi"
    assert world["tieu_can_seminar"].organiser_name == "Huyện đoàn Tiểu Cần"
    province_level = Seminar(province=ProvinceFactory(code="31", name="Tỉnh Vĩnh Long"))
    assert province_level.organiser_name == "Tỉnh đoàn Vĩnh Long"
    city = ProvinceFactory(code="79", name="Thành phố Hồ Chí Minh", kind="thanh_pho_tw")
    assert union_body_name(city) == "Thành đoàn Hồ Chí Minh"
    assert union_body_name(
        CommuneFactory(code="26734", name="Phường Sài Gòn", kind="phuong", province=city)
    ) == ("Đoàn phường Sài Gòn")
    town = DistrictFactory(code="855", name="Thị xã Bình Minh", kind="thi_xa", province=city)
    assert union_body_name(town) == "Thị đoàn Bình Minh"


def test_an_organiser_is_not_both_a_district_and_a_commune(world, reform, tieu_can):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seminar.objects.create(
            province=reform["province"],
            district=tieu_can,
            commune=reform["tap_ngai"],
            title="Hai đơn vị",
            held_on=datetime.date(2025, 6, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            province=reform["province"],
            district=tieu_can,
            commune=reform["tap_ngai"],
            name="X",
            from_year=2025,
        )


def test_commune_officer_records_its_communes_seminar_and_the_neighbour_never_sees_it(world, reform, client):
    login_verified(client, reform["officer"])
    page = client.get(reverse("seminars:seminar_create"))
    assert "organiser" not in page.context["form"].fields
    assert "Đoàn xã Tập Ngãi" in page.content.decode()
    response = client.post(
        reverse("seminars:seminar_create"),
        seminar_data(participants=[world["tieu_can_person"]], held_on="25/04/2026", title="Tọa đàm xã mới"),
    )
    assert response.status_code == 302
    seminar = Seminar.objects.get(title="Tọa đàm xã mới")
    assert (seminar.province, seminar.district, seminar.commune) == (
        reform["province"],
        None,
        reform["tap_ngai"],
    )
    assert client.get(reverse("seminars:seminar_update", args=[seminar.pk])).status_code == 200

    # The neighbouring commune's officer: not in its list, 404 on every page of it and its proposals.
    client.logout()
    login_verified(client, reform["neighbour_officer"])
    assert seminar not in Seminar.objects.visible_to(reform["neighbour_officer"])
    assert "Tọa đàm xã mới" not in client.get(reverse("seminars:seminar_list")).content.decode()
    assert client.get(seminar.get_absolute_url()).status_code == 404
    proposal = seminar.proposals.first()
    assert (
        client.post(
            reverse("seminars:proposal_update", args=[proposal.pk]), {"status": "hoan_thanh"}
        ).status_code
        == 404
    )
    # Today's provincial staff see it; Huyện đoàn Tiểu Cần (ended) does not, though Tèo was its secretary.
    assert seminar in Seminar.objects.visible_to(reform["staff"])


def test_commune_officer_reads_but_does_not_edit_a_seminar_its_secretary_attended(world, reform, client):
    login_verified(client, reform["officer"])
    old = world["tieu_can_seminar"]
    page = client.get(old.get_absolute_url())
    assert (
        page.status_code == 200
        and reverse("seminars:seminar_update", args=[old.pk]) not in page.content.decode()
    )
    assert client.get(reverse("seminars:seminar_update", args=[old.pk])).status_code == 403


def test_commune_officer_follows_up_its_own_proposals_and_reads_those_of_a_seminar_it_did_not_hold(
    world, reform, client
):
    """The follow-up page lists the old district's proposals a commune's secretaries took part in, read
    only: the province follows them up once the district has ended; two communes never both do."""
    own = tap_ngai_seminar(reform).proposals.get()
    old = world["tieu_can_seminar"].proposals.open().first()
    assert old is not None
    login_verified(client, reform["officer"])
    page = client.get(reverse("seminars:followup"))
    rows = {proposal.pk: form for proposal, form in page.context["rows"]}
    assert rows[own.pk] is not None and rows[old.pk] is None
    html = " ".join(page.content.decode().split())
    assert reverse("seminars:proposal_update", args=[own.pk]) in html
    assert reverse("seminars:proposal_update", args=[old.pk]) not in html
    assert "Tỉnh đoàn Vĩnh Long (mới) theo dõi (đơn vị tổ chức đã chấm dứt)" in html

    response = client.post(reverse("seminars:proposal_update", args=[old.pk]), {"status": "hoan_thanh"})
    assert response.status_code == 403
    assert "Huyện đoàn Tiểu Cần" in response.content.decode()
    old.refresh_from_db()
    assert old.status != "hoan_thanh"

    # Today's provincial staff follow it up.
    client.logout()
    login_verified(client, reform["staff"])
    response = client.post(
        reverse("seminars:proposal_update", args=[old.pk]),
        {"status": "hoan_thanh", "result": "Đã tổ chức lớp"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == "hoan_thanh"


def test_a_commune_officer_reads_its_own_and_its_secretaries_seminars_as_one_set_of_ids(world, reform):
    """Its commune's seminars and those its secretaries attended, as a UNION of ids, not an OR that made
    PostgreSQL join every open proposal in the country to its seminar; the same rows for each model."""
    own = tap_ngai_seminar(reform)
    attended = world["tieu_can_seminar"]  # Tèo's, whose branch is Tập Ngãi's today
    officer, neighbour = reform["officer"], reform["neighbour_officer"]
    for model, mine in (
        (Seminar, {own, attended}),
        (Proposal, {*own.proposals.all(), *attended.proposals.all()}),
    ):
        rows = model.objects.visible_to(officer)
        sql = str(rows.query)
        assert " UNION " in sql and " OR " not in sql, sql
        assert set(rows) == mine
        assert not set(model.objects.visible_to(neighbour)) & mine


def test_ended_units_do_not_see_their_former_branchs_later_seminars(
    world, reform, tieu_can_officer, tra_vinh_staff
):
    seminar = tap_ngai_seminar(reform)
    seminar.participants.add(world["tieu_can_person"])
    for user in (tieu_can_officer, tra_vinh_staff):
        assert seminar not in Seminar.objects.visible_to(user)
        assert not Proposal.objects.visible_to(user).filter(seminar=seminar).exists()
        assert world["tieu_can_seminar"] in Seminar.objects.visible_to(user)


def organiser_labels(client, user, query: str) -> list[str]:
    """What the organiser's autocomplete offers `user` for the typed `query`."""
    login_verified(client, user)
    answer = client.get(reverse("seminars:organiser_autocomplete"), {"q": query}).json()
    return [result["text"] for result in answer["results"]]


def test_staff_choose_any_unit_of_their_scope_as_organiser(world, reform, vinh_long_staff, client):
    staff, province = reform["staff"], reform["province"].name
    assert organiser_labels(client, staff, "tap ngai") == [f"Đoàn xã Tập Ngãi — {province}"]
    assert f"Đoàn xã Càng Long — {province}" in organiser_labels(client, staff, "Đoàn xã càng long")
    assert organiser_labels(client, staff, "huyện đoàn tieu can") == [
        "Huyện đoàn Tiểu Cần (đến 30/06/2025) — Tỉnh Trà Vinh"
    ]
    assert organiser_labels(client, staff, "thanh duc") == []  # another province's commune
    assert organiser_labels(client, vinh_long_staff, "tap ngai") == []
    form = SeminarForm(
        seminar_data(organiser=f"commune:{reform['tap_ngai'].pk}", held_on="25/04/2026"), user=reform["staff"]
    )
    assert form.is_valid(), form.errors
    assert form.chosen_organiser() == (reform["province"], None, reform["tap_ngai"])
    # A commune of another province is not among the choices, whatever is posted.
    foreign = SeminarForm(
        seminar_data(organiser=f"commune:{world['vinh_long'].commune_id}"), user=reform["staff"]
    )
    assert not foreign.is_valid() and "organiser" in foreign.errors


def test_an_ended_commune_organises_no_new_seminar_but_keeps_its_own(world, reform, hieu_tu, client):
    staff = reform["staff"]
    assert organiser_labels(client, staff, "hieu tu") == []  # only today's communes are offered
    ended = f"commune:{hieu_tu.pk}"
    refused = client.post(
        reverse("seminars:seminar_create"), seminar_data(organiser=ended, title="Không được")
    )
    assert refused.status_code == 200 and "organiser" in refused.context["form"].errors
    assert not Seminar.objects.filter(title="Không được").exists()
    # Its own seminar of 2021 is edited with its organiser as it was.
    seminar = services.seminar_save(
        seminar=Seminar(
            province=hieu_tu.province, commune=hieu_tu, title="Tọa đàm xã cũ", held_on=D(2021, 5, 4)
        ),
        participants=[],
        themes=[{"title": "Chủ đề"}],
        proposals=[],
    )
    edit = reverse("seminars:seminar_update", args=[seminar.pk])
    page = client.get(edit).content.decode()
    assert (
        f'<option value="{ended}" selected>Đoàn xã Hiếu Tử (đến 30/06/2025) — Tỉnh Trà Vinh</option>' in page
    )
    data = {
        **seminar_data(organiser=ended, title="Tọa đàm xã cũ (sửa)", held_on="04/05/2021"),
        "version": "1",
    }
    assert client.post(edit, data).status_code == 302
    seminar.refresh_from_db()
    assert (seminar.title, seminar.commune, seminar.district) == ("Tọa đàm xã cũ (sửa)", hieu_tu, None)


def test_a_seminar_is_dated_within_its_organisers_life(world, reform, tieu_can, client):
    login_verified(client, reform["staff"])
    for organiser, day in (
        (f"district:{tieu_can.pk}", "20/03/2026"),
        (f"commune:{reform['tap_ngai'].pk}", "20/03/2025"),
    ):
        page = client.post(reverse("seminars:seminar_create"), seminar_data(organiser=organiser, held_on=day))
        assert page.status_code == 200
        assert page.context["form"].errors["held_on"], organiser
    assert not Seminar.objects.filter(held_on__year__in=[2025, 2026]).exists()


def test_ended_units_record_no_seminar_follow_up_or_model_after_their_end(
    world, reform, tieu_can_officer, client
):
    login_verified(client, tieu_can_officer)
    page = client.post(reverse("seminars:seminar_create"), seminar_data(held_on="02/12/2026", title="Muộn"))
    assert page.status_code == 200
    assert "Huyện Tiểu Cần" in " ".join(page.context["form"].errors["held_on"])
    assert not Seminar.objects.filter(title="Muộn").exists()
    # Its own 2021 seminar is still its to correct (dated before the end), its proposal's follow-up left to
    # today's units.
    kept = world["tieu_can_seminar"].proposals.get()
    assert services.seminar_save(
        seminar=world["tieu_can_seminar"],
        participants=[],
        themes=[{"title": "Vai trò"}],
        proposals=[{"id": kept.pk, "version": kept.version, "text": kept.text}],
        user=tieu_can_officer,
    )
    proposal = Proposal.objects.create(seminar=world["tieu_can_seminar"], text="Theo dõi", status="de_xuat")
    response = client.post(
        reverse("seminars:proposal_update", args=[proposal.pk]),
        {"status": "hoan_thanh", "result": "Đã tập huấn", "loaded_version": proposal.version},
        follow=True,
    )
    assert "đã chấm dứt" in response.content.decode() or "kết thúc" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "de_xuat"
    page = client.post(reverse("seminars:initiative_create"), {"name": "Mô hình mới", "from_year": "2026"})
    assert page.status_code == 200 and page.context["form"].errors["from_year"]
    with pytest.raises(ValidationError):
        services.initiative_save(
            initiative=Initiative(
                province=tieu_can_officer.district.province,
                district=tieu_can_officer.district,
                name="X",
                from_year=2026,
            ),
            communes=[],
            branches=[],
            seminars=[],
        )


def test_an_ended_units_date_after_its_end_is_refused_first_and_alone(
    world, reform, tieu_can, tieu_can_officer, client
):
    """QA: Huyện đoàn Tiểu Cần (ended 30/06/2025) moving its seminar to 01/07/2025, or recording one on
    15/07/2025 under its programme, was told to change the programme and the proposals' due dates, and
    nothing beside the date, the real cause. The end is said beside the date; nothing else reads it."""
    programme = Programme.objects.create(
        province=tieu_can.province,
        district=tieu_can,
        name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
        from_year=2019,
        to_year=2022,
    )
    login_verified(client, tieu_can_officer)
    form = client.get(reverse("seminars:seminar_create")).context["form"]
    # Said up front, under the date.
    assert form.fields["held_on"].help_text == (
        "Đến ngày 30/06/2025: Huyện Tiểu Cần chấm dứt vào ngày này, không thể ghi nhận mới sau đó."
    )
    seminar = world["tieu_can_seminar"]
    proposal = seminar.proposals.get()
    edit = seminar_data(
        programme=programme.pk,
        held_on="01/07/2025",
        **{
            "proposals-INITIAL_FORMS": "1",
            "proposals-0-id": proposal.pk,
            "proposals-0-loaded_version": proposal.version,
            "proposals-0-due_on": "31/12/2021",
            "proposals-0-status": proposal.status,
            "proposals-1-due_on": "30/06/2021",
        },
    )
    for url, data in (
        (reverse("seminars:seminar_update", args=[seminar.pk]), edit),
        (
            reverse("seminars:seminar_create"),
            seminar_data(programme=programme.pk, held_on="15/07/2025", title="QA thử chương trình"),
        ),
    ):
        page = client.post(url, data)
        assert page.status_code == 200
        form = page.context["form"]
        assert list(form.errors) == ["held_on"], form.errors
        assert "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025" in form.errors["held_on"][0]
        assert not any(f.errors for f in page.context["proposals"].forms)
    assert not Seminar.objects.filter(title="QA thử chương trình").exists()
    # Other users' date field says nothing of the kind.
    client.logout()
    login_verified(client, reform["staff"])
    assert not client.get(reverse("seminars:seminar_create")).context["form"].fields["held_on"].help_text


def test_an_ended_unit_deletes_its_seminar_recorded_by_mistake_unless_its_proposals_are_followed_up(
    world, reform, tieu_can, tieu_can_officer, client
):
    """QA: Huyện đoàn Tiểu Cần's seminar of 20/05/2025 recorded by mistake counted in the province's report
    for good. It deletes it as it edits it; one with proposals, which today's province follows up (and the
    district removes none of: _check_follow_up_unchanged), is left to that province, which deletes it."""
    mistake = Seminar.objects.create(
        province=tieu_can.province, district=tieu_can, title="Tọa đàm QA", held_on=D(2025, 5, 20)
    )
    seminar = world["tieu_can_seminar"]  # with an open proposal
    login_verified(client, tieu_can_officer)
    url = reverse("seminars:seminar_delete", args=[seminar.pk])
    page = client.get(url).content.decode()
    assert "Tỉnh đoàn hiện nay theo dõi thực hiện" in page and "Xóa tọa đàm</button>" not in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == seminar.get_absolute_url()
    assert "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025" in response.content.decode()
    assert Seminar.objects.filter(pk=seminar.pk).exists()
    assert client.post(reverse("seminars:seminar_delete", args=[mistake.pk])).status_code == 302
    assert not Seminar.objects.filter(pk=mistake.pk).exists()
    client.logout()
    login_verified(client, reform["staff"])
    assert client.post(url).status_code == 302
    assert not Seminar.objects.filter(pk=seminar.pk).exists()


def test_an_ended_units_follow_up_page_offers_no_form_the_service_would_refuse(
    world, reform, tieu_can_officer, client
):
    """QA: Huyện đoàn Tiểu Cần (ended 30/06/2025) was offered a form on its open proposals that every save
    refused, losing what was typed. Its rows say the province follows them up, as a commune officer's
    read-only rows do; the page and the service read one rule (services.may_follow_up)."""
    proposal = world["tieu_can_seminar"].proposals.get()
    assert proposal.is_open
    login_verified(client, tieu_can_officer)
    page = client.get(reverse("seminars:followup"))
    assert [p for p, form in page.context["rows"]] == [proposal]
    assert [form for p, form in page.context["rows"]] == [None]
    html = page.content.decode()
    row = html[html.index(f'data-proposal="{proposal.pk}"') :]
    assert "Tỉnh đoàn Vĩnh Long (mới) theo dõi (đơn vị tổ chức đã chấm dứt)" in row[: row.index("</tr>")]
    assert 'class="proposal-update"' not in html
    assert not services.may_follow_up(tieu_can_officer)
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=proposal, status="hoan_thanh", result="QA", user=tieu_can_officer)
    # A form posted all the same (a page open since before) is refused with what was typed kept.
    refused = client.post(
        reverse("seminars:proposal_update", args=[proposal.pk]),
        {"status": "hoan_thanh", "result": "QA cập nhật", "loaded_version": proposal.version},
    )
    assert refused.status_code == 200 and "QA cập nhật" in refused.content.decode()
    assert "Huyện Tiểu Cần" in " ".join(refused.context["form"].non_field_errors())
    # Today's province follows them up: its form is offered, and saves.
    client.logout()
    login_verified(client, reform["staff"])
    forms = [form for p, form in client.get(reverse("seminars:followup")).context["rows"] if p == proposal]
    assert forms[0] is not None and services.may_follow_up(reform["staff"])


def test_an_ended_unit_correcting_its_seminar_leaves_the_follow_up_to_todays_units(
    world, reform, tieu_can_officer, client
):
    """QA: Huyện đoàn Tiểu Cần (ended) set its proposal "Hoàn thành" through the seminar's own form, which
    the follow-up page refuses it. Its seminar form corrects a proposal's text, unit and due date; its status
    and result are not offered, nor removing a saved one, and the service refuses them all the same."""
    seminar = world["tieu_can_seminar"]
    proposal = seminar.proposals.get()
    saved = {f: getattr(proposal, f) for f in ("text", "responsible", "due_on", "status", "result")}
    base = {"id": proposal.pk, "version": proposal.version, **saved}
    common = {
        "seminar": seminar,
        "participants": list(seminar.participants.all()),
        "themes": [{"title": t.title, "notes": t.notes} for t in seminar.themes.all()],
        "user": tieu_can_officer,
    }
    added = {"text": "Đề xuất mới", "responsible": "", "due_on": None, "status": "hoan_thanh", "result": ""}
    for proposals in (
        [{**base, "status": "hoan_thanh", "result": "QA"}],  # followed up
        [{**base, "result": "Đã làm"}],
        [],  # removed by leaving it out
        [{"id": proposal.pk, "version": proposal.version, "remove": True}],
        [base, added],  # added as done
    ):
        with pytest.raises(ValidationError) as refused:
            services.seminar_save(**common, proposals=proposals)
        assert refused.value.code == "follow_up_elsewhere"
        assert "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025" in refused.value.messages[0]
    proposal.refresh_from_db()
    assert {f: getattr(proposal, f) for f in saved} == saved
    # A correction of the seminar's own record, and a proposal added as proposed, are saved.
    services.seminar_save(
        **common,
        proposals=[{**base, "text": "Tập huấn kỹ năng điều hành (sửa)"}, {**added, "status": "de_xuat"}],
    )
    proposal.refresh_from_db()
    assert proposal.text == "Tập huấn kỹ năng điều hành (sửa)" and proposal.status == saved["status"]
    assert seminar.proposals.count() == 2

    login_verified(client, tieu_can_officer)
    rows = client.get(reverse("seminars:seminar_update", args=[seminar.pk])).context["proposals"].forms
    assert all(f.fields["status"].disabled and f.fields["result"].disabled for f in rows)
    assert all(f.fields["DELETE"].disabled for f in rows)
    # Today's province follows them up from the same form.
    login_verified(client, reform["staff"])
    rows = client.get(reverse("seminars:seminar_update", args=[seminar.pk])).context["proposals"].forms
    assert not any(f.fields["status"].disabled or f.fields["DELETE"].disabled for f in rows)


def test_an_ended_provinces_model_and_programme_forms_offer_no_commune_organiser(
    world, reform, tra_vinh_staff, client
):
    """QA: Tỉnh đoàn Trà Vinh (ended 30/06/2025) was offered "Đoàn xã, phường tổ chức (từ 01/07/2025)", whose
    search found nothing its period allows. Its forms offer its districts; today's province both."""
    for url in (reverse("seminars:programme_create"), reverse("seminars:initiative_create")):
        login_verified(client, tra_vinh_staff)
        fields = client.get(url).context["form"].fields
        assert "district" in fields and "commune" not in fields, url
        login_verified(client, reform["staff"])
        fields = client.get(url).context["form"].fields
        assert "district" in fields and "commune" in fields, url
    # Without the field, Trà Vinh still records its district's programme of its years.
    login_verified(client, tra_vinh_staff)
    response = client.post(
        reverse("seminars:programme_create"),
        {
            "name": "Chương trình Tiểu Cần",
            "district": world["tieu_can"].commune.district_id,
            "from_year": "2020",
            "to_year": "2024",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = Programme.objects.get(name="Chương trình Tiểu Cần")
    assert (created.district_id, created.commune_id) == (world["tieu_can"].commune.district_id, None)


def test_commune_officer_records_its_communes_model(world, reform, client):
    login_verified(client, reform["officer"])
    form_page = client.get(reverse("seminars:initiative_create"))
    assert (
        "district" not in form_page.context["form"].fields
        and "commune" not in form_page.context["form"].fields
    )
    response = client.post(
        reverse("seminars:initiative_create"),
        {"name": "Tổ hợp tác thanh niên", "from_year": "2026", "branches": [world["tieu_can"].pk]},
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(name="Tổ hợp tác thanh niên")
    assert (initiative.commune, initiative.district, initiative.organiser_name) == (
        reform["tap_ngai"],
        None,
        "Đoàn xã Tập Ngãi",
    )
    assert initiative not in Initiative.objects.visible_to(reform["neighbour_officer"])


def test_home_panels_count_overdue_proposals_per_organiser(world, reform, client):
    seminar = tap_ngai_seminar(reform)
    seminar.proposals.update(due_on=datetime.date(2026, 1, 31))
    # Its own, and Huyện đoàn Tiểu Cần's (2021) whose seminar its secretary attended.
    assert selectors.overdue_per_organiser(user=reform["officer"]) == {
        (None, reform["tap_ngai"].pk): 1,
        (world["tieu_can_seminar"].district_id, None): 1,
    }
    assert selectors.overdue_per_organiser(user=reform["neighbour_officer"]) == {}
    login_verified(client, reform["officer"])
    home = client.get(reverse("home")).content.decode()
    # Its first screen counts what it follows up: its own seminar's proposal. Tiểu Cần's, which the
    # province follows up since the district ended, is read on the follow-up page, not counted as its work.
    assert 'data-stat="overdue-proposals">1<' in home and 'id="overdue-per-district"' not in home
    client.logout()
    login_verified(client, reform["staff"])
    home = client.get(reverse("home")).content.decode()
    table = home[home.index('id="overdue-per-district"') :]
    assert f"?status=qua_han&amp;commune={reform['tap_ngai'].pk}" in table and "Đoàn xã Tập Ngãi" in table
    followup = client.get(reverse("seminars:followup") + f"?commune={reform['tap_ngai'].pk}")
    assert [p.seminar_id for p in followup.context["proposals"]] == [seminar.pk]


def test_a_commune_officers_lists_cost_the_same_whatever_the_rows(world, reform, client, count_queries):
    login_verified(client, reform["officer"])
    urls = [
        reverse("seminars:seminar_list"),
        reverse("seminars:followup"),
        reverse("seminars:initiative_list"),
    ]

    def costs():
        result = []
        for url in urls:
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            result.append(len(counted))
        return result

    tap_ngai_seminar(reform)
    Initiative.objects.create(
        province=reform["province"], commune=reform["tap_ngai"], name="Mô hình", from_year=2026
    )
    before = costs()
    for n in range(3):
        tap_ngai_seminar(reform, venue=f"Ấp {n}", held_on=datetime.date(2026, 4, 26 + n))
        Initiative.objects.create(
            province=reform["province"], commune=reform["tap_ngai"], name=f"Mô hình {n}", from_year=2026
        )
    assert costs() == before


def test_a_seminar_dated_ahead_is_refused_next_to_its_date(world, reform, client):
    """Recorded once held (issue 14): a date still ahead would count as held and make its proposals overdue
    at once."""
    from django.utils import timezone

    login_verified(client, reform["staff"])
    ahead = timezone.localdate() + datetime.timedelta(days=1)
    data = seminar_data(
        organiser=f"commune:{reform['tap_ngai'].pk}", held_on=ahead.strftime("%d/%m/%Y"), title="Chưa tới"
    )
    data["proposals-0-due_on"] = ""
    page = client.post(reverse("seminars:seminar_create"), data)
    assert page.status_code == 200
    assert "ghi nhận khi đã diễn ra" in " ".join(page.context["form"].errors["held_on"])
    assert not Seminar.objects.filter(title="Chưa tới").exists()
    # Held today: recorded.
    data["held_on"] = timezone.localdate().strftime("%d/%m/%Y")
    assert client.post(reverse("seminars:seminar_create"), data).status_code == 302
    with pytest.raises(ValidationError) as refused:
        services.check_held_not_ahead(ahead)
    assert refused.value.code == "held_ahead"


def report_rows(client, user, year: int):
    login_verified(client, user)
    response = client.get(reverse("seminars:report"), {"year": year})
    client.logout()
    report = response.context["report"]
    rows = {
        row.unit.name if row.unit else None: (row.seminars, row.participants, row.secretaries, row.attended)
        for row in report.rows
    }
    return report, rows, response.content.decode()


def test_the_report_is_per_commune_since_the_reform_and_per_district_before(
    world, reform, client, tieu_can_officer
):
    """Each seminar under its organiser as recorded, each current secretary under the unit its branch is
    in: a commune of today, or (for a district's own report) the district it was in. Nothing of a commune
    lands in the province's own row."""
    tap_ngai_seminar(reform, participants=[reform["sa_ly"]])
    # Today's province: per commune of today; the ended districts (none held anything in 2026) not listed.
    report, rows, html = report_rows(client, reform["staff"], 2026)
    assert report.level == "commune" and 'o=unit">Xã <i' in html
    # Tèo (re-attached from Tiểu Cần) and Sa Ly serve in Tập Ngãi; Sa Ly came to its seminar.
    assert rows["Xã Tập Ngãi"] == (1, 1, 2, 1)
    assert rows["Xã Càng Long"] == (0, 0, 1, 0)
    assert rows[None] == (0, 0, 0, 0)  # the province's own seminars: none
    assert "Huyện Tiểu Cần" not in rows
    # 2021, as recorded: Huyện đoàn Tiểu Cần's seminar under the district. No share of today's secretaries,
    # who are not 2021's, and no row of today's communes, which did not exist.
    report, rows, html = report_rows(client, reform["staff"], 2021)
    assert rows["Huyện Tiểu Cần"] == (1, 1, None, None)
    assert "Huyện Tiểu Cần" in html and "chấm dứt 30/06/2025" in html  # the ended district says so
    assert "Xã Tập Ngãi" not in rows
    # The commune officer: its commune, not a "province level" row.
    report, rows, _html = report_rows(client, reform["officer"], 2026)
    assert list(rows) == ["Xã Tập Ngãi"] and rows["Xã Tập Ngãi"] == (1, 1, 2, 1)
    # The ended district's own report of 2021: its seminar, under itself, not under the province.
    report, rows, _html = report_rows(client, tieu_can_officer, 2021)
    assert report.level == "district" and rows == {"Huyện Tiểu Cần": (1, 1, None, None)}
    # The export says the same, its unit column named as the page's.
    login_verified(client, reform["staff"])
    export = read_export(client.get(reverse("seminars:report_export"), {"year": 2026}))
    assert export.header[1] == "Xã"
    assert (2026, "Xã Tập Ngãi", 1, 1, 2, 1, 50.0) in export.rows


def test_an_ended_districts_row_of_a_later_year_says_its_branches_wait_for_their_new_commune(
    world, reform, client, tieu_can, tieu_can_officer
):
    """A commune of Tiểu Cần split in 2025: its branch waits for its new commune, and its secretary is
    counted under the district it was in. In 2026 the district's row holds nothing else: it says why it is
    there, with the work list for the staff who settle them; in 2025 (when the district still worked) not."""
    split = CommuneFactory(code="29377", name="Xã Long Thới", district=tieu_can, ended_on=LAST_OLD_DAY)
    for successor in (reform["tap_ngai"], reform["neighbour"]):
        CommuneSuccession.objects.create(predecessor=split, successor=successor, on=successor.began_on)
    person_with_term(branch=BranchFactory(commune=split, name="Ấp Chợ"), full_name="Thạch Thị Sen")
    report, rows, html = report_rows(client, reform["staff"], 2026)
    assert rows["Huyện Tiểu Cần"] == (0, 0, 1, 0)
    (row,) = [row for row in report.rows if row.unit == tieu_can]
    assert row.waiting and not any(other.waiting for other in report.rows if other is not row)
    waiting = f'href="{reverse("branches:branch_waiting")}">Chi đoàn chờ xác định xã mới</a>'
    assert html.count("data-waiting") == 1 and waiting in html
    # The export says so in the unit's cell.
    login_verified(client, reform["staff"])
    export = read_export(client.get(reverse("seminars:report_export"), {"year": 2026}))
    assert (2026, "Huyện Tiểu Cần (Chi đoàn chờ xác định xã mới)", 0, 0, 1, 0, 0.0) in export.rows
    client.logout()
    report, _rows, html = report_rows(client, reform["staff"], 2025)
    assert not any(row.waiting for row in report.rows) and "data-waiting" not in html
    # Huyện đoàn Tiểu Cần's own report counts every former branch's secretary under it, re-attached or
    # waiting (Tèo and Sen): its row is not one of waiting branches only.
    report, rows, html = report_rows(client, tieu_can_officer, 2026)
    assert rows == {"Huyện Tiểu Cần": (0, 0, 2, 0)}
    assert not any(row.waiting for row in report.rows) and "data-waiting" not in html


@pytest.mark.parametrize(
    ("years", "field", "said"),
    [
        (("0", ""), "from_year", "trước khi Đoàn được thành lập"),
        (("1900", ""), "from_year", "trước khi Đoàn được thành lập"),
        (("next", ""), "from_year", "chưa tới"),
        (("2025", "next"), "to_year", "chưa tới"),
        (("2024", "2026"), "from_year", "bắt đầu hoạt động từ ngày 01/07/2025"),
        (("2026", "2025"), "to_year", "không thể trước thời gian bắt đầu"),
    ],
    ids=["year 0", "1900", "ahead", "ending ahead", "before the commune began", "ending before it starts"],
)
def test_a_models_years_are_those_its_unit_existed_in_up_to_this_one(
    world, reform, client, years, field, said
):
    """QA: a commune that began on 01/07/2025 saved models of 0, 1900, 2035 and 2024–2026. Refused next to
    the year, as a seminar dated before its unit began or still ahead is."""
    from django.utils import timezone

    next_year = str(timezone.localdate().year + 1)
    from_year, to_year = (next_year if year == "next" else year for year in years)
    login_verified(client, reform["officer"])
    page = client.post(
        reverse("seminars:initiative_create"),
        {"name": "Mô hình QA", "from_year": from_year, "to_year": to_year},
    )
    assert page.status_code == 200
    assert said in " ".join(page.context["form"].errors[field])
    assert not Initiative.objects.filter(name="Mô hình QA").exists()
    # The year the commune began, ongoing: recorded.
    page = client.post(reverse("seminars:initiative_create"), {"name": "Mô hình QA", "from_year": "2025"})
    assert page.status_code == 302


def test_the_list_finds_seminars_by_their_organiser_as_shown(world, reform, client):
    """QA: "doan xa tap ngai", the organiser as the list shows it, found only the seminar whose title held
    "đoàn": the Union body's words are not in the unit's name. They are searched by the unit's kind."""
    first = tap_ngai_seminar(reform)
    second = tap_ngai_seminar(reform, title="Tọa đàm QA kiểm thử", held_on=datetime.date(2026, 5, 15))
    login_verified(client, reform["officer"])
    url = reverse("seminars:seminar_list")
    for query in ("doan xa tap ngai", "Đoàn xã Tập Ngãi", "đoàn tập ngãi"):
        assert set(client.get(url, {"q": query}).context["seminars"]) == {first, second}, query
    # Another kind's body is not this organiser.
    assert list(client.get(url, {"q": "doan phuong tap ngai"}).context["seminars"]) == []
    client.logout()
    login_verified(client, reform["staff"])
    assert list(client.get(url, {"q": "kiem thu doan xa"}).context["seminars"]) == [second]
    # Huyện đoàn Tiểu Cần's, as the province reads it; Đoàn xã Tập Ngãi's are not a district's.
    found = client.get(url, {"q": "Huyện đoàn Tiểu Cần QA"}).context["seminars"]
    assert list(found) == []
    found = client.get(url, {"q": "huyen doan tieu can"}).context["seminars"]
    assert list(found) == [world["tieu_can_seminar"]]


def test_a_seminar_belongs_only_to_a_programme_of_its_year(world, reform, tieu_can, client):
    """QA: a 2026 seminar of Xã Tập Ngãi (begun 2025) was linked to "… (2019–2022)". Refused beside the
    programme; a commune officer is not offered a programme that ended before its commune began."""
    from seminars.models import Programme

    old = Programme.objects.create(
        province=tieu_can.province,
        district=tieu_can,
        name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
        from_year=2019,
        to_year=2022,
    )
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=old)  # read by Tập Ngãi too
    current = Programme.objects.create(
        province=reform["province"], commune=reform["tap_ngai"], name="Thanh niên xã mới", from_year=2025
    )
    assert old in Programme.objects.visible_to(reform["officer"])
    login_verified(client, reform["officer"])
    offered = client.get(reverse("seminars:seminar_create")).context["form"].fields["programme"].queryset
    assert list(offered) == [current]
    with pytest.raises(ValidationError) as refused:
        tap_ngai_seminar(reform, programme=old)
    assert refused.value.code == "programme_outside_period"
    assert tap_ngai_seminar(reform, programme=current).programme == current
    client.logout()
    login_verified(client, reform["staff"])
    data = seminar_data(
        organiser=f"commune:{reform['tap_ngai'].pk}",
        held_on="15/11/2026",
        title="Tọa đàm QA",
        programme=old.pk,
    )
    page = client.post(reverse("seminars:seminar_create"), data)
    assert page.status_code == 200
    assert "(2019–2022) không thuộc" in " ".join(page.context["form"].errors["programme"])
    assert not Seminar.objects.filter(title="Tọa đàm QA").exists()


def test_the_models_form_offers_the_programmes_the_seminar_form_does(world, reform, tieu_can, client):
    """QA: the models form offered Xã Tập Ngãi "… (2019–2022)", Huyện đoàn Tiểu Cần's (Tỉnh Trà Vinh), read
    through a seminar its secretaries attended, and then refused it as another province's. Both forms offer
    the programmes of the unit's province running while it existed (forms.programmes_offered)."""
    from seminars.models import Programme

    old = Programme.objects.create(
        province=tieu_can.province,
        district=tieu_can,
        name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
        from_year=2019,
        to_year=2022,
    )
    running = Programme.objects.create(
        province=tieu_can.province, district=tieu_can, name="Thanh niên Tiểu Cần", from_year=2023
    )
    Seminar.objects.filter(pk=world["tieu_can_seminar"].pk).update(programme=old)  # read by Tập Ngãi too
    other = Seminar.objects.get(pk=world["tieu_can_seminar"].pk)
    other.pk, other.title, other.programme = None, "Tọa đàm khác", running
    other.save()
    other.participants.set(world["tieu_can_seminar"].participants.all())
    current = Programme.objects.create(
        province=reform["province"], commune=reform["tap_ngai"], name="Thanh niên xã mới", from_year=2025
    )
    assert {old, running} <= set(Programme.objects.visible_to(reform["officer"]))
    login_verified(client, reform["officer"])
    for url in (reverse("seminars:initiative_create"), reverse("seminars:seminar_create")):
        offered = client.get(url).context["form"].fields["programme"].queryset
        assert list(offered) == [current], url


def test_an_ended_organisers_proposals_name_the_union_body_that_follows_them_up(
    world, tieu_can, tieu_can_officer, client, django_assert_max_num_queries
):
    """QA: "Tỉnh đoàn theo dõi" did not say which. A district ended within a province that goes on: its own
    province follows its proposals up; once the province has ended too, the one it went into (the tests
    above: "Tỉnh đoàn Vĩnh Long (mới)"). Read for the whole page at once (selectors.attach_followers)."""
    District.objects.filter(pk=tieu_can.pk).update(ended_on=LAST_OLD_DAY)
    proposals = list(selectors.followed_proposals(user=tieu_can_officer).open())
    assert proposals
    with django_assert_max_num_queries(2):
        selectors.attach_followers(proposals, user=tieu_can_officer)
    assert {p.follower for p in proposals} == {"Tỉnh đoàn Trà Vinh"}
    login_verified(client, tieu_can_officer)
    html = " ".join(client.get(reverse("seminars:followup")).content.decode().split())
    assert "Tỉnh đoàn Trà Vinh theo dõi (đơn vị tổ chức đã chấm dứt)" in html


def test_the_list_sorts_by_organiser_across_both_worlds(world, reform, client):
    """Sorting by organiser went by the district's name: today's communes, which have none, were not
    sorted at all (in the order they were held) and came after every district's."""
    neighbour = reform["neighbour"]
    tap_ngai = tap_ngai_seminar(reform, held_on=datetime.date(2026, 3, 1))
    can_long = services.seminar_save(
        seminar=Seminar(
            province=neighbour.province, commune=neighbour, title="Tọa đàm ở Càng Long", held_on=D(2026, 5, 1)
        ),
        participants=[],
        themes=[{"title": "Thanh niên khởi nghiệp"}],
        proposals=[],
    )
    login_verified(client, reform["staff"])
    url = reverse("seminars:seminar_list")

    def order(sort):
        return [s for s in client.get(url, {"o": sort}).context["seminars"] if s in (tap_ngai, can_long)]

    # Xã Càng Long before Xã Tập Ngãi, though held after it; and after Huyện đoàn Tiểu Cần's (its records).
    assert order("organiser") == [can_long, tap_ngai]
    assert order("-organiser") == [tap_ngai, can_long]
    listed = list(client.get(url, {"o": "organiser"}).context["seminars"])
    assert listed.index(world["tieu_can_seminar"]) < listed.index(can_long)


def test_the_report_can_list_only_the_units_that_did_something(world, reform, client):
    """QA: Vĩnh Long's 2026 report printed 5 A4 pages, mostly rows of zeros. Asked, it lists the units with
    seminars or participants only (the page and its export), its totals still the whole province's."""
    tap_ngai_seminar(reform, participants=[reform["sa_ly"]])
    login_verified(client, reform["staff"])
    url = reverse("seminars:report")
    every = client.get(url, {"year": 2026})
    only = client.get(url, {"year": 2026, "active": "on"})
    assert {r.unit.name for r in every.context["report"].rows if r.unit} >= {"Xã Tập Ngãi", "Xã Càng Long"}
    assert [r.unit.name if r.unit else None for r in only.context["report"].rows] == ["Xã Tập Ngãi"]
    assert only.context["report"].total == every.context["report"].total
    page = only.content.decode()
    assert "data-only-active" in page and "active=on" in page.split("report/export.xlsx")[1][:80]
    assert 'data-unit="total"' in page  # however few the rows listed
    export = read_export(client.get(reverse("seminars:report_export"), {"year": 2026, "active": "on"}))
    assert [row[1] for row in export.rows if row[1] not in ("Tổng", "Cấp tỉnh")] == ["Xã Tập Ngãi"]


def test_the_commune_officers_overdue_tile_opens_the_set_it_counts(world, reform, client):
    """QA: Đoàn xã Tập Ngãi's first screen counted its own seminars' overdue proposals and linked to the whole
    follow-up page, which also lists, read only, the ended district's one its secretaries took part in (the
    province follows it up): 1 on the tile, 2 on the page. The tile opens the page on what it counts."""
    services.seminar_save(
        seminar=Seminar(
            province=reform["province"], commune=reform["tap_ngai"], title="Quá hạn", held_on=D(2025, 8, 1)
        ),
        participants=[],
        themes=[{"title": "Tổ hợp tác thanh niên"}],
        proposals=[{"text": "Thành lập tổ hợp tác", "due_on": D(2025, 9, 30), "status": "de_xuat"}],
    )
    login_verified(client, reform["officer"])
    html = client.get(reverse("home")).content.decode()
    tile = html[: html.index('data-stat="overdue-proposals"')]
    link = tile[tile.rindex("href=") :].split('"')[1].replace("&amp;", "&")
    assert link == reverse("seminars:followup") + "?status=qua_han&followed=don_vi_minh"
    counted = html[html.index('data-stat="overdue-proposals">') :].split(">")[1].split("<")[0]
    page = client.get(link)
    assert [p.text for p in page.context["proposals"]] == ["Thành lập tổ hợp tác"] and counted == "1"
    assert "1 đề xuất quá hạn" in page.content.decode()
    # Unfiltered, the page also lists the old district's overdue proposal, followed up by the province.
    everything = client.get(reverse("seminars:followup"), {"status": "qua_han"}).context["proposals"]
    assert sorted(p.text for p in everything) == ["Thành lập tổ hợp tác", "Tập huấn kỹ năng điều hành"]


def test_the_reports_counts_open_the_seminars_of_an_ended_district_and_of_a_commune(world, reform, client):
    """Both worlds: today's province links a commune's count to its seminars and, for the past, an ended
    district's to those it held (Huyện đoàn Tiểu Cần's 2021 seminar, read by the province it went into)."""
    tap_ngai_seminar(reform)
    login_verified(client, reform["staff"])
    seminars = reverse("seminars:seminar_list")
    for year, unit, key, title in (
        (2026, reform["tap_ngai"], "commune", "Thanh niên lập nghiệp ở xã mới"),
        (2021, world["tieu_can_seminar"].district, "district", "Nâng cao chất lượng Bí thư Chi đoàn"),
    ):
        html = client.get(reverse("seminars:report"), {"year": year}).content.decode()
        row = html.split(f'<tr data-unit="{unit.pk}">')[1].split("</tr>")[0]
        link = f"{seminars}?{key}={unit.pk}&amp;year={year}"
        assert f'<a href="{link}">1</a>' in row, row
        assert [s.title for s in client.get(link.replace("&amp;", "&")).context["seminars"]] == [title]
