"""Roles and scope across the 2025 reform: the commune officer, today's provincial staff, and the users of
ended units, after Trà Vinh's branches were re-attached to the new communes of Vĩnh Long.

The matrix world (tests/conftest.py) is the old world; `reform` ends it on 30/06/2025, adds a new province
with Xã Tập Ngãi (which absorbed Xã Hiếu Tử, the Tiểu Cần branch's commune) and its neighbour Xã Càng Long
(which absorbed Xã An Trường), and re-attaches the branches.
"""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import User
from assessments.models import Assessment
from awards.models import Nomination
from branches.divisions import REFORM_DAY
from branches.models import (
    Branch,
    BranchAttachment,
    Commune,
    CommuneSuccession,
    District,
    Province,
    ProvinceSuccession,
)
from branches.selectors import level_below
from branches.services import branches_reattach
from secretaries.models import Correction, Person, Term
from tests.factories import BranchFactory, CommuneFactory, ProvinceFactory, UserFactory, person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

LAST_OLD_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def reform(world, tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
    for unit in (tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
        unit.ended_on = LAST_OLD_DAY
        unit.save()
    province = ProvinceFactory(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=REFORM_DAY)
    tap_ngai = CommuneFactory(code="29351", name="Xã Tập Ngãi", province=province, district=None)
    neighbour = CommuneFactory(code="29276", name="Xã Càng Long", province=province, district=None)
    for unit in (tap_ngai, neighbour):
        unit.began_on = REFORM_DAY
        unit.save()
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=province, on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=hieu_tu, successor=tap_ngai, on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=an_truong, successor=neighbour, on=REFORM_DAY)
    return {"province": province, "tap_ngai": tap_ngai, "neighbour": neighbour}


def commune_officer(commune, username):
    return UserFactory(username=username, role=User.Role.COMMUNE_OFFICER, commune=commune)


def new_staff(province):
    return UserFactory(username="tinhdoan.vinhlong.moi", role=User.Role.PROVINCIAL_STAFF, province=province)


def test_reattach_moves_whole_communes_keeps_history_and_is_idempotent(world, reform, hieu_tu):
    result = branches_reattach(on=REFORM_DAY)
    assert (result.moved, result.split, result.clashing) == (2, 0, 0)
    branch = Branch.objects.get(pk=world["tieu_can"].pk)
    assert branch.commune == reform["tap_ngai"]
    attachment = BranchAttachment.objects.get(branch=branch)
    assert (attachment.commune, attachment.ended_on) == (hieu_tu, LAST_OLD_DAY)
    assert [h.commune_id for h in branch.history.order_by("history_date")][-2:] == [
        hieu_tu.pk,
        reform["tap_ngai"].pk,
    ]
    # Its history says why, in the portal's language (a reason is stored as written).
    assert branch.history.latest().history_change_reason == "chuyển sang xã mới từ ngày 01/07/2025"
    # The records keep the units of their time.
    assert Assessment.objects.get(pk=world["tieu_can_assessment"].pk).commune_id == hieu_tu.pk
    assert branches_reattach(on=REFORM_DAY).moved == 0


def test_split_and_clashing_branches_stay_for_the_work_list(world, reform, hieu_tu, an_truong):
    CommuneSuccession.objects.filter(predecessor=an_truong).update(partly=True)
    CommuneSuccession.objects.create(
        predecessor=an_truong, successor=reform["tap_ngai"], on=REFORM_DAY, partly=True
    )
    Branch.objects.create(commune=reform["tap_ngai"], name=world["tieu_can"].name)
    result = branches_reattach(on=REFORM_DAY)
    assert (result.moved, result.split, result.clashing) == (0, 1, 1)
    assert Branch.objects.get(pk=world["tieu_can"].pk).commune == hieu_tu


def test_commune_officer_reads_its_branches_and_their_earlier_records(world, reform):
    branches_reattach(on=REFORM_DAY)
    officer = commune_officer(reform["tap_ngai"], "doanxa.tapngai")
    assert list(Branch.objects.visible_to(officer)) == [world["tieu_can"]]
    assert list(Term.objects.visible_to(officer)) == [world["tieu_can_term"]]
    assert list(Person.objects.visible_to(officer)) == [world["tieu_can_person"]]
    # Entered in 2026 against Huyện Tiểu Cần / Xã Hiếu Tử: reached through the branch.
    assert list(Assessment.objects.visible_to(officer)) == [world["tieu_can_assessment"]]
    nominations = Nomination.objects.visible_to(officer)
    assert nominations.exists()
    assert set(nominations.values_list("branch", flat=True)) == {world["tieu_can"].pk}
    assert list(Commune.objects.visible_to(officer)) == [reform["tap_ngai"]]
    assert level_below(officer) == ("commune", Commune)


@pytest.mark.parametrize("reattached", [False, True], ids=["before", "after"])
def test_commune_officer_never_reaches_a_neighbouring_communes_branch(world, reform, client, reattached):
    if reattached:
        branches_reattach(on=REFORM_DAY)
    login_verified(client, commune_officer(reform["neighbour"], "doanxa.canglong"))
    for url in (
        reverse("branches:branch_detail", args=[world["tieu_can"].pk]),
        reverse("secretaries:person_detail", args=[world["tieu_can_person"].pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.get(reverse("branches:branch_list"))
    assert world["tieu_can"].name not in response.content.decode()
    assert client.get(reverse("branches:branch_detail", args=[world["cang_long"].pk])).status_code == (
        200 if reattached else 404
    )


def test_commune_officer_pages(world, reform, client):
    branches_reattach(on=REFORM_DAY)
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    page = client.get(reverse("branches:branch_detail", args=[world["tieu_can"].pk]))
    # Its change history names the commune it left.
    assert page.status_code == 200 and "Xã Hiếu Tử" in page.content.decode()
    assert (
        client.get(reverse("secretaries:person_detail", args=[world["tieu_can_person"].pk])).status_code
        == 200
    )
    assert world["tieu_can"].name in client.get(reverse("branches:branch_list")).content.decode()
    assert client.get(reverse("home")).status_code == 200


def test_new_provincial_staff_read_the_predecessor_provinces_records(world, reform, tra_vinh, vinh_long):
    staff = new_staff(reform["province"])
    # Before the branches move, everything is Trà Vinh's: read through the predecessor.
    assert world["tieu_can"] in Branch.objects.visible_to(staff)
    branches_reattach(on=REFORM_DAY)
    assert set(Branch.objects.visible_to(staff)) == {world["tieu_can"], world["cang_long"]}
    assert world["vinh_long"] not in Branch.objects.visible_to(staff)
    assert world["tieu_can_assessment"] in Assessment.objects.visible_to(staff)
    assert world["tieu_can_person"] in Person.objects.visible_to(staff)
    # Today's communes directly under the province, not the predecessor's ended ones.
    assert level_below(staff) == ("commune", Commune)
    from branches.selectors import home_units

    _level, units = home_units(user=staff)
    assert {u.pk for u in units} == {reform["tap_ngai"].pk, reform["neighbour"].pk}


def test_users_of_ended_units_keep_reading_their_former_branches(
    world, reform, tra_vinh_staff, tieu_can_officer, cang_long_officer
):
    branches_reattach(on=REFORM_DAY)
    for user in (tra_vinh_staff, tieu_can_officer):
        assert world["tieu_can"] in Branch.objects.visible_to(user)
        assert world["tieu_can_term"] in Term.objects.visible_to(user)
        assert world["tieu_can_assessment"] in Assessment.objects.visible_to(user)
    assert world["tieu_can"] not in Branch.objects.visible_to(cang_long_officer)
    assert world["cang_long"] in Branch.objects.visible_to(cang_long_officer)


def names_branches(sql: str, branches) -> bool:
    """Whether a query's text lists one of `branches` against a branch column (as IN (…) or, on PostgreSQL,
    as an array: ARRAY[…] or its text, '{…}'); a list of provinces whose ids happen to be the same numbers is
    not one."""
    column = r'(("[a-z_]+"|U[0-9]+)\."branch_id"|"branches_branch"\."id")'
    listed = r"(IN \(|= ANY\((ARRAY\(SELECT unnest\()?'?[\[{])([0-9, ]*,\s?)?"
    return any(re.search(rf"{column} {listed}{pk}\b", sql) for pk in branches)


def test_former_branches_under_the_unit_today_are_not_named_again(
    world, reform, tra_vinh_staff, tieu_can_officer
):
    """Today's province reads Trà Vinh's branches as its own (their communes are under it now): a term or a
    branch needs no list of them, nor does a record placed by its recorded province (a nomination, a
    seminar): Trà Vinh's records were recorded in Trà Vinh, which the province reads. The ended units'
    former branches are all elsewhere today: matched as a list of branches, same rows."""
    branches_reattach(on=REFORM_DAY)
    staff = new_staff(reform["province"])
    former = {world["tieu_can"].pk, world["cang_long"].pk}
    assert set(staff.former_branch_ids()) >= former
    assert staff.former_branch_ids(outside_only=True) == []
    for model in (Term, Branch, Nomination, Assessment):
        sql = str(model.objects.visible_to(staff).order_by("pk").query)
        assert not names_branches(sql, former), sql
    assert world["tieu_can_term"] in Term.objects.visible_to(staff)
    assert world["tieu_can"] in Branch.objects.visible_to(staff)
    assert world["tieu_can_assessment"] in Assessment.objects.visible_to(staff)
    assert {world["tieu_can_nomination"], world["cang_long_nomination"]} <= set(
        Nomination.objects.visible_to(staff)
    )
    for user in (tra_vinh_staff, tieu_can_officer):
        user = User.objects.get(pk=user.pk)  # no cached former branches
        assert world["tieu_can"].pk in user.former_branch_ids(outside_only=True)
        assert set(user.former_branch_ids(outside_only=True)) == set(user.former_branch_ids())
        terms = Term.objects.visible_to(user)
        # Both sides of the OR on the term's own branch column, the unit's side as a list of branches.
        assert 'INNER JOIN "branches_branch"' not in str(terms.query)
        assert world["tieu_can_term"] in terms
        # A branch too: its own id against two lists, no join of every branch's commune.
        branches = Branch.objects.visible_to(user)
        assert '"branches_commune"' not in str(branches.order_by("pk").query)
        assert names_branches(str(branches.query), [world["tieu_can"].pk])
        assert names_branches(str(terms.query), [world["tieu_can"].pk])
        # A person is placed through any of their terms: the unit's people and those of its former
        # branches as one set of ids (a UNION), not an OR with a subquery the planner cannot estimate.
        people = Person.objects.visible_to(user)
        assert " UNION " in str(people.query)
        assert world["tieu_can_person"] in people
        assert world["tieu_can"] in branches


def test_a_province_that_goes_on_reads_only_its_former_branches_now_elsewhere(world, reform):
    """Its scope names only the former branches outside it today, so only those are read: the thousands
    under it today are not sent on every page to be set aside. Asked for all of them, it reads them all."""
    branches_reattach(on=REFORM_DAY)
    # A province of its own: the factory's codes come round again (get_or_create by code), and one that
    # came round to the new province's put the branch under it.
    taken = set(Province.objects.values_list("code", flat=True))
    code = next(f"{n:02d}" for n in range(10, 100) if f"{n:02d}" not in taken)
    elsewhere = BranchFactory(
        commune=CommuneFactory(province=ProvinceFactory(code=code)), name="Ấp Đã Chuyển Đi"
    )
    BranchAttachment.objects.create(
        branch=elsewhere, commune=world["tieu_can"].commune, ended_on=LAST_OLD_DAY
    )
    staff = new_staff(reform["province"])
    assert staff.former_branch_ids(outside_only=True) == [elsewhere.pk]
    assert staff.branch_ids_today() == []
    assert "_former_branch_ids" not in staff.__dict__  # the ones under it today were not read
    assert set(staff.former_branch_ids()) == {world["tieu_can"].pk, world["cang_long"].pk, elsewhere.pk}
    # The ended units read all their lists at once, whatever they ask first.
    officer = User.objects.get(
        pk=UserFactory(role=User.Role.DISTRICT_OFFICER, district=world["tieu_can"].commune.district).pk
    )
    assert world["tieu_can"].pk in officer.former_branch_ids(outside_only=True)
    assert "_former_branch_ids" in officer.__dict__


def test_an_ended_unit_reads_the_branches_still_waiting_under_it(
    world, reform, tra_vinh_staff, tieu_can_officer, cang_long_officer
):
    """A branch not re-attached (its commune was split: it waits for the province to settle it) is still
    under the ended unit today: in the unit's list of its branches today, beside the former ones."""
    branches_reattach(on=REFORM_DAY)
    waiting = BranchFactory(commune=world["tieu_can"].commune, name="Ấp Chờ Xếp")
    assert waiting.commune.ended_on == LAST_OLD_DAY
    for user in (tra_vinh_staff, tieu_can_officer):
        user = User.objects.get(pk=user.pk)
        assert user.branch_ids_today() == [waiting.pk]
        assert {waiting, world["tieu_can"]} <= set(Branch.objects.visible_to(user))
    assert waiting not in Branch.objects.visible_to(cang_long_officer)


def test_a_waiting_branchs_page_marks_its_ended_commune_and_district(world, reform, client, tra_vinh_staff):
    """Its commune and district are those of before the reform, named with their end: not taken for
    today's units of the same name."""
    branches_reattach(on=REFORM_DAY)
    waiting = BranchFactory(commune=world["tieu_can"].commune, name="Ấp Chờ Xếp")
    login_verified(client, tra_vinh_staff)
    html = " ".join(client.get(waiting.get_absolute_url()).content.decode().split())
    facts = html[html.index("<dl") : html.index("</dl>")]
    until = "(đến ngày 30/06/2025)"
    assert f'Xã Hiếu Tử</a> <span class="small text-muted">{until}</span>' in facts
    assert f'Huyện Tiểu Cần</a> <span class="small text-muted">{until}</span>' in facts


def test_admin_shows_a_branchs_former_commune(world, reform, client, administrator):
    branches_reattach(on=REFORM_DAY)
    login_verified(client, administrator)
    page = client.get(reverse("admin:branches_branch_change", args=[world["tieu_can"].pk]))
    assert page.status_code == 200
    assert "Xã Hiếu Tử" in page.content.decode() and "30/06/2025" in page.content.decode()


def test_ended_units_do_not_read_what_their_former_branches_record_after_their_end(
    world, reform, tra_vinh_staff, tieu_can_officer
):
    """Huyện đoàn Tiểu Cần reads the terms of its time in its former branch, not the secretary Xã Tập Ngãi
    appoints there in 2026 (nor that person, who never served Tiểu Cần)."""
    branches_reattach(on=REFORM_DAY)
    branch = world["tieu_can"]
    Term.objects.filter(branch=branch, ended_on__isnull=True).update(ended_on=datetime.date(2026, 1, 31))
    newcomer = Person.objects.create(
        full_name="Thạch Thị Mới", date_of_birth=datetime.date(2000, 5, 5), province=reform["province"]
    )
    new_term = Term.objects.create(
        person=newcomer, branch=branch, role=Term.Role.SECRETARY, started_on=datetime.date(2026, 2, 1)
    )
    officer = commune_officer(reform["tap_ngai"], "doanxa.tapngai")
    assert new_term in Term.objects.visible_to(officer) and newcomer in Person.objects.visible_to(officer)
    for user in (tra_vinh_staff, tieu_can_officer):
        user = User.objects.get(pk=user.pk)  # no cached former branches
        assert world["tieu_can_term"] in Term.objects.visible_to(user)
        assert world["tieu_can_person"] in Person.objects.visible_to(user)
        assert new_term not in Term.objects.visible_to(user)
        assert newcomer not in Person.objects.visible_to(user)


def test_person_list_of_the_new_world_has_no_district_column(world, reform, client):
    """A secretary appointed since the reform has no district; the commune officer's list names none."""
    branches_reattach(on=REFORM_DAY)
    newcomer = Person.objects.create(
        full_name="Thạch Thị Mới", date_of_birth=datetime.date(2000, 5, 5), province=reform["province"]
    )
    Term.objects.create(
        person=newcomer,
        branch=world["cang_long"],
        role=Term.Role.DEPUTY,
        started_on=datetime.date(2026, 2, 1),
    )
    login_verified(client, new_staff(reform["province"]))
    page = client.get(reverse("secretaries:person_list")).content.decode()
    assert "Thạch Thị Mới" in page and "sort=district" not in page


def test_the_person_lists_unit_filters_follow_the_users_level(
    world, reform, client, tra_vinh_staff, tieu_can_officer
):
    """A filter above the user's own level offers nothing to choose: the district only where the list has
    a district column (not today's units, not a district officer), and neither for a commune officer."""
    cases = [
        (tra_vinh_staff, {"district", "commune"}),
        (tieu_can_officer, {"commune"}),
        (new_staff(reform["province"]), {"commune"}),
        (commune_officer(reform["tap_ngai"], "doanxa.tapngai.moi"), set()),
    ]
    for user, shown in cases:
        login_verified(client, user)
        form = client.get(reverse("secretaries:person_list")).context["filter"].form
        assert {"district", "commune"} & set(form.fields) == shown, user.username


def test_an_account_without_a_province_reads_no_province(world, reform, tra_vinh):
    """A secretary's account or one without a role has no province: none, not every province that went
    into no other (the lookup `successions__successor=None` would match those)."""
    from assessments.models import Framework

    Framework.objects.create(province=tra_vinh, year=2024, name="Bộ tiêu chí riêng của Trà Vinh")
    nobody = UserFactory(username="chua.phan.quyen", role="")
    assert nobody.scope_province_ids() == []
    assert not Framework.objects.visible_to(nobody).filter(province__isnull=False).exists()
    staff = new_staff(reform["province"])
    assert set(staff.scope_province_ids()) == {reform["province"].pk, tra_vinh.pk}


def test_a_commune_officers_branch_list_names_no_commune_unless_one_moved_away(world, reform, client):
    """Its branches are all under its one commune: no commune column nor filter (a phone's width for the
    names), until a former branch of its own is under another commune today."""
    branches_reattach(on=REFORM_DAY)
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    url = reverse("branches:branch_list")
    page = client.get(url)
    assert world["tieu_can"].name in page.content.decode()
    assert "commune" not in page.context["filter"].form.fields
    assert "=commune" not in page.content.decode() and not page.context["show_commune"]

    # Càng Long's branch belonged to Tập Ngãi for a while: Tập Ngãi reads it, under its commune today.
    BranchAttachment.objects.create(
        branch=world["cang_long"], commune=reform["tap_ngai"], ended_on=datetime.date(2026, 1, 31)
    )
    page = client.get(url)
    html = page.content.decode()
    assert world["cang_long"].name in html and reform["neighbour"].name in html
    assert "commune" in page.context["filter"].form.fields and page.context["show_commune"]


def _links_answer(client, html: str) -> dict[str, int]:
    """Every link of the page to the portal (its navigation, its records), with what it answers."""
    import re

    answers = {}
    for href in set(re.findall(r'href="(/[^"#]*)"', html)):
        href = href.replace("&amp;", "&")
        if not re.search(r"logout|/static/|/i18n/|/export|/portrait|/thumbnail|/photos?/", href):
            answers[href] = client.get(href).status_code
    return answers


def test_pages_link_only_what_their_reader_may_open(world, reform, client, tieu_can_officer):
    """A record read through one of the reader's branches names things the reader may not open: the units
    it was recorded under, a person's term in another commune. Those are named without a link (a link
    would answer 404), and a term of another unit offers no "End term"."""
    branches_reattach(on=REFORM_DAY)
    person = world["tieu_can_person"]
    elsewhere = Term.objects.create(
        person=person, branch=world["cang_long"], role=Term.Role.DEPUTY, started_on=datetime.date(2026, 2, 1)
    )
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    pages = {
        "person": reverse("secretaries:person_detail", args=[person.pk]),
        "people": reverse("secretaries:person_list"),
        "seminar": world["tieu_can_seminar"].get_absolute_url(),
    }
    html = {name: client.get(url).content.decode() for name, url in pages.items()}
    for name, page in html.items():
        assert 404 not in _links_answer(client, page).values(), name
    # Named all the same: the other commune's branch, the units of the person's and the seminar's time.
    assert world["cang_long"].name in html["person"] and world["cang_long"].name in html["people"]
    assert world["cang_long"].get_absolute_url() not in html["person"] + html["people"]
    assert world["tieu_can"].get_absolute_url() in html["person"]
    assert reverse("secretaries:term_end", args=[elsewhere.pk]) not in html["person"]
    assert reverse("secretaries:term_end", args=[world["tieu_can_term"].pk]) in html["person"]
    for unit in (person.province, person.district):
        assert unit.name in html["person"] and unit.get_absolute_url() not in html["person"]
    assert world["tieu_can_seminar"].district.name in html["seminar"]

    # Huyện đoàn Tiểu Cần reads its former branch, now under a commune of the new province.
    login_verified(client, tieu_can_officer)
    page = client.get(world["tieu_can"].get_absolute_url()).content.decode()
    assert 404 not in _links_answer(client, page).values()
    assert reform["province"].name in page and reform["province"].get_absolute_url() not in page


def test_a_branch_split_after_an_ended_units_end_names_its_new_branches_without_links(
    world, reform, client, tieu_can_officer, hieu_tu
):
    """Huyện đoàn Tiểu Cần reads its former branch, split by Tập Ngãi in 2026: the old commune's page says
    what it went into, named, not linked (the new branches are Tập Ngãi's: a link would answer 404)."""
    from branches.services import SplitPart, branch_split

    branches_reattach(on=REFORM_DAY)
    tap_ngai_officer = commune_officer(reform["tap_ngai"], "doanxa.tapngai")
    parts = [SplitPart(name=f"Ấp Cây Gòn {part}", kind="ap", member_count=16) for part in "AB"]
    new = branch_split(
        branch=world["tieu_can"], parts=parts, on=datetime.date(2026, 3, 31), user=tap_ngai_officer
    )
    login_verified(client, tieu_can_officer)
    page = client.get(hieu_tu.get_absolute_url()).content.decode()
    for branch in new:
        assert branch.name in page and branch.get_absolute_url() not in page
    assert 404 not in _links_answer(client, page).values()
    # Tập Ngãi, whose they are, follows the links.
    login_verified(client, tap_ngai_officer)
    page = client.get(reform["tap_ngai"].get_absolute_url()).content.decode()
    assert all(branch.get_absolute_url() in page for branch in new)


def test_a_person_now_serving_elsewhere_is_read_not_changed(world, reform, client):
    """Tập Ngãi reads the people who served its branches, but one who now serves only in another commune
    is that commune's to change, assess and invite: the page says so and offers none of it (403 by URL)."""
    branches_reattach(on=REFORM_DAY)
    person = world["tieu_can_person"]
    Term.objects.filter(pk=world["tieu_can_term"].pk).update(ended_on=datetime.date(2026, 1, 31))
    Term.objects.create(
        person=person, branch=world["cang_long"], role=Term.Role.DEPUTY, started_on=datetime.date(2026, 2, 1)
    )
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    page = client.get(person.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and not page.context["manages"]
    assert "data-read-only" in html and reform["neighbour"].name in html
    writes = [
        reverse("secretaries:person_update", args=[person.pk]),
        reverse("secretaries:person_invite", args=[person.pk]),
        reverse("secretaries:person_portrait_remove", args=[person.pk]),
        reverse("assessments:assessment_create") + f"?person={person.pk}",
    ]
    for url in writes:
        assert url.replace("&", "&amp;") not in html, url
        assert client.get(url).status_code == 403, url
    before = Person.objects.get(pk=person.pk).phone
    assert client.post(writes[0], {"full_name": "Đổi Tên", "phone": "0900000000"}).status_code == 403
    assert Person.objects.get(pk=person.pk).phone == before
    assert client.post(reverse("secretaries:person_account_active", args=[person.pk])).status_code == 403

    # Nor does it decide the corrections the person proposes to their record.
    correction = Correction.objects.create(
        person=person,
        changes={"phone": "0987 654 321"},
        previous={"phone": person.phone},
        proposed_by=UserFactory(username="bithu.teo", role=User.Role.SECRETARY, person=person),
    )
    review = reverse("secretaries:correction_review", args=[correction.pk])
    assert client.get(review).status_code == 404
    assert client.post(review, {"action": "accept"}).status_code == 404
    assert review not in client.get(reverse("secretaries:correction_list")).content.decode()

    # The commune where the person serves now keeps the record.
    login_verified(client, commune_officer(reform["neighbour"], "doanxa.canglong"))
    assert client.get(person.get_absolute_url()).context["manages"]
    assert client.get(writes[0]).status_code == 200
    assert client.get(review).status_code == 200
    assert review in client.get(reverse("secretaries:correction_list")).content.decode()


def test_whose_record_a_commune_keeps_is_said_alike_with_the_terms_in_hand_and_by_the_database(world, reform):
    """manages_person with the person's terms (the person page, no query) and PersonQuerySet.kept_by (the
    corrections, the writes by URL) say the same for each way a person's terms can lie."""
    from secretaries.selectors import manages_person, person_terms

    branches_reattach(on=REFORM_DAY)
    here, there = world["tieu_can"], world["cang_long"]  # under Tập Ngãi and its neighbour today
    officer = commune_officer(reform["tap_ngai"], "doanxa.tapngai")
    day = datetime.date

    def person(name, *terms):
        someone = Person.objects.create(
            full_name=name, date_of_birth=day(2000, 1, 1), province=reform["province"]
        )
        for branch, started, ended, *role in terms:
            Term.objects.create(
                person=someone,
                branch=branch,
                role=role[0] if role else Term.Role.DEPUTY,
                started_on=started,
                ended_on=ended,
            )
        return someone

    # A branch of Tập Ngãi without a secretary: the last person leads it while a deputy elsewhere.
    new_here = BranchFactory(commune=reform["tap_ngai"], name="Ấp Mới")

    expected = {
        person("Đang ở đây", (here, day(2024, 1, 1), None)): True,
        person(
            "Đã chuyển đi", (here, day(2022, 1, 1), day(2023, 1, 1)), (there, day(2023, 2, 1), None)
        ): False,
        person(
            "Nghỉ, lần cuối ở đây",
            (there, day(2020, 1, 1), day(2021, 1, 1)),
            (here, day(2021, 2, 1), day(2022, 1, 1)),
        ): True,
        person(
            "Nghỉ, lần cuối nơi khác",
            (here, day(2020, 1, 1), day(2021, 1, 1)),
            (there, day(2021, 2, 1), day(2022, 1, 1)),
        ): False,
        person(
            "Cả hai nơi",
            (there, day(2024, 1, 1), None),
            (new_here, day(2023, 1, 1), None, Term.Role.SECRETARY),
        ): True,
    }
    kept = set(Person.objects.kept_by(officer).values_list("pk", flat=True))
    for someone, keeps in expected.items():
        with_terms = manages_person(officer, someone, terms=list(person_terms(someone)))
        assert (with_terms, someone.pk in kept) == (keeps, keeps), someone.full_name


def test_an_ended_unit_reads_and_changes_nothing_of_today(world, reform, client, tieu_can_officer):
    """Huyện đoàn Tiểu Cần (ended 30/06/2025) reads its former branch and secretary, now Tập Ngãi's: no
    button to change them, 403 by URL; the person page says who keeps the record now."""
    branches_reattach(on=REFORM_DAY)
    branch, person = world["tieu_can"], world["tieu_can_person"]
    login_verified(client, tieu_can_officer)
    page = client.get(branch.get_absolute_url()).content.decode()
    changes = [
        reverse("branches:branch_update", args=[branch.pk]),
        reverse("branches:branch_deactivate", args=[branch.pk]),
        reverse("secretaries:branch_merge", args=[branch.pk]),
        reverse("secretaries:branch_split", args=[branch.pk]),
        reverse("branches:branch_create"),
        reverse("secretaries:person_update", args=[person.pk]),
    ]
    for url in changes:
        assert url not in page, url
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("branches:branch_reactivate", args=[branch.pk])).status_code == 403
    assert client.post(changes[0], {"name": "Đổi tên", "kind": "ap", "member_count": 1}).status_code == 403
    assert Branch.objects.get(pk=branch.pk).name == branch.name
    person_page = client.get(person.get_absolute_url())
    assert not person_page.context["manages"] and reform["tap_ngai"].name in person_page.content.decode()
    assert changes[-1] not in person_page.content.decode()
    # The refusal says why, and who keeps it now, rather than blame the account's role: for the branch and
    # for every change to the person's record.
    person_changes = [
        changes[-1],
        reverse("secretaries:person_invite", args=[person.pk]),
        reverse("secretaries:person_portrait_remove", args=[person.pk]),
    ]
    for url in [changes[0], *person_changes]:
        refused = client.get(url).content.decode()
        assert "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025" in refused, url
        assert "Đoàn xã, phường và Tỉnh đoàn hiện nay" in refused, url
        assert "Vai trò của tài khoản" not in refused, url

    people = client.get(reverse("secretaries:person_list")).content.decode()
    assert reverse("secretaries:person_create") not in people  # no "Add secretary" leading to a 403
    assert client.get(reverse("secretaries:person_create")).status_code == 403
    # Tập Ngãi, which has them today, changes them.
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    for url in changes:
        assert client.get(url).status_code == 200, url


def test_an_ended_province_is_told_who_keeps_today_s_records(world, reform, client, tra_vinh_staff):
    """Tỉnh đoàn Trà Vinh (ended 30/06/2025) adding a branch, a secretary or a campaign: 403, naming the
    Tỉnh đoàn it went into."""
    login_verified(client, tra_vinh_staff)
    for url in (
        reverse("branches:branch_create"),
        reverse("secretaries:person_create"),
        reverse("awards:campaign_create"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "Tỉnh Trà Vinh đã chấm dứt ngày 30/06/2025" in page, url
        assert "do Tỉnh đoàn Vĩnh Long (mới) quản lý" in page, url


def test_the_reasons_written_in_english_before_are_put_in_vietnamese(world, reform):
    """branches/migrations/0009: the re-attachments recorded before the reason was translated."""
    import importlib

    from django.apps import apps

    branches_reattach(on=REFORM_DAY)
    history = Branch.history.filter(id=world["tieu_can"].pk)
    history.update(history_change_reason="re-attached on 01/07/2025")  # as it was written then
    other = Branch.history.filter(id=world["cang_long"].pk).earliest()
    Branch.history.filter(history_id=other.history_id).update(history_change_reason="re-attached on purpose")
    importlib.import_module("branches.migrations.0009_reattach_reason_in_vietnamese").reasons_in_vietnamese(
        apps, None
    )
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "chuyển sang xã mới từ ngày 01/07/2025"
    }
    assert Branch.history.get(history_id=other.history_id).history_change_reason == "re-attached on purpose"


@pytest.mark.parametrize("reformed", [False, True], ids=["before", "after"])
def test_the_units_a_user_may_open_are_said_alike_in_hand_and_by_the_database(
    world, reform, reformed, tra_vinh_staff, tieu_can_officer, cang_long_officer, vinh_long_staff
):
    """UnitQuerySet.visible_in_hand (the breadcrumbs' links, no query) gives visible_to's answers for every
    unit and every persona of both worlds."""
    if reformed:
        branches_reattach(on=REFORM_DAY)
    users = [
        tra_vinh_staff,
        tieu_can_officer,
        cang_long_officer,
        vinh_long_staff,
        new_staff(reform["province"]),
        commune_officer(reform["tap_ngai"], "doanxa.tapngai"),
        commune_officer(reform["neighbour"], "doanxa.canglong"),
    ]
    for model in (Province, District, Commune):
        rows = list(model.objects.all())
        for user in users:
            in_hand = model.objects.visible_in_hand(user, rows)
            by_database = set(model.objects.visible_to(user).values_list("pk", flat=True))
            assert in_hand == {row.pk: row.pk in by_database for row in rows}, (model.__name__, user.username)
            if not (model is District and user.is_commune_officer):  # today's communes have no district
                assert any(in_hand.values()), (model.__name__, user.username)


def listed(client, path: str, **params) -> set[str]:
    """The branch names a list of branches (or its export) shows."""
    from django.utils.html import escape

    from tests.excel import table_rows

    response = client.get(path, params)
    assert response.status_code == 200, path
    if path.endswith(".xlsx"):
        text = " ".join(str(cell) for row in table_rows(response) for cell in row)
    else:
        text = response.content.decode()
    names = ("Ấp Chờ Xếp", "Ấp Ông Rùm", "Ấp An Lập")
    return {name for name in names if escape(name) in text or name in text}


def test_a_list_narrowed_to_an_ended_unit_finds_the_branches_it_had(
    world, reform, client, tra_vinh_staff, tieu_can_officer, administrator, hieu_tu, tieu_can, tra_vinh
):
    """Narrowed to Huyện Tiểu Cần, Xã Hiếu Tử or Tỉnh Trà Vinh, a list finds the branches the unit had on
    its last day, those re-attached to a new commune since as well as those still waiting under it (their
    filter read each branch's commune today: it found only the waiting ones, and a commune re-attached
    whole, none)."""
    branches_reattach(on=REFORM_DAY)
    Branch.objects.filter(pk=world["tieu_can"].pk).update(name="Ấp Ông Rùm")
    BranchFactory(commune=hieu_tu, name="Ấp Chờ Xếp")
    BranchFactory(commune=reform["neighbour"], name="Ấp An Lập")  # never Hiếu Tử's
    both = {"Ấp Ông Rùm", "Ấp Chờ Xếp"}
    for user, filters in (
        (tra_vinh_staff, [{"district": tieu_can.pk}, {"commune": hieu_tu.pk}]),
        (tieu_can_officer, [{"commune": hieu_tu.pk}]),
        (administrator, [{"district": tieu_can.pk}, {"commune": hieu_tu.pk}]),
    ):
        login_verified(client, user)
        for params in filters:
            assert listed(client, reverse("branches:branch_list"), **params) == both, (user, params)
            assert listed(client, reverse("branches:branch_export"), **params) == both, (user, params)
    # The administrator narrows the country to the ended province alike.
    assert both <= listed(client, reverse("branches:branch_list"), province=tra_vinh.pk)
    assert "Ấp An Lập" not in listed(client, reverse("branches:branch_list"), province=tra_vinh.pk)
    # A person serving in a branch the ended commune had is found by it.
    login_verified(client, tra_vinh_staff)
    people = client.get(reverse("secretaries:person_list"), {"commune": hieu_tu.pk}).content.decode()
    assert world["tieu_can_person"].full_name in people


def test_an_ended_units_lists_are_narrowed_to_the_communes_its_branches_are_under_today(
    world, reform, client, tra_vinh_staff, tieu_can_officer, cang_long_officer
):
    """Its first screen names today's communes (the units its branches are under now) and links each to
    its lists narrowed to it: the filter takes them, and the commune search of the lists offers them. A
    commune none of its branches is under is refused, with the reason beside the field."""
    branches_reattach(on=REFORM_DAY)
    tap_ngai = reform["tap_ngai"]
    for user in (tra_vinh_staff, tieu_can_officer):
        login_verified(client, user)
        html = client.get(reverse("branches:branch_list"), {"commune": tap_ngai.pk}).content.decode()
        assert world["tieu_can"].name in html and "is-invalid" not in html, user
        found = client.get(reverse("branches:commune_autocomplete"), {"q": "tap ngai", "of_branches": "1"})
        assert [r["value"] for r in found.json()["results"]] == [tap_ngai.pk]
        # The autocomplete of records' filters (assessments, seminars: by the unit they were recorded in)
        # offers today's commune to no one who has no records there.
        found = client.get(reverse("branches:commune_autocomplete"), {"q": "tap ngai"})
        assert found.json()["results"] == []
    login_verified(client, cang_long_officer)
    html = client.get(reverse("branches:branch_list"), {"commune": tap_ngai.pk}).content.decode()
    assert world["tieu_can"].name not in html
    assert "is-invalid" in html


def test_an_ended_units_table_counts_each_of_its_units_with_the_branches_it_had(
    world, reform, tra_vinh_staff, tieu_can_officer, hieu_tu, tieu_can, cang_long
):
    """Huyện đoàn Tiểu Cần's first screen lists its communes, Trà Vinh's its districts: each with the
    active branches it had on its last day, those re-attached to today's communes since and those still
    waiting under it, so that the table adds up to the figures above it (it counted the re-attached ones
    nowhere: a commune re-attached whole showed 0)."""
    from branches.selectors import home_units

    branches_reattach(on=REFORM_DAY)
    BranchFactory(commune=hieu_tu, name="Ấp Chờ Xếp", member_count=7)
    re_attached = Branch.objects.get(pk=world["tieu_can"].pk)
    assert re_attached.commune == reform["tap_ngai"]
    expected = {"branch_count": 2, "member_count": 7 + re_attached.member_count}
    for user, unit in ((tieu_can_officer, hieu_tu), (tra_vinh_staff, tieu_can)):
        user = User.objects.get(pk=user.pk)
        _level, units = home_units(user=user)
        counted = {u.pk: {"branch_count": u.branch_count, "member_count": u.member_count} for u in units}
        assert counted[unit.pk] == expected, user
    # Trà Vinh's Càng Long: its branch went into today's Xã Càng Long, and is counted under Càng Long.
    user = User.objects.get(pk=tra_vinh_staff.pk)
    _level, units = home_units(user=user)
    assert {u.pk: u.branch_count for u in units}[cang_long.pk] == 1


def test_an_ended_units_table_counts_the_branches_active_on_its_last_day_that_ended_since(
    world, reform, client, tra_vinh_staff, tieu_can_officer, hieu_tu, tieu_can, tra_vinh
):
    """A branch active on 30/06/2025 that ended later (the 2026 hamlet re-arrangement), re-attached first
    or still under the old commune, is counted in the ended unit's table as on its last day, on its first
    screen, the district's and the province's pages and the provinces' list alike (they counted only the
    branches active today: Xã Tập Ngãi 3 where the commune's page listed 5). A branch founded after that
    day, or ended before it, is not."""
    from branches.selectors import home_units

    branches_reattach(on=REFORM_DAY)
    later = datetime.date(2026, 3, 31)
    re_attached = Branch.objects.get(pk=world["tieu_can"].pk)
    re_attached.is_active, re_attached.ended_on = False, later
    re_attached.save()
    BranchFactory(commune=hieu_tu, name="Ấp Xẻo Me", member_count=7, is_active=False, ended_on=later)
    BranchFactory(commune=hieu_tu, name="Ấp Mới", member_count=100, founded_on=datetime.date(2025, 9, 1))
    BranchFactory(
        commune=hieu_tu,
        name="Ấp Cũ",
        member_count=1000,
        is_active=False,
        ended_on=datetime.date(2025, 6, 29),
        founded_on=datetime.date(2020, 1, 1),
    )
    expected = (2, 7 + re_attached.member_count)
    for user, unit in ((tieu_can_officer, hieu_tu), (tra_vinh_staff, tieu_can)):
        user = User.objects.get(pk=user.pk)
        _level, units = home_units(user=user)
        assert {u.pk: (u.branch_count, u.member_count) for u in units}[unit.pk] == expected, user
    login_verified(client, tieu_can_officer)
    communes = client.get(tieu_can.get_absolute_url()).context["communes"]
    assert {c.pk: (c.branch_count, c.member_count) for c in communes}[hieu_tu.pk] == expected
    login_verified(client, tra_vinh_staff)
    districts = client.get(tra_vinh.get_absolute_url()).context["districts"]
    assert {d.pk: (d.branch_count, d.member_count) for d in districts}[tieu_can.pk] == expected
    provinces = client.get(reverse("branches:province_list")).context["provinces"]
    assert {p.pk: p.branch_count for p in provinces}[tra_vinh.pk] >= expected[0]


def test_a_branchs_page_names_its_former_commune_with_its_last_day(
    world, reform, client, tieu_can_officer, hieu_tu
):
    """Re-attached to Xã Tập Ngãi, the branch says where it was until 30/06/2025: the old district's officer
    sees Huyện Tiểu Cần there (linked, his own), not only today's commune he cannot open."""
    branches_reattach(on=REFORM_DAY)
    login_verified(client, tieu_can_officer)
    html = " ".join(client.get(world["tieu_can"].get_absolute_url()).content.decode().split())
    facts = html[html.index("<dl") : html.index("</dl>")]
    former = facts[facts.index("Xã trước đây") :]
    former = former[: former.index("</dd>")]
    assert f'<a href="{hieu_tu.get_absolute_url()}">Xã Hiếu Tử</a>' in former
    assert '<span class="small text-muted">(đến ngày 30/06/2025)</span>' in former
    assert "Huyện Tiểu Cần</a>" in former and "Tỉnh Trà Vinh</a>" in former
    assert "Xã Tập Ngãi" in facts[: facts.index("Xã trước đây")]


def test_a_persons_terms_name_the_communes_of_their_time(world, reform, client, tieu_can_officer, hieu_tu):
    """A term served before 01/07/2025 in a branch re-attached since names the commune and district that held
    the branch then (Xã Hiếu Tử, Huyện Tiểu Cần), not today's Xã Tập Ngãi; a term across the day names
    both. History is not rewritten by a merger. The page's queries do not grow with the terms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import person_with_term

    person = world["tieu_can_person"]
    branches = [BranchFactory(commune=hieu_tu, name=f"Ấp Trà Kháo {i}") for i in range(3)]
    Term.objects.create(
        person=person,
        branch=branches[0],
        role="pho_bi_thu",
        started_on=datetime.date(2019, 1, 1),
        ended_on=datetime.date(2020, 12, 31),
    )
    across = person_with_term(branch=branches[1], started_on=datetime.date(2024, 1, 1))
    Term.objects.filter(person=across).update(ended_on=datetime.date(2025, 12, 31))
    branches_reattach(on=REFORM_DAY)
    login_verified(client, tieu_can_officer)

    def terms(who):
        html = client.get(who.get_absolute_url()).content.decode()
        return [" ".join(m.split()) for m in re.findall(r'data-term="communes">(.*?)</div>', html, re.S)]

    assert terms(person) == ["Xã Hiếu Tử, Huyện Tiểu Cần → Xã Tập Ngãi", "Xã Hiếu Tử, Huyện Tiểu Cần"]
    assert terms(across) == ["Xã Hiếu Tử, Huyện Tiểu Cần → Xã Tập Ngãi"]
    # The person's own data export names them alike.
    from django.utils.translation import gettext

    from secretaries.sections import subject_sheets

    sheet = next(sheet for sheet in subject_sheets(person) if str(sheet.title) == gettext("Terms"))
    assert [row[2] for row in sheet.rows] == ["Xã Hiếu Tử → Xã Tập Ngãi", "Xã Hiếu Tử"]
    with CaptureQueriesContext(connection) as few:
        client.get(person.get_absolute_url())
    Term.objects.create(
        person=person,
        branch=branches[2],
        role="pho_bi_thu",
        started_on=datetime.date(2021, 1, 1),
        ended_on=datetime.date(2021, 12, 31),
    )
    with CaptureQueriesContext(connection) as more:
        client.get(person.get_absolute_url())
    assert len(more) == len(few)


@pytest.mark.parametrize("many", [False, True])
def test_a_search_by_a_former_communes_name_finds_the_branches_re_attached_from_it(
    world, reform, client, tieu_can_officer, cang_long_officer, monkeypatch, many
):
    """ "hieu tu" lists the branches of Xã Hiếu Tử now under Xã Tập Ngãi, in the reader's scope only; past
    the short list of ids, the database matches them itself."""
    import branches.models

    if many:
        monkeypatch.setattr(branches.models, "SEARCH_FORMER_BRANCHES", 0)
    branches_reattach(on=REFORM_DAY)
    assert Branch.objects.get(pk=world["tieu_can"].pk).commune == reform["tap_ngai"]
    login_verified(client, tieu_can_officer)

    def found(query):
        return [b.name for b in client.get(reverse("branches:branch_list"), {"q": query}).context["branches"]]

    assert found("hieu tu") == [world["tieu_can"].name]
    assert found("tap ngai") == [world["tieu_can"].name]
    login_verified(client, cang_long_officer)
    assert found("hieu tu") == []


def test_a_branchs_history_gives_the_reasons_of_the_services_in_the_readers_language(
    world, reform, client, administrator
):
    """ "chuyển sang xã mới từ ngày 01/07/2025" is stored as the writer wrote it (Vietnamese, or English from
    an officer using the switch): the English page reads "re-attached to its new commune on 01/07/2025",
    the Vietnamese page the Vietnamese, Django admin's history too; a reason of other words stays as is."""
    branches_reattach(on=REFORM_DAY)
    branch = world["tieu_can"]
    history = Branch.history.filter(id=branch.pk)
    assert history.latest().history_change_reason == "chuyển sang xã mới từ ngày 01/07/2025"
    other = world["cang_long"]
    Branch.history.filter(history_id=Branch.history.filter(id=other.pk).latest().history_id).update(
        history_change_reason="merged on 15/03/2026"  # as an officer reading English wrote it
    )
    Branch.history.filter(history_id=history.earliest().history_id).update(
        history_change_reason="Nhập từ tệp"
    )
    login_verified(client, administrator)

    def page(url):
        return " ".join(client.get(url).content.decode().split())

    assert "· chuyển sang xã mới từ ngày 01/07/2025" in page(branch.get_absolute_url())
    assert "· hợp nhất ngày 15/03/2026" in page(other.get_absolute_url())
    admin = page(reverse("admin:branches_branch_history", args=[other.pk]))
    assert "hợp nhất ngày 15/03/2026" in admin and "merged on" not in admin
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page(branch.get_absolute_url())
    assert "· re-attached to its new commune on 01/07/2025" in english and "chuyển sang" not in english
    assert "· Nhập từ tệp" in english
    assert "· merged on 15/03/2026" in page(other.get_absolute_url())


def test_an_ended_units_first_screen_names_what_it_went_into(world, reform, client, tra_vinh_staff):
    """Tỉnh đoàn Trà Vinh's banner names Tỉnh Vĩnh Long, as its province page does (not a link: the old
    province's staff do not open today's province)."""
    login_verified(client, tra_vinh_staff)
    html = " ".join(client.get(reverse("home")).content.decode().split())
    banner = html[html.index('data-home="unit-ended"') :]
    banner = banner[: banner.index("</div>")]
    assert "Đã sáp nhập vào Tỉnh Vĩnh Long (mới)" in banner
    assert reform["province"].get_absolute_url() not in banner


@pytest.mark.parametrize(
    "name",
    ["secretaries:vacancy_list", "branches:branch_list", "secretaries:person_list", "seminars:seminar_list"],
)
def test_an_ended_units_lists_say_what_they_hold_on_screen_and_on_paper(
    world, reform, client, tieu_can_officer, name
):
    """Trà Vinh's vacancy list counted 574 branches (today's) under a heading naming the province, printed
    in 2026, while its other pages count 576 as on its last day: each list of an ended unit says so."""
    branches_reattach(on=REFORM_DAY)
    login_verified(client, tieu_can_officer)
    for query in ("", "?print=1"):
        page = client.get(reverse(name) + query).content.decode()
        assert "data-list-unit-ended" in page
        assert "Huyện Tiểu Cần đã chấm dứt ngày 30/06/2025" in page
        # A list of records says so; a list of branches or people that they are today's.
        records = name == "seminars:seminar_list"
        assert ("ghi theo đơn vị tại thời điểm ghi nhận" in page) == records
        assert ("theo tình trạng hiện nay" in page) != records
    login_verified(client, commune_officer(reform["tap_ngai"], "doanxa.tapngai"))
    assert "data-list-unit-ended" not in client.get(reverse(name)).content.decode()


def test_the_branch_list_marks_an_old_commune_and_names_its_district_on_a_phone(
    world, reform, client, tra_vinh_staff
):
    """QA at 360 px: Trà Vinh's list showed "Khóm 1 | Phường 3" beside "Khóm 1 | Phường Trà Vinh", the old
    ward unmarked and its district's column hidden: the old commune says until when, and its district is
    named under it where the column is hidden."""
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("branches:branch_list")).content.decode()
    cell = html[html.index(world["tieu_can"].name) :]
    cell = cell[cell.index("Xã Hiếu Tử") : cell.index("</td>", cell.index("Xã Hiếu Tử"))]
    assert "30/06/2025" in cell
    assert 'd-md-none d-print-none">Huyện Tiểu Cần</div>' in cell


def test_an_ended_districts_branch_list_names_todays_secretary_without_their_phone(
    client, world, reform, tieu_can_officer
):
    """The "Bí thư" column of a former branch: today's secretary (appointed by today's commune) is named, as
    the branch page names them, but their phone and page are not the ended district's to read."""
    branches_reattach(on=REFORM_DAY)
    branch = world["tieu_can"]
    Term.objects.filter(branch=branch).update(ended_on=datetime.date(2025, 12, 31))
    person = person_with_term(
        branch=Branch.objects.get(pk=branch.pk),
        full_name="Trần Văn Mới",
        phone="0987 111 222",
        started_on=datetime.date(2026, 1, 10),
    )
    assert not Person.objects.visible_to(tieu_can_officer).filter(pk=person.pk).exists()
    client.force_login(tieu_can_officer)
    page = client.get(reverse("branches:branch_list")).content.decode()
    cell = page.split("<td data-branch-secretary>")[1].split("</td>")[0]
    assert "Trần Văn Mới" in cell and "0987" not in cell and "href" not in cell
    # Today's commune officer reads both.
    client.force_login(commune_officer(reform["tap_ngai"], "doanxa.tapngai.thu"))
    page = client.get(reverse("branches:branch_list")).content.decode()
    cell = page.split("<td data-branch-secretary>")[1].split("</td>")[0]
    assert "Trần Văn Mới" in cell and "0987 111 222" in cell and person.get_absolute_url() in cell
